-- The case engine: co-handling units, facts the indicators count, extra answers, ratings.
ALTER TABLE cases ADD COLUMN attributes TEXT NOT NULL DEFAULT '';       -- JSON: the category's extra questions
ALTER TABLE cases ADD COLUMN requester_name_masked TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN dispatched_at BIGINT;
ALTER TABLE cases ADD COLUMN signed_at BIGINT;
ALTER TABLE cases ADD COLUMN replied_at BIGINT;
ALTER TABLE cases ADD COLUMN called_back_at BIGINT;
ALTER TABLE cases ADD COLUMN resolved BIGINT;                           -- call-back: resolved or not
ALTER TABLE cases ADD COLUMN satisfaction BIGINT;                       -- 1..5 (5 非常满意)
ALTER TABLE cases ADD COLUMN returns BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN improper_returns BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN extensions BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN redo_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN urged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN escalated BIGINT NOT NULL DEFAULT 0;
CREATE INDEX cases_merged_into ON cases(merged_into);
CREATE INDEX cases_dispatched ON cases(dispatched_at, lead_org_id);

CREATE TABLE case_co_orgs (
  case_id BIGINT NOT NULL REFERENCES cases(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  PRIMARY KEY (case_id, org_id)
);
CREATE INDEX case_co_orgs_org ON case_co_orgs(org_id);

CREATE TABLE case_ratings (
  id BIGSERIAL PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  source TEXT NOT NULL,               -- callback (by the hotline) or requester (the citizen online)
  satisfaction BIGINT NOT NULL,      -- 1..5
  resolved BIGINT,
  reasons TEXT NOT NULL DEFAULT '',   -- bad-rating reasons (comma list) and free text
  rated_by BIGINT,
  org_id BIGINT,                     -- the unit rated (lead unit)
  at BIGINT NOT NULL
);
CREATE INDEX case_ratings_case ON case_ratings(case_id);
CREATE INDEX case_ratings_org ON case_ratings(org_id, at);
