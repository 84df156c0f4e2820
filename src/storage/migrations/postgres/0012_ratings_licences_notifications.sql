-- Ratings followed through (好差评, RULES.md §6), licences with their expiry (Art. 50) and the
-- notifications people read in Huiyin.
--
-- A case opened by Huiyin for another (a rectification for a 差评) points at it.
ALTER TABLE cases ADD COLUMN parent_id BIGINT REFERENCES cases(id);
CREATE INDEX cases_parent ON cases(parent_id) WHERE parent_id IS NOT NULL;

-- The rectification case a 差评 opened, and when an appeal against a mistaken or malicious 差评
-- was upheld (the rating then leaves every statistic).
ALTER TABLE case_ratings ADD COLUMN rectification_id BIGINT REFERENCES cases(id);
ALTER TABLE case_ratings ADD COLUMN excluded_at BIGINT;
CREATE INDEX case_ratings_rectification ON case_ratings(rectification_id)
  WHERE rectification_id IS NOT NULL;

-- A licence granted by an application for an item with a period of validity. A renewal
-- (延续) extends it; one not decided before the expiry counts as granted (Art. 50).
CREATE TABLE licences (
  id BIGSERIAL PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,            -- 'XK' + the granting application's number
  item_id BIGINT NOT NULL REFERENCES service_items(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),   -- the issuing organisation
  holder_id BIGINT REFERENCES users(id),        -- the applicant's account, when online
  holder_name_masked TEXT NOT NULL DEFAULT '',
  case_id BIGINT NOT NULL REFERENCES cases(id), -- the granting application
  renewed_by BIGINT REFERENCES cases(id),       -- the latest renewal granted
  renewals BIGINT NOT NULL DEFAULT 0,
  granted_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,            -- the last millisecond of the last valid day
  reminded_at BIGINT                     -- the renewal reminder for the current expiry
);
CREATE INDEX licences_due_reminder ON licences(expires_at) WHERE reminded_at IS NULL;
CREATE INDEX licences_holder ON licences(holder_id, expires_at);
CREATE INDEX licences_org ON licences(org_id, expires_at);

-- The licence a renewal application asks to extend (at most one open renewal per licence is
-- checked in the application service).
CREATE TABLE case_licences (
  case_id BIGINT PRIMARY KEY REFERENCES cases(id),
  licence_id BIGINT NOT NULL REFERENCES licences(id),
  expires_at BIGINT NOT NULL             -- the expiry the renewal was filed against
);
CREATE INDEX case_licences_licence ON case_licences(licence_id);

-- Messages to one account: renewal reminders, replies, rectification results.
CREATE TABLE notifications (
  id BIGSERIAL PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,                     -- licence.renewal_due, case.replied, ...
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT NOT NULL DEFAULT '',          -- a case or licence number
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, id);
