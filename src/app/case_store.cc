#include "app/case_store.h"

#include <algorithm>
#include <cstdio>

#include "huiyin/storage/clock_repository.h"

namespace huiyin::app::case_store {

using storage::Row;
using storage::Tx;

// The upsert's row lock serialises increments on PostgreSQL; SQLite has one writer.
Result<std::string> NextNumber(Tx& tx, const std::string& prefix, Timestamp now) {
  std::string day = FormatDate(LocalDate(now));
  day.erase(std::remove(day.begin(), day.end(), '-'), day.end());
  std::string key = prefix + day;
  HUIYIN_ASSIGN_OR_RETURN(auto seq, tx.QueryInt("INSERT INTO case_number_seq (prefix, last) VALUES "
                                                "(?, 1) ON CONFLICT (prefix) DO UPDATE SET last = "
                                                "case_number_seq.last + 1 RETURNING last",
                                                {key}));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(seq.value_or(0)));
  return key + buf;
}

namespace {

bool CentreRole(Role r) {
  return r == Role::kHotlineAgent || r == Role::kDispatcher || r == Role::kSupervisor ||
         r == Role::kLeader;
}

}  // namespace

bool CentreCityWide(const Principal& p) {
  return p.is_system || std::any_of(p.grants.begin(), p.grants.end(), [](const auto& g) {
           return CentreRole(g.role) && g.scope_org_id && core::PathDepth(g.scope_path) == 1;
         });
}

Result<std::vector<std::string>> UndispatchedRegions(storage::Tx& tx, const Principal& p) {
  std::string orgs;  // integers only
  for (const auto& g : p.grants) {
    if (CentreRole(g.role) && g.scope_org_id && core::PathDepth(g.scope_path) > 1) {
      orgs += (orgs.empty() ? "" : ",") + std::to_string(*g.scope_org_id);
    }
  }
  std::vector<std::string> out;
  if (orgs.empty()) return out;
  HUIYIN_TRY(tx.Query(
      "WITH RECURSIVE down(code) AS (SELECT region_code FROM orgs WHERE id IN (" + orgs +
          ") AND region_code IS NOT NULL AND region_code NOT IN (SELECT region_code FROM orgs "
          "WHERE parent_id IS NULL AND region_code IS NOT NULL) UNION SELECT r.code FROM "
          "regions r JOIN down d ON "
          "r.parent_code = d.code) SELECT code FROM down ORDER BY code",
      {}, [&](const storage::Row& r) { out.push_back(r.String(0)); }));
  return out;
}

std::pair<std::string, std::string> ActorNameRole(const Principal* actor) {
  if (!actor) return {"system", "system"};
  return {actor->display_name.empty() ? actor->username : actor->display_name,
          actor->is_system ? "system" : actor->RoleList()};
}

Result<int64_t> AddEvent(Tx& tx, int64_t case_id, Timestamp at, const Principal* actor,
                         std::string_view action, std::string_view from, std::string_view to,
                         std::string_view note, bool is_public) {
  std::optional<int64_t> actor_id;
  if (actor && actor->user_id) actor_id = actor->user_id;
  auto [name, role] = ActorNameRole(actor);
  auto id = tx.QueryInt(
      "INSERT INTO case_events (case_id, at, actor_id, actor_name, role, action, from_state, "
      "to_state, note, public) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {case_id, ToMillis(at), actor_id, name, role, action, from, to, note, is_public});
  if (!id.ok() || !*id)
    return MakeError(ErrorCode::kInternal, "could not record the timeline event");
  return **id;
}

Result<std::map<std::string, core::Clock>> LoadClockMap(Tx& tx, int64_t case_id) {
  HUIYIN_ASSIGN_OR_RETURN(auto stored, storage::LoadClocks(tx, case_id));
  std::map<std::string, core::Clock> m;
  for (auto& s : stored) m.emplace(s.clock.name(), std::move(s.clock));
  return m;
}

Status SaveClockMap(Tx& tx, const core::WorkflowDef& def, int64_t case_id,
                    std::optional<int64_t> org_id, const std::map<std::string, core::Clock>& clocks,
                    const core::Calendar& cal, Timestamp now) {
  for (const auto& [name, clock] : clocks) {
    const core::ClockSpec* spec = def.ClockNamed(name);
    HUIYIN_TRY(storage::SaveClock(tx, case_id, org_id, clock, spec && spec->window, cal, now));
  }
  return Status::Ok();
}

}  // namespace huiyin::app::case_store
