-- Foundation: regions, organisations, posts, accounts, roles, sessions, API tokens, audit trail,
-- idempotency keys. Times are milliseconds since the epoch (UTC). Booleans are 0/1 integers.
CREATE TABLE regions (
  code TEXT PRIMARY KEY,              -- GB/T 2260
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  parent_code TEXT REFERENCES regions(code),
  level TEXT NOT NULL                 -- province, city, county
);

CREATE TABLE orgs (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,                 -- government, department, institution, utility, leading_group, office, township
  parent_id INTEGER REFERENCES orgs(id),
  region_code TEXT REFERENCES regions(code),
  path TEXT NOT NULL,                 -- '/1/4/17/': ancestors and self, for subtree scope checks
  phone TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE INDEX orgs_path ON orgs(path);

CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  title TEXT NOT NULL,
  title_en TEXT NOT NULL DEFAULT '',
  key_post INTEGER NOT NULL DEFAULT 0, -- a key post whose head is evaluated by the public
  UNIQUE (org_id, title)
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  kind TEXT NOT NULL,                 -- staff, citizen, enterprise, integration
  org_id INTEGER REFERENCES orgs(id),
  post_id INTEGER REFERENCES posts(id),
  password_hash TEXT,
  phone_enc TEXT,                     -- secretbox ciphertext, base64
  phone_index TEXT,                   -- keyed blind index for lookup
  id_number_enc TEXT,
  id_number_index TEXT,
  credit_code TEXT,                   -- enterprises: unified social credit code
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  password_changed_at INTEGER,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_org ON users(org_id);
CREATE INDEX users_phone_index ON users(phone_index);
CREATE INDEX users_id_number_index ON users(id_number_index);

CREATE TABLE role_grants (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  org_id INTEGER REFERENCES orgs(id), -- scope: this organisation and its subtree (NULL: none/own)
  granted_at INTEGER NOT NULL,
  UNIQUE (user_id, role, org_id)
);
CREATE INDEX role_grants_user ON role_grants(user_id);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,                -- SHA-256 of the session token (the token itself is never stored)
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,        -- absolute limit
  remote_addr TEXT NOT NULL DEFAULT '',
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,    -- SHA-256 of the bearer token
  name TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER,
  last_used_at INTEGER
);

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,            -- contiguous from 1: a gap is a removed row
  at INTEGER NOT NULL,
  actor_id INTEGER,
  actor_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  org_id INTEGER,
  source_addr TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  object_type TEXT NOT NULL DEFAULT '',
  object_id TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT 'ok',
  digest TEXT NOT NULL DEFAULT '',    -- SHA-256 of the change (request body or summary)
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL                  -- SHA-256(prev_hash | canonical record)
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor_id);

CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,                -- who sent it (user or integration)
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
