-- Cases (the case engine's core record), their legal clocks and timeline, and the working-day
-- calendar's imported years and local days off.
CREATE TABLE cases (
  id BIGSERIAL PRIMARY KEY,
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
  lat DOUBLE PRECISION,
  lng DOUBLE PRECISION,
  requester_id BIGINT REFERENCES users(id),
  requester_name_enc TEXT,
  requester_phone_enc TEXT,
  requester_phone_index TEXT,
  anonymous BIGINT NOT NULL DEFAULT 0,
  confidential BIGINT NOT NULL DEFAULT 0,  -- a report (举报): the requester is hidden from the unit
  lead_org_id BIGINT REFERENCES orgs(id),
  assignee_id BIGINT REFERENCES users(id),
  reply TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT '',
  check_code_hash TEXT,               -- lets an anonymous requester track the case
  merged_into BIGINT REFERENCES cases(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  closed_at BIGINT
);
CREATE INDEX cases_state ON cases(kind, state, updated_at);
CREATE INDEX cases_lead_org ON cases(lead_org_id, state);
CREATE INDEX cases_created ON cases(created_at);
CREATE INDEX cases_requester ON cases(requester_id);

CREATE TABLE case_number_seq (
  prefix TEXT PRIMARY KEY,            -- kind prefix + date, e.g. 'SQ20261126'
  last BIGINT NOT NULL
);

CREATE TABLE case_clocks (
  id BIGSERIAL PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  name TEXT NOT NULL,                 -- sign_for, handle, reply, supplement, ...
  unit TEXT NOT NULL,                 -- working_days, calendar_days, hours
  length BIGINT NOT NULL,
  start_at BIGINT NOT NULL,
  stop_at BIGINT,
  warn_kind TEXT NOT NULL DEFAULT 'share_left',
  warn_numerator BIGINT NOT NULL DEFAULT 1,
  warn_denominator BIGINT NOT NULL DEFAULT 3,
  warn_units BIGINT NOT NULL DEFAULT 0,
  org_id BIGINT REFERENCES orgs(id), -- the unit the clock runs against (queues)
  deadline_at BIGINT NOT NULL,       -- computed; recomputed on every change and calendar import
  warn_at BIGINT NOT NULL,           -- computed: when it turns yellow
  provisional BIGINT NOT NULL DEFAULT 0,
  paused BIGINT NOT NULL DEFAULT 0,
  UNIQUE (case_id, name)
);
CREATE INDEX case_clocks_queue ON case_clocks(org_id, deadline_at) WHERE stop_at IS NULL;
CREATE INDEX case_clocks_open_deadline ON case_clocks(deadline_at) WHERE stop_at IS NULL;
CREATE INDEX case_clocks_provisional ON case_clocks(id) WHERE provisional = 1 AND stop_at IS NULL;

CREATE TABLE clock_pauses (
  clock_id BIGINT NOT NULL REFERENCES case_clocks(id),
  seq BIGINT NOT NULL,
  reason TEXT NOT NULL,
  from_at BIGINT NOT NULL,
  to_at BIGINT,
  PRIMARY KEY (clock_id, seq)
);

CREATE TABLE clock_extensions (
  clock_id BIGINT NOT NULL REFERENCES case_clocks(id),
  seq BIGINT NOT NULL,
  length BIGINT NOT NULL,
  reason TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  PRIMARY KEY (clock_id, seq)
);

CREATE TABLE case_events (
  id BIGSERIAL PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  at BIGINT NOT NULL,
  actor_id BIGINT,
  actor_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  from_state TEXT NOT NULL DEFAULT '',
  to_state TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '',      -- JSON details (attachments, clock changes, ...)
  public BIGINT NOT NULL DEFAULT 1   -- shown to the requester
);
CREATE INDEX case_events_case ON case_events(case_id, id);

CREATE TABLE calendar_years (
  year BIGINT PRIMARY KEY,           -- a published year loaded by import (beyond the shipped file)
  source TEXT NOT NULL,
  loaded_at BIGINT NOT NULL
);

CREATE TABLE calendar_days (
  date TEXT PRIMARY KEY,              -- YYYY-MM-DD
  kind TEXT NOT NULL,                 -- off, work (official, imported) or local_off (admin-added)
  name TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  created_by BIGINT
);
