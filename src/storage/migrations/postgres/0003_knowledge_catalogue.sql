-- The 12345 hotline's dispatch catalogue (派单目录: categories with their Open311 attribute
-- definitions, and category × region → unit rules) and knowledge base (知识库: articles kept by
-- member units). Times are milliseconds since the epoch (UTC). Booleans are 0/1 integers.
CREATE TABLE categories (
  id BIGSERIAL PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,          -- 'urban.road': the parent's code + '.' + one segment
  parent_code TEXT REFERENCES categories(code),
  name TEXT NOT NULL,                 -- zh: '道路破损'
  name_en TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  keywords TEXT NOT NULL DEFAULT '',  -- comma-separated, helps agents find the category
  group_name TEXT NOT NULL DEFAULT '',-- Open311 "group" (the top-level heading, '城市管理')
  public BIGINT NOT NULL DEFAULT 1,  -- offered to citizens (portal, Open311 service list)
  active BIGINT NOT NULL DEFAULT 1,
  sort_order BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  updated_at BIGINT NOT NULL,
  updated_by BIGINT REFERENCES users(id)
);
CREATE INDEX categories_parent ON categories(parent_code);

-- Extra questions of a category: Open311 GeoReport v2 attribute definitions.
CREATE TABLE category_attributes (
  id BIGSERIAL PRIMARY KEY,
  category_id BIGINT NOT NULL REFERENCES categories(id),
  code TEXT NOT NULL,
  datatype TEXT NOT NULL,             -- string, number, datetime, text, singlevaluelist, multivaluelist
  required BIGINT NOT NULL DEFAULT 0,
  variable BIGINT NOT NULL DEFAULT 1,-- 0: informational text only, takes no value
  sort_order BIGINT NOT NULL DEFAULT 0,
  description TEXT NOT NULL,          -- the question as shown
  datatype_description TEXT NOT NULL DEFAULT '',
  values_json TEXT NOT NULL DEFAULT '[]', -- [{"key": "...", "name": "..."}] for the list types
  UNIQUE (category_id, code)
);

-- Who handles a category in a region: region NULL = any region. Ranked by region specificity,
-- then priority (smaller first).
CREATE TABLE dispatch_rules (
  id BIGSERIAL PRIMARY KEY,
  category_code TEXT NOT NULL REFERENCES categories(code),
  region_code TEXT REFERENCES regions(code),
  lead_org_id BIGINT NOT NULL REFERENCES orgs(id),
  priority BIGINT NOT NULL DEFAULT 100,
  note TEXT NOT NULL DEFAULT '',
  active BIGINT NOT NULL DEFAULT 1,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  updated_at BIGINT NOT NULL,
  updated_by BIGINT REFERENCES users(id)
);
CREATE INDEX dispatch_rules_lookup ON dispatch_rules(category_code, region_code);

CREATE TABLE dispatch_rule_co_units (
  rule_id BIGINT NOT NULL REFERENCES dispatch_rules(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  seq BIGINT NOT NULL,
  PRIMARY KEY (rule_id, org_id)
);

CREATE TABLE kb_articles (
  id BIGSERIAL PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  keywords TEXT NOT NULL DEFAULT '',  -- comma-separated
  category_code TEXT REFERENCES categories(code),
  org_id BIGINT NOT NULL REFERENCES orgs(id), -- the member unit that maintains it
  status TEXT NOT NULL DEFAULT 'draft',        -- draft, published, archived
  search_text TEXT NOT NULL,          -- title \n body \n keywords, ASCII lower-cased (app-maintained)
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  updated_at BIGINT NOT NULL,
  updated_by BIGINT REFERENCES users(id),
  published_at BIGINT
);
CREATE INDEX kb_articles_status ON kb_articles(status, updated_at);
CREATE INDEX kb_articles_org ON kb_articles(org_id);

-- Substring search: a pg_trgm GIN index serves LIKE '%term%' for terms of 3+ characters (2-char
-- terms stay correct but scan). Needs a UTF-8 LC_CTYPE (C.UTF-8) for CJK trigrams. The extension
-- lives in `public` (it is per database, and test schemas come and go); the operator class is named
-- through whichever schema holds it.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
DO $$
DECLARE
  ext_schema TEXT;
BEGIN
  SELECT n.nspname INTO ext_schema FROM pg_extension e
    JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
  EXECUTE format('CREATE INDEX kb_articles_search ON kb_articles USING gin (search_text %I.gin_trgm_ops)',
                 ext_schema);
END $$;
