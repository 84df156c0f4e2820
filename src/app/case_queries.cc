// Case lists (queues with filters and cursor pagination), queue counts and the hotline's
// indicators per unit (RULES.md §3: 响应率, 解决率, 满意率, on-time rate, ...).
#include <algorithm>
#include <charconv>

#include "huiyin/app/cases.h"
#include "huiyin/common/text.h"

namespace huiyin::app {
namespace {

using core::Role;
using storage::Param;
using storage::Row;
using storage::Tx;

bool HasAnyRole(const Principal& p, std::initializer_list<Role> roles) {
  for (const auto& g : p.grants) {
    if (std::find(roles.begin(), roles.end(), g.role) != roles.end()) return true;
  }
  return false;
}

bool CityWide(const Principal& p) {
  return HasAnyRole(p, {Role::kHotlineAgent, Role::kDispatcher, Role::kSupervisor, Role::kLeader});
}

// The SQL condition (and its parameters) limiting cases to what `actor` may see.
struct Scope {
  std::string where;
  std::vector<std::string> texts;  // owns text parameters
  std::vector<int64_t> ints;
};

Result<Scope> ScopeOf(Tx& tx, const Principal& actor, std::string_view permission) {
  Scope s;
  if (CityWide(actor)) {
    s.where = "1 = 1";
    return s;
  }
  std::vector<std::string> paths;
  for (const auto& g : actor.grants) {
    if (!g.scope_path.empty() && core::RoleGrants(g.role, permission))
      paths.push_back(g.scope_path);
  }
  if (paths.empty()) {
    s.where = "c.requester_id = ?";
    s.ints.push_back(actor.user_id);
    return s;
  }
  // Units in the actor's subtrees (a handful of ids): lead unit or co-unit.
  std::vector<int64_t> orgs;
  for (const auto& p : paths) {
    HUIYIN_TRY(tx.Query("SELECT id FROM orgs WHERE substr(path, 1, ?) = ?",
                        {static_cast<int64_t>(p.size()), p},
                        [&](const Row& r) { orgs.push_back(r.Int(0)); }));
  }
  std::string list;
  for (int64_t id : orgs) list += (list.empty() ? "" : ",") + std::to_string(id);  // integers only
  if (list.empty()) list = "0";
  s.where = "(c.lead_org_id IN (" + list + ") OR EXISTS (SELECT 1 FROM case_co_orgs x WHERE " +
            "x.case_id = c.id AND x.org_id IN (" + list + ")))";
  return s;
}

// The running obligations of case c (windows are periods for the other party, never late).
#define HUIYIN_DUE_CLOCKS "k.case_id = c.id AND k.stop_at IS NULL AND k.is_window = 0"

std::string QueueCondition(std::string_view queue) {
  if (queue == "to_dispatch") return "c.state IN ('received', 'return_review', 'registered')";
  if (queue == "to_sign_for") return "c.state IN ('dispatched', 'transferred')";
  if (queue == "handling")
    return "c.state IN ('handling', 'extension_requested', 'accepted', 'review', 'rereview')";
  if (queue == "reply_review") return "c.state = 'reply_review'";
  if (queue == "awaiting_callback") return "c.state = 'replied'";
  if (queue == "due_soon") {
    return "EXISTS (SELECT 1 FROM case_clocks k WHERE " HUIYIN_DUE_CLOCKS
           " AND "
           "k.deadline_at >= ? AND k.deadline_at <= ?)";
  }
  if (queue == "overdue") {
    return "EXISTS (SELECT 1 FROM case_clocks k WHERE " HUIYIN_DUE_CLOCKS
           " AND "
           "k.deadline_at < ?)";
  }
  return "";
}

const std::vector<std::pair<std::string, std::string>>& QueueLabels() {
  static const std::vector<std::pair<std::string, std::string>> kQueues = {
      {"to_dispatch", "待派单 To dispatch"},
      {"to_sign_for", "待签收 To sign for"},
      {"handling", "办理中 Handling"},
      {"reply_review", "待审核 Reply to approve"},
      {"awaiting_callback", "待回访 To call back"},
      {"due_soon", "即将到期 Due in 2 working days"},
      {"overdue", "已超期 Overdue"},
      {"all", "全部 All"}};
  return kQueues;
}

std::string Level(int64_t now, std::optional<int64_t> deadline, std::optional<int64_t> warn_at) {
  if (!deadline) return "";
  if (now > *deadline) return "red";
  if (warn_at && now >= *warn_at) return "yellow";
  return "normal";
}

}  // namespace

Result<CasePage> CaseService::List(const Principal& actor, const CaseQuery& query, Timestamp now) {
  if (!query.queue.empty() && query.queue != "all" && query.queue != "mine" &&
      QueueCondition(query.queue).empty()) {
    return FieldInvalid("queue", "unknown queue '" + query.queue + "'");
  }
  if (!query.level.empty() && query.level != "red" && query.level != "yellow") {
    return FieldInvalid("level", "must be red or yellow");
  }
  auto cal = calendar_.Current();
  const int limit = std::clamp(query.limit, 1, 200);
  return db_.ReadValue<CasePage>([&](Tx& tx) -> Result<CasePage> {
    HUIYIN_ASSIGN_OR_RETURN(Scope scope, ScopeOf(tx, actor, "hotline:case:view"));
    std::string sql =
        "SELECT c.id, c.number, c.kind, c.type, c.title, c.state, c.channel, c.created_at, "
        "c.updated_at, o.name, (SELECT min(k.deadline_at) FROM case_clocks k "
        "WHERE " HUIYIN_DUE_CLOCKS
        "), (SELECT min(k.warn_at) FROM case_clocks k WHERE " HUIYIN_DUE_CLOCKS
        ") FROM cases c LEFT JOIN orgs o ON o.id = "
        "c.lead_org_id WHERE " +
        scope.where;
    std::vector<Param> params;
    for (int64_t v : scope.ints) params.emplace_back(v);
    std::vector<std::string> keep;  // text parameters live here while the query runs
    keep.reserve(16);
    auto text = [&](const std::string& v) {
      keep.push_back(v);
      params.emplace_back(std::string_view(keep.back()));
    };
    if (query.queue == "mine") {
      sql += " AND c.requester_id = ?";
      params.emplace_back(actor.user_id);
    } else if (!query.queue.empty() && query.queue != "all") {
      sql += " AND " + QueueCondition(query.queue);
      if (query.queue == "due_soon") {
        params.emplace_back(ToMillis(now));
        params.emplace_back(ToMillis(EndOfLocalDay(cal->AddWorkingDays(LocalDate(now), 2).date)));
      } else if (query.queue == "overdue") {
        params.emplace_back(ToMillis(now));
      }
    }
    auto eq = [&](const std::string& column, const std::string& value) {
      if (value.empty()) return;
      sql += " AND " + column + " = ?";
      text(value);
    };
    eq("c.kind", query.kind);
    eq("c.type", query.type);
    eq("c.state", query.state);
    eq("c.channel", query.channel);
    eq("c.region_code", query.region_code);
    eq("c.category", query.category);
    if (query.org_id) {
      sql += " AND c.lead_org_id = ?";
      params.emplace_back(*query.org_id);
    }
    if (query.created_from) {
      sql += " AND c.created_at >= ?";
      params.emplace_back(ToMillis(*query.created_from));
    }
    if (query.created_to) {
      sql += " AND c.created_at < ?";
      params.emplace_back(ToMillis(*query.created_to));
    }
    if (query.level == "red") {
      sql += " AND EXISTS (SELECT 1 FROM case_clocks k WHERE " HUIYIN_DUE_CLOCKS
             " AND k.deadline_at < ?)";
      params.emplace_back(ToMillis(now));
    } else if (query.level == "yellow") {
      sql += " AND EXISTS (SELECT 1 FROM case_clocks k WHERE " HUIYIN_DUE_CLOCKS
             " AND k.warn_at <= ? AND k.deadline_at >= ?)";
      params.emplace_back(ToMillis(now));
      params.emplace_back(ToMillis(now));
    }
    if (!query.q.empty()) {
      // Terms of 3+ characters use the trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL);
      // 1- and 2-character terms, which trigram indexes cannot find, scan with instr/strpos.
      const bool sqlite = tx.dialect() == storage::Dialect::kSqlite;
      if (CodePoints(query.q) >= 3) {
        if (sqlite) {
          sql +=
              " AND (c.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?) OR c.number = "
              "?)";
          text(FtsPhrase(query.q));
        } else {
          sql +=
              " AND ((c.title || ' ' || c.content || ' ' || c.reply) LIKE ? ESCAPE '\\' OR "
              "c.number = ?)";
          text("%" + EscapeLike(query.q) + "%");
        }
        text(query.q);
      } else {
        const char* fn = sqlite ? "instr" : "strpos";
        sql += std::string(" AND (") + fn + "(c.title, ?) > 0 OR " + fn + "(c.content, ?) > 0 OR " +
               fn + "(c.reply, ?) > 0 OR c.number = ?)";
        for (int i = 0; i < 4; ++i) text(query.q);
      }
    }
    if (!query.cursor.empty()) {
      auto dot = query.cursor.find('.');
      int64_t at = 0, id = 0;
      if (dot == std::string::npos ||
          std::from_chars(query.cursor.data(), query.cursor.data() + dot, at).ec != std::errc{} ||
          std::from_chars(query.cursor.data() + dot + 1, query.cursor.data() + query.cursor.size(),
                          id)
                  .ec != std::errc{}) {
        return FieldInvalid("cursor", "is not a cursor from a previous page");
      }
      sql += " AND (c.updated_at < ? OR (c.updated_at = ? AND c.id < ?))";
      params.emplace_back(at);
      params.emplace_back(at);
      params.emplace_back(id);
    }
    sql += " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?";
    params.emplace_back(static_cast<int64_t>(limit + 1));
    CasePage page;
    const int64_t now_ms = ToMillis(now);
    HUIYIN_TRY(tx.Query(sql, storage::ParamSpan(params), [&](const Row& r) {
      CaseSummary s;
      s.id = r.Int(0);
      s.number = r.String(1);
      s.kind = r.String(2);
      s.type = r.String(3);
      s.title = r.String(4);
      s.state = r.String(5);
      s.channel = r.String(6);
      s.created_at = FromMillis(r.Int(7));
      s.updated_at = FromMillis(r.Int(8));
      s.lead_org_name = r.String(9);
      auto deadline = r.OptInt(10);
      if (deadline) s.deadline = FromMillis(*deadline);
      s.level = Level(now_ms, deadline, r.OptInt(11));
      // The earliest deadline is provisional when its year's calendar is not loaded.
      if (s.deadline) {
        const Date day = LocalDate(*s.deadline);
        s.provisional = cal->IsProvisional(day, day);
      }
      if (const auto* def = workflows_->Find(s.kind)) {
        const auto* st = def->State(s.state);
        s.state_label = st ? st->label : s.state;
      }
      page.items.push_back(std::move(s));
    }));
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.pop_back();
      const auto& last = page.items.back();
      page.next_cursor = std::to_string(ToMillis(last.updated_at)) + "." + std::to_string(last.id);
    }
    return page;
  });
}

