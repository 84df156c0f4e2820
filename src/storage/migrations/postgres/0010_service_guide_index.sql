-- The service guide's term search: a trigram index for strpos/LIKE over search_text (a B-tree on
-- the long search_text, as SQLite has, could exceed PostgreSQL's B-tree entry size). The operator
-- class is named through whichever schema holds pg_trgm (see 0003).
DO $$
DECLARE
  ext_schema TEXT;
BEGIN
  SELECT n.nspname INTO ext_schema FROM pg_extension e
    JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
  EXECUTE format('CREATE INDEX service_items_guide ON service_items USING gin (search_text %I.gin_trgm_ops)',
                 ext_schema);
END $$;
