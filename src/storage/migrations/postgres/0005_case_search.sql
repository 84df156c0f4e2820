-- Full-text search over cases' title, content and reply: a pg_trgm GIN index on the concatenated
-- text (LIKE '%term%' uses it for terms of 3+ characters; needs an UTF-8 LC_CTYPE for CJK). The
-- extension lives in `public`; the operator class is named through whichever schema holds it.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
DO $$
DECLARE
  ext_schema TEXT;
BEGIN
  SELECT n.nspname INTO ext_schema FROM pg_extension e
    JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
  EXECUTE format('CREATE INDEX cases_text_trgm ON cases USING gin '
                 '((title || '' '' || content || '' '' || reply) %I.gin_trgm_ops)', ext_schema);
END $$;
