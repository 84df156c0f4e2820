-- The case engine: co-handling units, facts the indicators count, extra answers, ratings.
ALTER TABLE cases ADD COLUMN attributes TEXT NOT NULL DEFAULT '';       -- JSON: the category's extra questions
ALTER TABLE cases ADD COLUMN requester_name_masked TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN dispatched_at INTEGER;
ALTER TABLE cases ADD COLUMN signed_at INTEGER;
ALTER TABLE cases ADD COLUMN replied_at INTEGER;
ALTER TABLE cases ADD COLUMN called_back_at INTEGER;
ALTER TABLE cases ADD COLUMN resolved INTEGER;                           -- call-back: resolved or not
ALTER TABLE cases ADD COLUMN satisfaction INTEGER;                       -- 1..5 (5 非常满意)
ALTER TABLE cases ADD COLUMN returns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN improper_returns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN extensions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN redo_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN urged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN escalated INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_merged_into ON cases(merged_into);
CREATE INDEX cases_dispatched ON cases(dispatched_at, lead_org_id);

CREATE TABLE case_co_orgs (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  PRIMARY KEY (case_id, org_id)
);
CREATE INDEX case_co_orgs_org ON case_co_orgs(org_id);

CREATE TABLE case_ratings (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  source TEXT NOT NULL,               -- callback (by the hotline) or requester (the citizen online)
  satisfaction INTEGER NOT NULL,      -- 1..5
  resolved INTEGER,
  reasons TEXT NOT NULL DEFAULT '',   -- bad-rating reasons (comma list) and free text
  rated_by INTEGER,
  org_id INTEGER,                     -- the unit rated (lead unit)
  at INTEGER NOT NULL
);
CREATE INDEX case_ratings_case ON case_ratings(case_id);
CREATE INDEX case_ratings_org ON case_ratings(org_id, at);
