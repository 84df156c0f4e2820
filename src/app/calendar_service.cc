#include "huiyin/app/calendar_service.h"

#include <spdlog/spdlog.h>

#include "huiyin/app/audit.h"
#include "huiyin/storage/clock_repository.h"

namespace huiyin::app {
namespace {

constexpr std::string_view kEditPermission = "calendar:day:edit";

Status RequireCalendarAdmin(const Principal& actor) {
  if (!actor.CanOnCityWide(kEditPermission)) {
    return MakeError(ErrorCode::kForbidden,
                     "changing the working-day calendar needs the calendar:day:edit permission "
                     "for the whole city");
  }
  return Status::Ok();
}

// The shipped data merged with the database's imports and local days.
Result<core::CalendarData> LoadMerged(storage::Database& db, const core::CalendarData& shipped) {
  core::CalendarData stored;
  stored.source = "database";
  HUIYIN_TRY(db.Read([&](storage::Tx& tx) -> Status {
    HUIYIN_TRY(tx.Query("SELECT year FROM calendar_years", {},
                        [&](const storage::Row& r) { stored.years.insert(int(r.Int(0))); }));
    Status parse = Status::Ok();
    HUIYIN_TRY(tx.Query(
        "SELECT date, kind, name FROM calendar_days ORDER BY date", {}, [&](const storage::Row& r) {
          auto d = ParseDate(r.Text(0));
          if (!d.ok()) {
            parse = d.error();
            return;
          }
          std::string_view kind = r.Text(1);
          if (kind == "local_off") {
            stored.local_days_off[*d] = r.String(2);
          } else {
            stored.official_days[*d] = {
                kind == "work" ? core::OfficialDayKind::kWork : core::OfficialDayKind::kOff,
                r.String(2)};
          }
        }));
    return parse;
  }));
  return core::MergeCalendarData(shipped, stored);
}

std::string DescribeYears(const std::set<int>& years) {
  std::string s;
  for (int y : years) s += (s.empty() ? "" : ",") + std::to_string(y);
  return s;
}

}  // namespace

Result<std::unique_ptr<CalendarService>> CalendarService::Create(storage::Database& db,
                                                                 core::CalendarData shipped) {
  std::unique_ptr<CalendarService> s(new CalendarService(db, std::move(shipped)));
  HUIYIN_TRY(s->Reload());
  return s;
}

Status CalendarService::Reload() {
  HUIYIN_ASSIGN_OR_RETURN(core::CalendarData data, LoadMerged(db_, shipped_));
  HUIYIN_ASSIGN_OR_RETURN(auto cal, core::Calendar::Create(std::move(data)));
  std::lock_guard lock(mu_);
  current_ = std::move(cal);
  return Status::Ok();
}

std::shared_ptr<const core::Calendar> CalendarService::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

Result<CalendarChangeReport> CalendarService::Import(const Principal& actor,
                                                     const core::CalendarData& data,
                                                     const RequestMeta& meta) {
  HUIYIN_TRY(RequireCalendarAdmin(actor));
  if (data.years.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the calendar file declares no published year; nothing to import");
  }
  // Check the merged result builds before writing anything.
  HUIYIN_ASSIGN_OR_RETURN(core::CalendarData merged, LoadMerged(db_, shipped_));
  HUIYIN_TRY(core::Calendar::Create(core::MergeCalendarData(merged, data)));
  CalendarChangeReport report;
  report.years.assign(data.years.begin(), data.years.end());
  const std::string source = data.source.empty() ? "import" : data.source;
  HUIYIN_TRY(db_.Write([&](storage::Tx& tx) -> Status {
    report.days = 0;
    for (int y : data.years) {
      std::string first = std::to_string(y) + "-01-01";
      std::string last = std::to_string(y) + "-12-31";
      HUIYIN_TRY(
          tx.Exec("DELETE FROM calendar_days WHERE kind <> 'local_off' AND date >= ? AND "
                  "date <= ?",
                  {first, last}));
      HUIYIN_TRY(tx.Exec("DELETE FROM calendar_years WHERE year = ?", {y}));
      HUIYIN_TRY(tx.Exec("INSERT INTO calendar_years (year, source, loaded_at) VALUES (?, ?, ?)",
                         {y, source, ToMillis(meta.now)}));
    }
    for (const auto& [date, day] : data.official_days) {
      std::string d = FormatDate(date);
      HUIYIN_TRY(tx.Exec("DELETE FROM calendar_days WHERE date = ? AND kind <> 'local_off'", {d}));
      HUIYIN_TRY(
          tx.Exec("INSERT INTO calendar_days (date, kind, name, source, created_at, "
                  "created_by) VALUES (?, ?, ?, ?, ?, ?)",
                  {d, day.kind == core::OfficialDayKind::kWork ? "work" : "off", day.name, source,
                   ToMillis(meta.now), actor.user_id}));
      ++report.days;
    }
    AuditRecord rec =
        AuditOf(actor, meta, "calendar.import", "calendar", DescribeYears(data.years));
    rec.digest = std::to_string(report.days) + " days from " + source;
    auto a = AppendAudit(tx, rec, meta.now);
    if (!a.ok()) return std::move(a).error();
    return Status::Ok();
  }));
  HUIYIN_TRY(Reload());
  // Only a clock running in an imported year can move: its deadline is at or after the first
  // day of the first year and it started before the last year ended.
  const int64_t first = ToMillis(
      StartOfLocalDay(Date(std::chrono::year(*data.years.begin()) / std::chrono::January / 1)));
  const int64_t last = ToMillis(
      EndOfLocalDay(Date(std::chrono::year(*data.years.rbegin()) / std::chrono::December / 31)));
  HUIYIN_ASSIGN_OR_RETURN(
      auto counts, RecomputeClocks("k.deadline_at >= ? AND k.start_at <= ?", {first, last},
                                   "calendar " + DescribeYears(data.years) + " loaded", meta.now));
  report.clocks_checked = counts.first;
  report.clocks_changed = counts.second;
  return report;
}

Result<CalendarChangeReport> CalendarService::AddLocalDayOff(const Principal& actor, Date date,
                                                             const std::string& name,
                                                             const RequestMeta& meta) {
  HUIYIN_TRY(RequireCalendarAdmin(actor));
  if (name.empty() || name.size() > 200) {
    return FieldInvalid("name", "give the day off a name of 1 to 200 bytes, e.g. 防汛闭馆");
  }
  const std::string d = FormatDate(date);
  HUIYIN_TRY(db_.Write([&](storage::Tx& tx) -> Status {
    HUIYIN_ASSIGN_OR_RETURN(auto exists, tx.QueryInt("SELECT count(*) FROM calendar_days WHERE "
                                                     "date = ? AND kind = 'local_off'",
                                                     {d}));
    if (exists && *exists > 0) {
      return MakeError(ErrorCode::kConflict, d + " is already a local day off");
    }
    // A local day replaces an official entry on the same date only in the computed calendar;
    // the official row stays (the date is its primary key, so the official row moves aside).
    HUIYIN_TRY(tx.Exec("DELETE FROM calendar_days WHERE date = ?", {d}));
    HUIYIN_TRY(
        tx.Exec("INSERT INTO calendar_days (date, kind, name, source, created_at, "
                "created_by) VALUES (?, 'local_off', ?, 'local', ?, ?)",
                {d, name, ToMillis(meta.now), actor.user_id}));
    AuditRecord rec = AuditOf(actor, meta, "calendar.local_day_add", "calendar_day", d);
    rec.digest = name;
    auto a = AppendAudit(tx, rec, meta.now);
    if (!a.ok()) return std::move(a).error();
    return Status::Ok();
  }));
  HUIYIN_TRY(Reload());
  CalendarChangeReport report;
  report.days = 1;
  int64_t day_start = ToMillis(StartOfLocalDay(date));
  int64_t day_end = ToMillis(EndOfLocalDay(date));
  HUIYIN_ASSIGN_OR_RETURN(
      auto counts, RecomputeClocks("k.deadline_at >= ? AND k.start_at <= ?", {day_start, day_end},
                                   "local day off " + d + " added", meta.now));
  report.clocks_checked = counts.first;
  report.clocks_changed = counts.second;
  return report;
}

Result<CalendarChangeReport> CalendarService::RemoveLocalDayOff(const Principal& actor, Date date,
                                                                const RequestMeta& meta) {
  HUIYIN_TRY(RequireCalendarAdmin(actor));
  const std::string d = FormatDate(date);
  HUIYIN_TRY(db_.Write([&](storage::Tx& tx) -> Status {
    HUIYIN_ASSIGN_OR_RETURN(int64_t n, tx.Exec("DELETE FROM calendar_days WHERE date = ? AND "
                                               "kind = 'local_off'",
                                               {d}));
    if (n == 0) return MakeError(ErrorCode::kNotFound, d + " is not a local day off");
    auto a = AppendAudit(tx, AuditOf(actor, meta, "calendar.local_day_remove", "calendar_day", d),
                         meta.now);
    if (!a.ok()) return std::move(a).error();
    return Status::Ok();
  }));
  HUIYIN_TRY(Reload());
  CalendarChangeReport report;
  report.days = 1;
  // Deadlines that moved past this day may now come back to it: recompute clocks running then.
  int64_t day_end = ToMillis(EndOfLocalDay(date));
  HUIYIN_ASSIGN_OR_RETURN(auto counts,
                          RecomputeClocks("k.start_at <= ? AND k.deadline_at >= ?",
                                          {day_end, ToMillis(StartOfLocalDay(date))},
                                          "local day off " + d + " removed", meta.now));
  report.clocks_checked = counts.first;
  report.clocks_changed = counts.second;
  return report;
}

Result<DeadlineAnswer> CalendarService::Deadline(Timestamp from, int length,
                                                 core::ClockUnit unit) const {
  if (length < 0 || length > core::Clock::kMaxLength) {
    return FieldInvalid("length",
                        "must be between 0 and " + std::to_string(core::Clock::kMaxLength));
  }
  auto cal = Current();
  DeadlineAnswer a{from, length, unit, from, false};
  switch (unit) {
    case core::ClockUnit::kHours:
      a.deadline = cal->AddHours(from, length);
      break;
    case core::ClockUnit::kWorkingDays: {
      auto r = cal->AddWorkingDays(LocalDate(from), length);
      a.deadline = EndOfLocalDay(r.date);
      a.provisional = r.provisional;
      break;
    }
    case core::ClockUnit::kCalendarDays: {
      auto r = cal->AddCalendarDays(LocalDate(from), length);
      a.deadline = EndOfLocalDay(r.date);
      a.provisional = r.provisional;
      break;
    }
  }
  return a;
}

Result<std::pair<int64_t, int64_t>> CalendarService::RecomputeClocks(
    std::string_view where, std::vector<int64_t> where_params, const std::string& reason,
    Timestamp now, int batch) {
  auto cal = Current();
  int64_t checked = 0;
  int64_t changed = 0;
  int64_t after_id = 0;
  const std::string select =
      "SELECT k.id FROM case_clocks k WHERE k.stop_at IS NULL AND k.id > ? AND (" +
      std::string(where) + ") ORDER BY k.id LIMIT ?";
  const std::vector<storage::Param> filter(where_params.begin(), where_params.end());
  std::vector<storage::Param> params{after_id};
  params.insert(params.end(), filter.begin(), filter.end());
  params.emplace_back(static_cast<int64_t>(batch));
  const int64_t at = ToMillis(now);
  std::vector<int64_t> ids;
  std::string note;
  // One transaction per batch: other writers get the (SQLite) writer between batches, and each
  // batch is three reads plus one update and one timeline event per changed clock.
  for (;;) {
    HUIYIN_TRY(db_.Write([&](storage::Tx& tx) -> Status {
      ids.clear();
      params.front() = storage::Param(after_id);
      HUIYIN_TRY(tx.Query(select, storage::ParamSpan(params),
                          [&](const storage::Row& r) { ids.push_back(r.Int(0)); }));
      if (ids.empty()) return Status::Ok();
      HUIYIN_ASSIGN_OR_RETURN(
          auto clocks, storage::LoadRunningClocks(tx, ids.front(), ids.back(), where, filter));
      for (const storage::StoredClock& s : clocks) {
        const core::ClockStatus st = s.clock.Evaluate(*cal, now);
        if (st.deadline == s.deadline) continue;
        HUIYIN_TRY(storage::UpdateComputed(tx, s.id, st.deadline, s.clock.WarnAt(*cal, now)));
        note.clear();
        note.append(s.clock.name()).append(": ").append(FormatIso(s.deadline)).append(" -> ");
        note.append(FormatIso(st.deadline));
        if (st.provisional) note.append(" (provisional)");
        note.append("; ").append(reason);
        HUIYIN_TRY(
            tx.Exec("INSERT INTO case_events (case_id, at, actor_name, role, action, note, "
                    "public) VALUES (?, ?, 'system', 'system', 'clock.recomputed', ?, 1)",
                    {s.case_id, at, note}));
        ++changed;
      }
      return Status::Ok();
    }));
    checked += static_cast<int64_t>(ids.size());
    if (ids.empty()) break;
    after_id = ids.back();
    if (static_cast<int>(ids.size()) < batch) break;
  }
  if (changed > 0) spdlog::info("recomputed {} of {} clocks: {}", changed, checked, reason);
  return std::make_pair(checked, changed);
}

}  // namespace huiyin::app
