#include "huiyin/storage/clock_repository.h"

#include <algorithm>

namespace huiyin::storage {
namespace {

using core::Clock;
using core::ClockLevel;

std::string_view WarnKindName(core::WarningKind k) {
  return k == core::WarningKind::kShareLeft ? "share_left" : "last_units";
}

constexpr std::string_view kClockColumns =
    "id, case_id, org_id, name, unit, length, start_at, stop_at, warn_kind, warn_numerator, "
    "warn_denominator, warn_units, deadline_at, warn_at";

// One clock row as read; children (pauses, extensions) are read after the row query ends, since a
// row callback must not run other statements.
struct ClockRow {
  int64_t id = 0;
  int64_t case_id = 0;
  std::optional<int64_t> org_id;
  core::ClockFields fields;
  std::string unit;
  int64_t deadline_at = 0;
  int64_t warn_at = 0;
};

// The clocks selected by `where` (over case_clocks aliased k, parameters `params`) with their
// pauses and extensions: two queries whatever the number of clocks. The children queries select
// their clocks with the same `where`, so a LIMIT-free condition (e.g. an id range) is expected.
Result<std::vector<StoredClock>> QueryClocks(Tx& tx, std::string_view where, ParamSpan params) {
  std::vector<ClockRow> rows;
  std::string sql = "SELECT " + std::string(kClockColumns) + " FROM case_clocks k WHERE " +
                    std::string(where) + " ORDER BY id";
  HUIYIN_TRY(tx.Query(sql, params, [&](const Row& r) {
    ClockRow c;
    c.id = r.Int(0);
    c.case_id = r.Int(1);
    c.org_id = r.OptInt(2);
    c.fields.name = r.String(3);
    c.unit = r.String(4);
    c.fields.length = static_cast<int>(r.Int(5));
    c.fields.start = FromMillis(r.Int(6));
    if (!r.IsNull(7)) c.fields.stop = FromMillis(r.Int(7));
    c.fields.warning.kind =
        r.Text(8) == "last_units" ? core::WarningKind::kLastUnits : core::WarningKind::kShareLeft;
    c.fields.warning.numerator = static_cast<int>(r.Int(9));
    c.fields.warning.denominator = static_cast<int>(r.Int(10));
    c.fields.warning.units = static_cast<int>(r.Int(11));
    c.deadline_at = r.Int(12);
    c.warn_at = r.Int(13);
    rows.push_back(std::move(c));
  }));
  if (rows.empty()) return std::vector<StoredClock>{};
  // Rows are in id order and so are the children: a binary search finds a child's clock.
  auto row_of = [&](int64_t clock_id) -> ClockRow* {
    auto it = std::lower_bound(rows.begin(), rows.end(), clock_id,
                               [](const ClockRow& c, int64_t id) { return c.id < id; });
    return it != rows.end() && it->id == clock_id ? &*it : nullptr;
  };
  // Pauses and extensions in one statement (kind 0 and 1), each in its clock's seq order.
  const std::string children =
      " WHERE clock_id IN (SELECT k.id FROM case_clocks k WHERE " + std::string(where) + ")";
  std::vector<Param> twice(params.begin(), params.end());
  twice.insert(twice.end(), params.begin(), params.end());
  HUIYIN_TRY(tx.Query(
      "SELECT clock_id, 0, seq, reason, from_at, to_at, 0, '' FROM clock_pauses" + children +
          " UNION ALL SELECT clock_id, 1, seq, reason, 0, NULL, length, approved_by FROM "
          "clock_extensions" +
          children + " ORDER BY 1, 2, 3",
      ParamSpan(twice), [&](const Row& r) {
        ClockRow* c = row_of(r.Int(0));
        if (c == nullptr) return;
        if (r.Int(1) == 0) {
          core::ClockPause pause{r.String(3), FromMillis(r.Int(4)), std::nullopt};
          if (!r.IsNull(5)) pause.to = FromMillis(r.Int(5));
          c->fields.pauses.push_back(std::move(pause));
        } else {
          c->fields.extensions.push_back({static_cast<int>(r.Int(6)), r.String(3), r.String(7)});
        }
      }));
  std::vector<StoredClock> out;
  out.reserve(rows.size());
  for (auto& c : rows) {
    HUIYIN_ASSIGN_OR_RETURN(c.fields.unit, core::ParseClockUnit(c.unit));
    HUIYIN_ASSIGN_OR_RETURN(Clock clock, Clock::FromFields(std::move(c.fields)));
    out.push_back({c.id, c.case_id, c.org_id, std::move(clock), FromMillis(c.deadline_at),
                   FromMillis(c.warn_at)});
  }
  return out;
}

}  // namespace

Result<int64_t> SaveClock(Tx& tx, int64_t case_id, std::optional<int64_t> org_id,
                          const Clock& clock, bool window, const core::Calendar& calendar,
                          Timestamp now) {
  const core::ClockFields& f = clock.fields();
  core::ClockStatus st = clock.Evaluate(calendar, now);
  Timestamp warn_at = clock.WarnAt(calendar, now);
  HUIYIN_ASSIGN_OR_RETURN(auto existing, tx.QueryInt("SELECT id FROM case_clocks WHERE case_id = ? "
                                                     "AND name = ?",
                                                     {case_id, f.name}));
  std::optional<int64_t> stop;
  if (f.stop) stop = ToMillis(*f.stop);
  int64_t id = 0;
  if (existing) {
    id = *existing;
    HUIYIN_TRY(
        tx.Exec("UPDATE case_clocks SET org_id = ?, unit = ?, length = ?, start_at = ?, "
                "stop_at = ?, warn_kind = ?, warn_numerator = ?, warn_denominator = ?, "
                "warn_units = ?, deadline_at = ?, warn_at = ?, paused = ? "
                "WHERE id = ?",
                {org_id, core::ClockUnitName(f.unit), f.length, ToMillis(f.start), stop,
                 WarnKindName(f.warning.kind), f.warning.numerator, f.warning.denominator,
                 f.warning.units, ToMillis(st.deadline), ToMillis(warn_at), clock.IsPaused(), id}));
    HUIYIN_TRY(tx.Exec("DELETE FROM clock_pauses WHERE clock_id = ?", {id}));
    HUIYIN_TRY(tx.Exec("DELETE FROM clock_extensions WHERE clock_id = ?", {id}));
  } else {
    HUIYIN_ASSIGN_OR_RETURN(
        auto new_id,
        tx.QueryInt(
            "INSERT INTO case_clocks (case_id, name, org_id, unit, length, start_at, "
            "stop_at, warn_kind, warn_numerator, warn_denominator, warn_units, deadline_at, "
            "warn_at, paused, is_window) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id",
            {case_id, f.name, org_id, core::ClockUnitName(f.unit), f.length, ToMillis(f.start),
             stop, WarnKindName(f.warning.kind), f.warning.numerator, f.warning.denominator,
             f.warning.units, ToMillis(st.deadline), ToMillis(warn_at), clock.IsPaused(), window}));
    id = new_id.value_or(0);
  }
  for (size_t i = 0; i < f.pauses.size(); ++i) {
    const auto& p = f.pauses[i];
    std::optional<int64_t> to;
    if (p.to) to = ToMillis(*p.to);
    HUIYIN_TRY(
        tx.Exec("INSERT INTO clock_pauses (clock_id, seq, reason, from_at, to_at) VALUES "
                "(?, ?, ?, ?, ?)",
                {id, static_cast<int64_t>(i), p.reason, ToMillis(p.from), to}));
  }
  for (size_t i = 0; i < f.extensions.size(); ++i) {
    const auto& e = f.extensions[i];
    HUIYIN_TRY(
        tx.Exec("INSERT INTO clock_extensions (clock_id, seq, length, reason, approved_by) "
                "VALUES (?, ?, ?, ?, ?)",
                {id, static_cast<int64_t>(i), e.length, e.reason, e.approved_by}));
  }
  return id;
}

Result<std::vector<StoredClock>> LoadClocks(Tx& tx, int64_t case_id) {
  const Param p[] = {case_id};
  return QueryClocks(tx, "case_id = ?", p);
}

Result<StoredClock> LoadClock(Tx& tx, int64_t case_id, std::string_view name) {
  const Param p[] = {case_id, name};
  HUIYIN_ASSIGN_OR_RETURN(auto v, QueryClocks(tx, "case_id = ? AND name = ?", p));
  if (v.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     "the case has no clock named '" + std::string(name) + "'");
  }
  return std::move(v.front());
}

