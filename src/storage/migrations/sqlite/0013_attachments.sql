-- Files attached to cases (app/attachments.h): in the database, so that a case and its files are
-- written, backed up and restored together. `data` is base64 text (portable across both
-- databases); `content_type` is what the bytes were recognised as, never the uploader's claim.
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  material TEXT NOT NULL DEFAULT '',   -- an application: the item's material it answers
  name TEXT NOT NULL,                  -- as uploaded, without any path
  content_type TEXT NOT NULL,          -- application/pdf, image/png, image/jpeg, application/ofd
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  data TEXT NOT NULL,
  uploaded_by INTEGER REFERENCES users(id),
  uploader_name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id, id);