Result<std::vector<QueueCount>> CaseService::Queues(const Principal& actor, Timestamp now) {
  auto cal = calendar_.Current();
  return db_.ReadValue<std::vector<QueueCount>>([&](Tx& tx) -> Result<std::vector<QueueCount>> {
    HUIYIN_ASSIGN_OR_RETURN(Scope scope, ScopeOf(tx, actor, "hotline:case:view"));
    std::vector<QueueCount> out;
    for (const auto& entry : QueueLabels()) {
      const std::string& queue = entry.first;
      std::string cond = queue == "all" ? "1 = 1" : QueueCondition(queue);
      std::vector<Param> params;
      for (int64_t v : scope.ints) params.emplace_back(v);
      if (queue == "due_soon") {
        params.emplace_back(ToMillis(now));
        params.emplace_back(ToMillis(EndOfLocalDay(cal->AddWorkingDays(LocalDate(now), 2).date)));
      } else if (queue == "overdue") {
        params.emplace_back(ToMillis(now));
      }
      int64_t count = 0;
      HUIYIN_TRY(tx.Query("SELECT count(*) FROM cases c WHERE " + scope.where + " AND " + cond,
                          storage::ParamSpan(params), [&](const Row& r) { count = r.Int(0); }));
      out.push_back({queue, entry.second, count});
    }
    return out;
  });
}

