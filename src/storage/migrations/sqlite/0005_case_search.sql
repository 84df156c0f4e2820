-- Full-text search over cases' title, content and reply: an FTS5 trigram index (finds Chinese
-- terms of 3+ characters; shorter terms are matched with instr() on the table, see
-- case_queries.cc), kept in step by triggers in the same transaction.
CREATE VIRTUAL TABLE cases_fts USING fts5(title, content, reply, content='cases', content_rowid='id',
                                          tokenize='trigram');
INSERT INTO cases_fts (rowid, title, content, reply) SELECT id, title, content, reply FROM cases;
CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
  INSERT INTO cases_fts (rowid, title, content, reply) VALUES (new.id, new.title, new.content, new.reply);
END;
CREATE TRIGGER cases_fts_update AFTER UPDATE OF title, content, reply ON cases BEGIN
  INSERT INTO cases_fts (cases_fts, rowid, title, content, reply)
    VALUES ('delete', old.id, old.title, old.content, old.reply);
  INSERT INTO cases_fts (rowid, title, content, reply) VALUES (new.id, new.title, new.content, new.reply);
END;
