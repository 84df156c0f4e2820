-- Cases (the case engine's core record), their legal clocks and timeline, and the working-day
-- calendar's imported years and local days off.
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,        -- read aloud: kind prefix + date + sequence
  kind TEXT NOT NULL,                 -- appeal, petition, application, ...
  type TEXT NOT NULL DEFAULT '',      -- enquiry, help, complaint, report, suggestion, praise, ...
  channel TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  region_code TEXT,
  address TEXT NOT NULL DEFAULT '',
  lat REAL,
  lng REAL,
  requester_id INTEGER REFERENCES users(id),
  requester_name_enc TEXT,
  requester_phone_enc TEXT,
  requester_phone_index TEXT,
  anonymous INTEGER NOT NULL DEFAULT 0,
  confidential INTEGER NOT NULL DEFAULT 0,  -- a report (举报): the requester is hidden from the unit
  lead_org_id INTEGER REFERENCES orgs(id),
  assignee_id INTEGER REFERENCES users(id),
  reply TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT '',
  check_code_hash TEXT,               -- lets an anonymous requester track the case
  merged_into INTEGER REFERENCES cases(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  closed_at INTEGER
);
CREATE INDEX cases_state ON cases(kind, state, updated_at);
CREATE INDEX cases_lead_org ON cases(lead_org_id, state);
CREATE INDEX cases_created ON cases(created_at);
CREATE INDEX cases_requester ON cases(requester_id);

CREATE TABLE case_number_seq (
  prefix TEXT PRIMARY KEY,            -- kind prefix + date, e.g. 'SQ20261126'
  last INTEGER NOT NULL
);

CREATE TABLE case_clocks (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  name TEXT NOT NULL,                 -- sign_for, handle, reply, supplement, ...
  unit TEXT NOT NULL,                 -- working_days, calendar_days, hours
  length INTEGER NOT NULL,
  start_at INTEGER NOT NULL,
  stop_at INTEGER,
  warn_kind TEXT NOT NULL DEFAULT 'share_left',
  warn_numerator INTEGER NOT NULL DEFAULT 1,
  warn_denominator INTEGER NOT NULL DEFAULT 3,
  warn_units INTEGER NOT NULL DEFAULT 0,
  org_id INTEGER REFERENCES orgs(id), -- the unit the clock runs against (queues)
  deadline_at INTEGER NOT NULL,       -- computed; recomputed on every change and calendar import
  warn_at INTEGER NOT NULL,           -- computed: when it turns yellow
  provisional INTEGER NOT NULL DEFAULT 0,
  paused INTEGER NOT NULL DEFAULT 0,
  UNIQUE (case_id, name)
);
CREATE INDEX case_clocks_queue ON case_clocks(org_id, deadline_at) WHERE stop_at IS NULL;
CREATE INDEX case_clocks_open_deadline ON case_clocks(deadline_at) WHERE stop_at IS NULL;
CREATE INDEX case_clocks_provisional ON case_clocks(id) WHERE provisional = 1 AND stop_at IS NULL;

CREATE TABLE clock_pauses (
  clock_id INTEGER NOT NULL REFERENCES case_clocks(id),
  seq INTEGER NOT NULL,
  reason TEXT NOT NULL,
  from_at INTEGER NOT NULL,
  to_at INTEGER,
  PRIMARY KEY (clock_id, seq)
);

CREATE TABLE clock_extensions (
  clock_id INTEGER NOT NULL REFERENCES case_clocks(id),
  seq INTEGER NOT NULL,
  length INTEGER NOT NULL,
  reason TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  PRIMARY KEY (clock_id, seq)
);

CREATE TABLE case_events (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  at INTEGER NOT NULL,
  actor_id INTEGER,
  actor_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  from_state TEXT NOT NULL DEFAULT '',
  to_state TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '',      -- JSON details (attachments, clock changes, ...)
  public INTEGER NOT NULL DEFAULT 1   -- shown to the requester
);
CREATE INDEX case_events_case ON case_events(case_id, id);

CREATE TABLE calendar_years (
  year INTEGER PRIMARY KEY,           -- a published year loaded by import (beyond the shipped file)
  source TEXT NOT NULL,
  loaded_at INTEGER NOT NULL
);

CREATE TABLE calendar_days (
  date TEXT PRIMARY KEY,              -- YYYY-MM-DD
  kind TEXT NOT NULL,                 -- off, work (official, imported) or local_off (admin-added)
  name TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  created_by INTEGER
);