Result<std::vector<StoredClock>> LoadRunningClocks(Tx& tx, int64_t first_id, int64_t last_id,
                                                   std::string_view where, ParamSpan params) {
  std::vector<Param> all;
  all.reserve(params.size() + 2);
  all.emplace_back(first_id);
  all.emplace_back(last_id);
  for (const Param& p : params) all.push_back(p);
  return QueryClocks(
      tx, "k.id >= ? AND k.id <= ? AND k.stop_at IS NULL AND (" + std::string(where) + ")",
      ParamSpan(all));
}

Status UpdateComputed(Tx& tx, int64_t clock_id, Timestamp deadline, Timestamp warn_at) {
  HUIYIN_TRY(tx.Exec("UPDATE case_clocks SET deadline_at = ?, warn_at = ? WHERE id = ?",
                     {ToMillis(deadline), ToMillis(warn_at), clock_id}));
  return Status::Ok();
}

Result<std::vector<ClockQueueItem>> ListRunningClocks(Tx& tx, const ClockQueueFilter& filter) {
  std::string sql =
      "SELECT k.id, k.case_id, c.number, k.name, k.org_id, k.deadline_at, k.warn_at, "
      "k.paused FROM case_clocks k JOIN cases c ON c.id = k.case_id "
      "WHERE k.stop_at IS NULL AND k.is_window = 0";
  // Parameters are bound positionally; build the list alongside the SQL.
  std::vector<Param> params;
  if (!filter.org_ids.empty()) {
    sql += " AND k.org_id IN (";
    for (size_t i = 0; i < filter.org_ids.size(); ++i) {
      sql += i ? ",?" : "?";
      params.emplace_back(filter.org_ids[i]);
    }
    sql += ")";
  }
  if (filter.deadline_before) {
    sql += " AND k.deadline_at <= ?";
    params.emplace_back(ToMillis(*filter.deadline_before));
  }
  if (filter.deadline_after) {
    sql += " AND k.deadline_at > ?";
    params.emplace_back(ToMillis(*filter.deadline_after));
  }
  if (filter.clock_name) {
    sql += " AND k.name = ?";
    params.emplace_back(*filter.clock_name);
  }
  if (filter.after_deadline) {
    sql += " AND (k.deadline_at > ? OR (k.deadline_at = ? AND k.id > ?))";
    params.emplace_back(ToMillis(*filter.after_deadline));
    params.emplace_back(ToMillis(*filter.after_deadline));
    params.emplace_back(filter.after_id);
  }
  sql += " ORDER BY k.deadline_at, k.id LIMIT ?";
  params.emplace_back(static_cast<int64_t>(std::clamp(filter.limit, 1, 1000)));
  std::vector<ClockQueueItem> out;
  HUIYIN_TRY(tx.Query(sql, ParamSpan(params), [&](const Row& r) {
    out.push_back({r.Int(0), r.Int(1), r.String(2), r.String(3), r.OptInt(4), FromMillis(r.Int(5)),
                   FromMillis(r.Int(6)), r.Int(7) != 0});
  }));
  return out;
}

}  // namespace huiyin::storage
