-- In-person visits an item needs (跑动次数), listed beside its statistics; from the item version
-- the public sees (the latest one for drafts).
ALTER TABLE service_items ADD COLUMN visits BIGINT NOT NULL DEFAULT 0;
UPDATE service_items SET visits = coalesce((
  SELECT (v.body::json ->> 'visits')::bigint FROM service_item_versions v
  WHERE v.item_id = service_items.id
    AND v.version = coalesce(service_items.published_version, service_items.version)), 0);