Result<Indicators> CaseService::ComputeIndicators(const Principal& actor, Timestamp from,
                                                  Timestamp to, const std::string& region_code,
                                                  Timestamp now) {
  if (!actor.HasPermission("dashboard:indicator:view")) {
    return MakeError(ErrorCode::kForbidden,
                     "indicators need the dashboard:indicator:view permission");
  }
  return db_.ReadValue<Indicators>([&](Tx& tx) -> Result<Indicators> {
    HUIYIN_ASSIGN_OR_RETURN(Scope scope, ScopeOf(tx, actor, "dashboard:indicator:view"));
    Indicators ind;
    std::vector<Param> base;
    for (int64_t v : scope.ints) base.emplace_back(v);
    base.emplace_back(ToMillis(from));
    base.emplace_back(ToMillis(to));
    std::string where = scope.where + " AND c.created_at >= ? AND c.created_at < ?";
    if (!region_code.empty()) {
      where += " AND c.region_code = ?";
      base.emplace_back(std::string_view(region_code));
    }
    // Per lead unit. Sign-for on time: the sign_for clock stopped by its deadline.
    std::vector<Param> p = base;
    p.insert(p.begin(), Param(ToMillis(now)));
    HUIYIN_TRY(tx.Query(
        "SELECT c.lead_org_id, o.name, "
        "sum(CASE WHEN c.dispatched_at IS NOT NULL THEN 1 ELSE 0 END), "
        "sum(CASE WHEN EXISTS (SELECT 1 FROM case_clocks k WHERE k.case_id = c.id AND k.name = "
        "'sign_for' AND k.stop_at IS NOT NULL AND k.stop_at <= k.deadline_at) AND c.signed_at IS "
        "NOT NULL THEN 1 ELSE 0 END), "
        "sum(CASE WHEN c.called_back_at IS NOT NULL THEN 1 ELSE 0 END), "
        "sum(CASE WHEN c.called_back_at IS NOT NULL AND c.resolved = 1 THEN 1 ELSE 0 END), "
        "sum(CASE WHEN c.satisfaction IS NOT NULL THEN 1 ELSE 0 END), "
        "sum(CASE WHEN c.satisfaction >= 4 THEN 1 ELSE 0 END), "
        "sum(CASE WHEN EXISTS (SELECT 1 FROM case_clocks k WHERE k.case_id = c.id AND k.name = "
        "'handle' AND k.stop_at IS NOT NULL) THEN 1 ELSE 0 END), "
        "sum(CASE WHEN EXISTS (SELECT 1 FROM case_clocks k WHERE k.case_id = c.id AND k.name = "
        "'handle' AND k.stop_at IS NOT NULL AND k.stop_at <= k.deadline_at) THEN 1 ELSE 0 END), "
        "sum(CASE WHEN EXISTS (SELECT 1 FROM case_clocks k WHERE " HUIYIN_DUE_CLOCKS
        " AND k.deadline_at < ?) THEN 1 ELSE 0 END), "
        "sum(c.returns), sum(c.improper_returns), sum(c.extensions), sum(c.redo_count), "
        "avg(CASE WHEN c.replied_at IS NOT NULL AND c.dispatched_at IS NOT NULL THEN "
        "(c.replied_at - c.dispatched_at) / 3600000.0 END) "
        "FROM cases c JOIN orgs o ON o.id = c.lead_org_id WHERE " +
            where + " GROUP BY c.lead_org_id, o.name ORDER BY c.lead_org_id",
        storage::ParamSpan(p), [&](const Row& r) {
          UnitIndicators u;
          u.org_id = r.Int(0);
          u.org_name = r.String(1);
          u.dispatched = r.Int(2);
          u.signed_on_time = r.Int(3);
          u.called_back = r.Int(4);
          u.resolved = r.Int(5);
          u.rated = r.Int(6);
          u.satisfied = r.Int(7);
          u.handled = r.Int(8);
          u.handled_on_time = r.Int(9);
          u.overdue = r.Int(10);
          u.returns = r.Int(11);
          u.improper_returns = r.Int(12);
          u.extensions = r.Int(13);
          u.redo = r.Int(14);
          u.avg_handling_hours = r.IsNull(15) ? 0 : r.Real(15);
          auto rate = [](int64_t a, int64_t b) { return b ? static_cast<double>(a) / b : 0.0; };
          u.response_rate = rate(u.signed_on_time, u.dispatched);
          u.resolution_rate = rate(u.resolved, u.called_back);
          u.satisfaction_rate = rate(u.satisfied, u.rated);
          u.on_time_rate = rate(u.handled_on_time, u.handled);
          ind.units.push_back(std::move(u));
        }));
    // Intake by Shanghai day and channel: bucket by (created_at + 8 h) / 1 day.
    HUIYIN_TRY(
        tx.Query("SELECT (c.created_at + 28800000) / 86400000, c.channel, count(*) FROM cases c "
                 "WHERE " +
                     where + " GROUP BY 1, 2 ORDER BY 1, 2",
                 storage::ParamSpan(base), [&](const Row& r) {
                   Date d{std::chrono::days{r.Int(0)}};
                   ind.by_day.emplace_back(FormatDate(d), r.String(1), r.Int(2));
                 }));
    auto grouped = [&](const std::string& column, auto& out) -> Status {
      return tx.Query("SELECT " + column + ", count(*) FROM cases c WHERE " + where + " GROUP BY " +
                          column + " ORDER BY count(*) DESC, " + column,
                      storage::ParamSpan(base),
                      [&](const Row& r) { out.emplace_back(r.String(0), r.Int(1)); });
    };
    HUIYIN_TRY(grouped("c.state", ind.by_state));
    HUIYIN_TRY(grouped("c.category", ind.by_category));
    HUIYIN_TRY(grouped("c.region_code", ind.by_region));
    return ind;
  });
}

}  // namespace huiyin::app
