// How a service item row is read (shared by the catalogue and its in-memory guide index).
// Internal to the app layer.
#pragma once

#include <string>
#include <string_view>

#include "huiyin/app/services.h"
#include "huiyin/storage/database.h"

namespace huiyin::app {

// The columns ItemOf reads, from `service_items i JOIN orgs o ON o.id = i.org_id`.
inline constexpr std::string_view kItemColumns =
    "i.id, i.code, i.main_code, i.name, i.org_id, o.name, i.level, i.item_type, i.handling_kind, "
    "i.status, i.version, i.published_version, i.legal_limit_wd, i.committed_limit_wd, "
    "i.life_events, i.created_at, i.updated_at, i.published_at, i.abolished_at, o.path";

struct LoadedItem {
  ServiceItem item;
  std::string org_path;
};

LoadedItem ItemOf(const storage::Row& r);

}  // namespace huiyin::app
