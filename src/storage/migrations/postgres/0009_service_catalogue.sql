-- The service catalogue (事项清单, RULES.md §2): registered approval and public-service items.
-- An item's content is versioned: every change writes a new version and the public sees the
-- published one until the approval office publishes the next; an application keeps the version
-- it was filed under. Abolished items take no new applications; nothing is deleted.
CREATE TABLE service_items (
  id BIGSERIAL PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,             -- GB/T 39554.1 layout
  main_code TEXT,                        -- the main item of a sub-item
  name TEXT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES orgs(id),  -- implementing organisation
  level TEXT NOT NULL,                   -- city, county, township
  item_type TEXT NOT NULL,               -- licensing, public_service, confirmation, filing, other
  handling_kind TEXT NOT NULL,           -- new, change, renew, cancel
  status TEXT NOT NULL,                  -- draft, published, abolished
  version BIGINT NOT NULL,                   -- the latest content version
  published_version BIGINT,                  -- what applicants see; NULL until first published
  legal_limit_wd BIGINT NOT NULL,
  committed_limit_wd BIGINT NOT NULL,        -- never above the legal limit
  life_events TEXT NOT NULL,             -- ' birth housing ': matched as '% birth %'
  search_text TEXT NOT NULL,             -- lower-cased name, code, organisation, materials, FAQ
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  published_at BIGINT,
  abolished_at BIGINT
);
CREATE INDEX service_items_org ON service_items(org_id, code);

CREATE TABLE service_item_versions (
  item_id BIGINT NOT NULL REFERENCES service_items(id),
  version BIGINT NOT NULL,
  body TEXT NOT NULL,                    -- the item's content as JSON (every RULES.md §2 element)
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  PRIMARY KEY (item_id, version)
);

-- The item an application (办件) applies for, at the version it was filed under, with the time
-- limits of that version (its decision clock runs to the committed limit).
CREATE TABLE case_items (
  case_id BIGINT PRIMARY KEY REFERENCES cases(id),
  item_id BIGINT NOT NULL REFERENCES service_items(id),
  item_version BIGINT NOT NULL,
  legal_limit_wd BIGINT NOT NULL,
  committed_limit_wd BIGINT NOT NULL
);
CREATE INDEX case_items_item ON case_items(item_id);
