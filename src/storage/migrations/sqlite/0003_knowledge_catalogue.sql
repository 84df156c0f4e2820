-- The 12345 hotline's dispatch catalogue (派单目录: categories with their Open311 attribute
-- definitions, and category × region → unit rules) and knowledge base (知识库: articles kept by
-- member units). Times are milliseconds since the epoch (UTC). Booleans are 0/1 integers.
CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,          -- 'urban.road': the parent's code + '.' + one segment
  parent_code TEXT REFERENCES categories(code),
  name TEXT NOT NULL,                 -- zh: '道路破损'
  name_en TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  keywords TEXT NOT NULL DEFAULT '',  -- comma-separated, helps agents find the category
  group_name TEXT NOT NULL DEFAULT '',-- Open311 "group" (the top-level heading, '城市管理')
  public INTEGER NOT NULL DEFAULT 1,  -- offered to citizens (portal, Open311 service list)
  active INTEGER NOT NULL DEFAULT 1,
  sort_order INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
);
CREATE INDEX categories_parent ON categories(parent_code);

-- Extra questions of a category: Open311 GeoReport v2 attribute definitions.
CREATE TABLE category_attributes (
  id INTEGER PRIMARY KEY,
  category_id INTEGER NOT NULL REFERENCES categories(id),
  code TEXT NOT NULL,
  datatype TEXT NOT NULL,             -- string, number, datetime, text, singlevaluelist, multivaluelist
  required INTEGER NOT NULL DEFAULT 0,
  variable INTEGER NOT NULL DEFAULT 1,-- 0: informational text only, takes no value
  sort_order INTEGER NOT NULL DEFAULT 0,
  description TEXT NOT NULL,          -- the question as shown
  datatype_description TEXT NOT NULL DEFAULT '',
  values_json TEXT NOT NULL DEFAULT '[]', -- [{"key": "...", "name": "..."}] for the list types
  UNIQUE (category_id, code)
);

-- Who handles a category in a region: region NULL = any region. Ranked by region specificity,
-- then priority (smaller first).
CREATE TABLE dispatch_rules (
  id INTEGER PRIMARY KEY,
  category_code TEXT NOT NULL REFERENCES categories(code),
  region_code TEXT REFERENCES regions(code),
  lead_org_id INTEGER NOT NULL REFERENCES orgs(id),
  priority INTEGER NOT NULL DEFAULT 100,
  note TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
);
CREATE INDEX dispatch_rules_lookup ON dispatch_rules(category_code, region_code);

CREATE TABLE dispatch_rule_co_units (
  rule_id INTEGER NOT NULL REFERENCES dispatch_rules(id),
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  seq INTEGER NOT NULL,
  PRIMARY KEY (rule_id, org_id)
);

CREATE TABLE kb_articles (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  keywords TEXT NOT NULL DEFAULT '',  -- comma-separated
  category_code TEXT REFERENCES categories(code),
  org_id INTEGER NOT NULL REFERENCES orgs(id), -- the member unit that maintains it
  status TEXT NOT NULL DEFAULT 'draft',        -- draft, published, archived
  search_text TEXT NOT NULL,          -- title \n body \n keywords, ASCII lower-cased (app-maintained)
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  published_at INTEGER
);
CREATE INDEX kb_articles_status ON kb_articles(status, updated_at);
CREATE INDEX kb_articles_org ON kb_articles(org_id);

-- Substring search for terms of 3+ characters (STACK.md: the trigram tokenizer matches nothing for
-- 1–2 characters; those use instr() on kb_articles itself, never LIKE on this table).
CREATE VIRTUAL TABLE kb_articles_fts USING fts5(
  search_text, content='kb_articles', content_rowid='id', tokenize='trigram case_sensitive 1');
CREATE TRIGGER kb_articles_fts_insert AFTER INSERT ON kb_articles BEGIN
  INSERT INTO kb_articles_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER kb_articles_fts_delete AFTER DELETE ON kb_articles BEGIN
  INSERT INTO kb_articles_fts(kb_articles_fts, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER kb_articles_fts_update AFTER UPDATE OF search_text ON kb_articles BEGIN
  INSERT INTO kb_articles_fts(kb_articles_fts, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
  INSERT INTO kb_articles_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
