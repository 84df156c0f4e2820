-- Case lists sort by (updated_at, id), newest first: without this index every list scanned and
-- sorted all cases.
CREATE INDEX cases_updated ON cases(updated_at DESC, id DESC);
