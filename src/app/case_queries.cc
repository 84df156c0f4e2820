// Case lists (queues with filters and cursor pagination), queue counts and the hotline's
// indicators per unit (RULES.md §3: 响应率, 解决率, 满意率, on-time rate, ...).
#include <algorithm>
#include <charconv>
#include <functional>
#include <limits>
#include <map>

#include "app/case_store.h"
#include "huiyin/app/cases.h"
#include "huiyin/common/text.h"

namespace huiyin::app {
namespace {

using storage::Param;
using storage::Row;
using storage::Tx;

// The SQL condition (and its parameters) limiting cases to what `actor` may see.
struct Scope {
  std::string where;
  // The same condition with the co-unit branch as `c.id IN (…)`: SQLite then plans a MULTI-INDEX
  // OR over cases_lead_org (lead_org_id, state, …) and case_co_orgs_org, which wins whenever the
  // result is sorted or counted from a small set (state queues, queue counts) — a unit's
  // "to sign for" at 1M cases: 1.08 s → 2 ms — and loses to `where` (walking cases_updated) for a
  // unit's whole list, newest first.
  std::string where_in;
  std::vector<std::string> texts;  // owns text parameters
  std::vector<int64_t> ints;
  std::string units;     // a unit scope: the organisation ids ("13,14"); "" otherwise
  bool regions = false;  // a district hotline's undispatched cases are in scope too
  bool postgres = false;
};

// "c.id is one of the ids `subquery` selects". PostgreSQL cannot index an OR with `IN
// (subquery)` (a hashed subplan over a sequential scan of every case: a unit's overdue list at 1M
// cases took 2.3 s); `= ANY(ARRAY(subquery))` runs the subquery once and probes the primary key,
// also inside a BitmapOr (3.8 ms). SQLite plans `IN (subquery)` so itself.
std::string IdIn(bool postgres, const std::string& subquery) {
  return postgres ? "c.id = ANY(ARRAY(" + subquery + "))" : "c.id IN (" + subquery + ")";
}

Result<Scope> ScopeOf(Tx& tx, const Principal& actor, std::string_view permission) {
  Scope s;
  s.postgres = tx.dialect() == storage::Dialect::kPostgres;
  if (case_store::CentreCityWide(actor)) {
    s.where = s.where_in = "1 = 1";
    return s;
  }
  std::vector<std::string> paths;
  for (const auto& g : actor.grants) {
    if (!g.scope_path.empty() && core::RoleGrants(g.role, permission))
      paths.push_back(g.scope_path);
  }
  if (paths.empty()) {
    s.where = s.where_in = "c.requester_id = ?";
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
  // A district hotline's undispatched cases, by region (GB/T 2260 codes: digits only).
  std::string undispatched;
  HUIYIN_ASSIGN_OR_RETURN(auto regions, case_store::UndispatchedRegions(tx, actor));
  for (const auto& code : regions) {
    if (code.empty() || !AllDigits(code)) continue;
    undispatched += (undispatched.empty() ? "" : ",") + ("'" + code + "'");
  }
  if (!undispatched.empty()) {
    undispatched = " OR (c.lead_org_id IS NULL AND c.region_code IN (" + undispatched + "))";
    s.regions = true;
  }
  const std::string co = "SELECT x.case_id FROM case_co_orgs x WHERE x.org_id IN (" + list + ")";
  s.where = "(c.lead_org_id IN (" + list + ") OR " +
            (s.postgres ? IdIn(true, co)
                        : "EXISTS (SELECT 1 FROM case_co_orgs x WHERE x.case_id = c.id AND "
                          "x.org_id IN (" +
                              list + "))") +
            undispatched + ")";
  s.where_in = "(c.lead_org_id IN (" + list + ") OR " + IdIn(s.postgres, co) + undispatched + ")";
  s.units = std::move(list);
  return s;
}

// Queues that select by state (a small part of the cases).
bool StateQueue(std::string_view queue) {
  return queue == "to_dispatch" || queue == "to_sign_for" || queue == "handling" ||
         queue == "reply_review" || queue == "awaiting_callback";
}

// The deadline test of a due queue on clock k: due within 2 working days, or overdue.
std::string_view DueClockCondition(std::string_view queue) {
  if (queue == "due_soon") return "k.deadline_at >= ? AND k.deadline_at <= ?";
  if (queue == "overdue") return "k.deadline_at < ?";
  return "";
}

// The same test on a case's earliest running deadline (cases.next_deadline_at, kept by the
// case_clocks triggers of migration 0014): a case is overdue when any obligation is late, and
// due soon when none is late and the next falls due within 2 working days. Counts and the due
// queues themselves (listed by deadline) read the index on next_deadline_at (`indexed`); a list
// sorted by update time walks cases_updated instead (the unary + keeps the planner off the
// deadline index, which would sort every late case first).
std::string_view DueCaseCondition(std::string_view queue, bool indexed) {
  if (queue == "due_soon") {
    return indexed ? "c.next_deadline_at >= ? AND c.next_deadline_at <= ?"
                   : "+c.next_deadline_at >= ? AND +c.next_deadline_at <= ?";
  }
  if (queue == "overdue") return indexed ? "c.next_deadline_at < ?" : "+c.next_deadline_at < ?";
  return "";
}

std::string QueueCondition(std::string_view queue, bool indexed = false) {
  if (queue == "to_dispatch") return "c.state IN ('received', 'return_review', 'registered')";
  if (queue == "to_sign_for") return "c.state IN ('dispatched', 'transferred')";
  if (queue == "handling")
    return "c.state IN ('handling', 'extension_requested', 'accepted', 'review', 'rereview')";
  if (queue == "reply_review") return "c.state = 'reply_review'";
  if (queue == "awaiting_callback") return "c.state = 'replied'";
  return std::string(DueCaseCondition(queue, indexed));
}

// A unit's due queue (due soon, overdue), driven from the unit's running clocks by
// case_clocks_queue (org_id, deadline_at), plus the cases it co-handles — instead of walking
// every case of the unit for one with a late clock (at 1M cases, a unit's overdue list:
// 140 ms → 11 ms in the sqlite3 shell). Replaces both the scope and the queue condition; its
// deadline parameters come twice (DueParams).
std::string UnitDueWhere(const Scope& s, std::string_view queue, bool indexed) {
  const std::string due(DueClockCondition(queue));
  return "(" +
         IdIn(s.postgres, "SELECT k.case_id FROM case_clocks k WHERE k.org_id IN (" + s.units +
                              ") AND k.stop_at IS NULL AND k.is_window = 0 AND " + due) +
         " OR (" +
         IdIn(s.postgres,
              "SELECT x.case_id FROM case_co_orgs x WHERE x.org_id IN (" + s.units + ")") +
         " AND " + std::string(DueCaseCondition(queue, indexed)) + "))";
}

// The parameters of DueClockCondition(queue), `times` over.
void DueParams(std::string_view queue, Timestamp now, const core::Calendar& cal, int times,
               std::vector<Param>& params) {
  for (int i = 0; i < times; ++i) {
    if (queue == "due_soon") {
      params.emplace_back(ToMillis(now));
      params.emplace_back(ToMillis(EndOfLocalDay(cal.AddWorkingDays(LocalDate(now), 2).date)));
    } else if (queue == "overdue") {
      params.emplace_back(ToMillis(now));
    }
  }
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

// A case number typed into the search box ("SQ20261126000042"): letters, then 14 digits.
bool LooksLikeCaseNumber(std::string_view q) {
  size_t letters = 0;
  while (letters < q.size() && q[letters] >= 'A' && q[letters] <= 'Z') ++letters;
  return letters >= 2 && letters <= 4 && q.size() == letters + 14 &&
         std::all_of(q.begin() + static_cast<std::ptrdiff_t>(letters), q.end(),
                     [](char ch) { return ch >= '0' && ch <= '9'; });
}

constexpr int64_t kSearchBatch = 500;       // FTS hits per round
constexpr int64_t kSearchMaxScan = 20'000;  // hits looked at for one page at most

// Pages the FTS hits of `query.q` newest first: batches of hit ids (below the cursor's id) are
// checked against `sql` (the scope and filters) until `limit` cases are found. When the hits
// the caller may not see run past kSearchMaxScan, the page ends early with a cursor to go on.
Status SearchPages(Tx& tx, const std::string& sql, const std::vector<Param>& params,
                   const CaseQuery& query, int limit, const std::function<void(const Row&)>& read,
                   CasePage& page) {
  int64_t below = std::numeric_limits<int64_t>::max();
  if (!query.cursor.empty()) {
    std::string_view c = query.cursor;
    if (!c.starts_with("i.") ||
        std::from_chars(c.data() + 2, c.data() + c.size(), below).ec != std::errc{}) {
      return FieldInvalid("cursor", "is not a cursor from a previous page");
    }
  }
  const std::string phrase = FtsPhrase(query.q);
  int64_t scanned = 0;
  while (static_cast<int>(page.items.size()) <= limit) {
    std::string ids;
    int64_t lowest = below;
    HUIYIN_TRY(tx.Query(
        "SELECT rowid FROM cases_fts WHERE cases_fts MATCH ? AND rowid < ? ORDER BY rowid DESC "
        "LIMIT ?",
        {phrase, below, kSearchBatch}, [&](const Row& r) {
          lowest = r.Int(0);
          ids += (ids.empty() ? "" : ",") + std::to_string(lowest);  // integers only
        }));
    if (ids.empty()) return Status::Ok();  // no more hits
    scanned += kSearchBatch;
    std::vector<Param> p(params.begin(), params.end());
    p.emplace_back(static_cast<int64_t>(limit + 1 - static_cast<int>(page.items.size())));
    HUIYIN_TRY(tx.Query(sql + " AND c.id IN (" + ids + ") ORDER BY c.id DESC LIMIT ?",
                        storage::ParamSpan(p), read));
    below = lowest;
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.pop_back();
      page.next_cursor = "i." + std::to_string(page.items.back().id);
      return Status::Ok();
    }
    if (scanned >= kSearchMaxScan) {
      page.next_cursor = "i." + std::to_string(below);  // go on from here
      return Status::Ok();
    }
  }
  return Status::Ok();
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
        "c.updated_at, o.name, c.next_deadline_at, c.next_warn_at FROM cases c LEFT JOIN orgs o "
        "ON o.id = c.lead_org_id WHERE ";
    const bool unit_due =
        !scope.units.empty() && !scope.regions && !DueClockCondition(query.queue).empty();
    // A due queue is listed most urgent first (by the case's next deadline), walking the deadline
    // index; every other list, and a search, newest change first.
    const bool by_deadline = !DueClockCondition(query.queue).empty() && query.q.empty();
    sql += unit_due
               ? UnitDueWhere(scope, query.queue, by_deadline)
               : (StateQueue(query.queue) || !query.state.empty() ? scope.where_in : scope.where);
    std::vector<Param> params;
    for (int64_t v : scope.ints) params.emplace_back(v);
    if (unit_due) DueParams(query.queue, now, *cal, 2, params);
    std::vector<std::string> keep;  // text parameters live here while the query runs
    keep.reserve(16);
    auto text = [&](const std::string& v) {
      keep.push_back(v);
      params.emplace_back(std::string_view(keep.back()));
    };
    if (query.queue == "mine") {
      sql += " AND c.requester_id = ?";
      params.emplace_back(actor.user_id);
    } else if (!query.queue.empty() && query.queue != "all" && !unit_due) {
      sql += " AND " + QueueCondition(query.queue, by_deadline);
      DueParams(query.queue, now, *cal, 1, params);
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
      sql += " AND +c.next_deadline_at < ?";
      params.emplace_back(ToMillis(now));
    } else if (query.level == "yellow") {
      sql += " AND +c.next_warn_at <= ? AND +c.next_deadline_at >= ?";
      params.emplace_back(ToMillis(now));
      params.emplace_back(ToMillis(now));
    }
    // SQLite, 3+ characters: the FTS5 trigram index's hits are paged newest first (ids are
    // chronological), a batch at a time, instead of fetching and sorting every hit — a common
    // term has 50,000 hits at 1M cases (200 ms warm, seconds cold, to sort them). A case number
    // is looked up as such.
    const bool sqlite = tx.dialect() == storage::Dialect::kSqlite;
    const bool fts_pages = sqlite && CodePoints(query.q) >= 3 && !LooksLikeCaseNumber(query.q);
    if (sqlite && !query.q.empty() && LooksLikeCaseNumber(query.q)) {
      sql += " AND c.number = ?";
      text(query.q);
    } else if (!query.q.empty() && !fts_pages) {
      // Terms of 3+ characters use the trigram index (pg_trgm on PostgreSQL); 1- and
      // 2-character terms, which trigram indexes cannot find, scan with instr/strpos.
      if (CodePoints(query.q) >= 3) {
        sql +=
            " AND ((c.title || ' ' || c.content || ' ' || c.reply) LIKE ? ESCAPE '\\' OR "
            "c.number = ?)";
        text("%" + EscapeLike(query.q) + "%");
        text(query.q);
      } else {
        const char* fn = sqlite ? "instr" : "strpos";
        sql += std::string(" AND (") + fn + "(c.title, ?) > 0 OR " + fn + "(c.content, ?) > 0 OR " +
               fn + "(c.reply, ?) > 0 OR c.number = ?)";
        for (int i = 0; i < 4; ++i) text(query.q);
      }
    }
    if (!query.cursor.empty() && !fts_pages) {
      // "<updated_at>.<id>", or "d<deadline>.<id>" for a due queue.
      std::string_view cursor = query.cursor;
      const bool deadline_cursor = cursor.starts_with('d');
      if (deadline_cursor) cursor.remove_prefix(1);
      auto dot = cursor.find('.');
      int64_t at = 0, id = 0;
      if (deadline_cursor != by_deadline || dot == std::string_view::npos ||
          std::from_chars(cursor.data(), cursor.data() + dot, at).ec != std::errc{} ||
          std::from_chars(cursor.data() + dot + 1, cursor.data() + cursor.size(), id).ec !=
              std::errc{}) {
        return FieldInvalid("cursor", "is not a cursor from a previous page of this list");
      }
      sql += by_deadline ? " AND (c.next_deadline_at > ? OR (c.next_deadline_at = ? AND c.id > ?))"
                         : " AND (c.updated_at < ? OR (c.updated_at = ? AND c.id < ?))";
      params.emplace_back(at);
      params.emplace_back(at);
      params.emplace_back(id);
    }
    CasePage page;
    const int64_t now_ms = ToMillis(now);
    auto read = [&](const Row& r) {
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
    };
    if (fts_pages) {
      HUIYIN_TRY(SearchPages(tx, sql, params, query, limit, read, page));
      return page;
    }
    sql += by_deadline ? " ORDER BY c.next_deadline_at, c.id LIMIT ?"
                       : " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?";
    params.emplace_back(static_cast<int64_t>(limit + 1));
    HUIYIN_TRY(tx.Query(sql, storage::ParamSpan(params), read));
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.pop_back();
      const auto& last = page.items.back();
      page.next_cursor =
          by_deadline ? "d" + std::to_string(ToMillis(last.deadline.value_or(Timestamp{}))) + "." +
                            std::to_string(last.id)
                      : std::to_string(ToMillis(last.updated_at)) + "." + std::to_string(last.id);
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
      const bool unit_due =
          !scope.units.empty() && !scope.regions && !DueClockCondition(queue).empty();
      std::string where = unit_due ? UnitDueWhere(scope, queue, true)
                                   : scope.where_in + " AND " +
                                         (queue == "all" ? "1 = 1" : QueueCondition(queue, true));
      std::vector<Param> params;
      for (int64_t v : scope.ints) params.emplace_back(v);
      DueParams(queue, now, *cal, unit_due ? 2 : 1, params);
      int64_t count = 0;
      HUIYIN_TRY(tx.Query("SELECT count(*) FROM cases c WHERE " + where, storage::ParamSpan(params),
                          [&](const Row& r) { count = r.Int(0); }));
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
    std::vector<Param> params;
    params.emplace_back(ToMillis(now));
    for (int64_t v : scope.ints) params.emplace_back(v);
    params.emplace_back(ToMillis(from));
    params.emplace_back(ToMillis(to));
    std::string where = scope.where + " AND c.created_at >= ? AND c.created_at < ?";
    if (!region_code.empty()) {
      where += " AND c.region_code = ?";
      params.emplace_back(std::string_view(region_code));
    }
    // One pass over the period's cases (by cases_created), every figure counted here; what the
    // clocks say (signed for on time, handled on time, overdue) is on the case row (migration
    // 0014), so no clock is looked at.
    struct Acc {
      UnitIndicators u;
      double hours = 0;
      int64_t timed = 0;
    };
    std::map<int64_t, Acc> units;
    std::map<int64_t, std::map<std::string, int64_t, std::less<>>> by_day;  // day -> channel -> n
    std::map<std::string, int64_t, std::less<>> by_state;
    std::map<std::string, int64_t, std::less<>> by_category;
    std::map<std::string, int64_t, std::less<>> by_region;
    auto bump = [](auto& m, std::string_view key) {
      auto it = m.find(key);
      if (it == m.end()) it = m.emplace(std::string(key), 0).first;
      ++it->second;
    };
    HUIYIN_TRY(tx.Query(
        "SELECT c.lead_org_id, (c.created_at + 28800000) / 86400000, c.channel, c.state, "
        "c.category, c.region_code, c.dispatched_at, c.signed_at, c.called_back_at, c.resolved, "
        "c.satisfaction, c.replied_at, c.returns, c.improper_returns, c.extensions, c.redo_count, "
        "c.sign_for_on_time, c.handle_on_time, CASE WHEN c.next_deadline_at < ? THEN 1 ELSE 0 END "
        "FROM cases c WHERE " +
            where,
        storage::ParamSpan(params), [&](const Row& r) {
          bump(by_day[r.Int(1)], r.Text(2));
          bump(by_state, r.Text(3));
          bump(by_category, r.Text(4));
          bump(by_region, r.Text(5));
          if (r.IsNull(0)) return;
          Acc& a = units[r.Int(0)];
          UnitIndicators& u = a.u;
          const bool dispatched = !r.IsNull(6);
          u.dispatched += dispatched;
          u.signed_on_time += !r.IsNull(7) && !r.IsNull(16) && r.Int(16) == 1;
          if (!r.IsNull(8)) {
            ++u.called_back;
            u.resolved += r.Int(9) == 1;
          }
          if (!r.IsNull(10)) {
            ++u.rated;
            u.satisfied += r.Int(10) >= 4;
          }
          if (!r.IsNull(11) && dispatched) {
            a.hours += static_cast<double>(r.Int(11) - r.Int(6)) / 3600000.0;
            ++a.timed;
          }
          u.returns += r.Int(12);
          u.improper_returns += r.Int(13);
          u.extensions += r.Int(14);
          u.redo += r.Int(15);
          if (!r.IsNull(17)) {
            ++u.handled;
            u.handled_on_time += r.Int(17) == 1;
          }
          u.overdue += r.Int(18);
        }));
    Indicators ind;
    if (!units.empty()) {
      std::string ids;
      for (const auto& [id, a] : units) ids += (ids.empty() ? "" : ",") + std::to_string(id);
      HUIYIN_TRY(tx.Query("SELECT id, name FROM orgs WHERE id IN (" + ids + ")", {},
                          [&](const Row& r) { units[r.Int(0)].u.org_name = r.String(1); }));
    }
    auto rate = [](int64_t a, int64_t b) { return b ? static_cast<double>(a) / b : 0.0; };
    for (auto& [id, a] : units) {
      UnitIndicators& u = a.u;
      u.org_id = id;
      u.avg_handling_hours = a.timed ? a.hours / static_cast<double>(a.timed) : 0;
      u.response_rate = rate(u.signed_on_time, u.dispatched);
      u.resolution_rate = rate(u.resolved, u.called_back);
      u.satisfaction_rate = rate(u.satisfied, u.rated);
      u.on_time_rate = rate(u.handled_on_time, u.handled);
      ind.units.push_back(std::move(u));
    }
    for (const auto& [day, channels] : by_day) {
      const std::string date = FormatDate(Date{std::chrono::days{day}});
      for (const auto& [channel, n] : channels) ind.by_day.emplace_back(date, channel, n);
    }
    // Largest first, ties by key (as the dashboard shows them).
    auto sorted = [](const auto& m, auto& out) {
      for (const auto& [k, n] : m) out.emplace_back(k, n);
      std::stable_sort(out.begin(), out.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
    };
    sorted(by_state, ind.by_state);
    sorted(by_category, ind.by_category);
    sorted(by_region, ind.by_region);
    return ind;
  });
}

}  // namespace huiyin::app
