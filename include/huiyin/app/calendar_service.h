// The working-day calendar as the running system sees it: the shipped official arrangements
// (config/calendars) merged with years imported later and local days off added by administrators
// (both stored in the database, audited). Changing the calendar recomputes the deadlines it
// affects — every open provisional deadline after an import — and records each change on the
// case's timeline. Thread-safe: Current() may be called from any thread while an import runs.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "huiyin/app/context.h"
#include "huiyin/common/result.h"
#include "huiyin/core/calendar.h"
#include "huiyin/core/clock.h"
#include "huiyin/storage/database.h"

namespace huiyin::app {

// What an import or a local-day change did.
struct CalendarChangeReport {
  std::vector<int> years;      // years imported (empty for a local day change)
  int days = 0;                // official or local days written
  int64_t clocks_checked = 0;  // running clocks recomputed
  int64_t clocks_changed = 0;  // of which the deadline or provisional flag changed
};

// A deadline computed for people and other systems (portal hints, `huiyin calendar deadline`).
struct DeadlineAnswer {
  Timestamp from{};
  int length = 0;
  core::ClockUnit unit = core::ClockUnit::kWorkingDays;
  Timestamp deadline{};
  bool provisional = false;
};

class CalendarService {
 public:
  // Builds the calendar from `shipped` plus what the database holds.
  static Result<std::unique_ptr<CalendarService>> Create(storage::Database& db,
                                                         core::CalendarData shipped);

  // The calendar in force now (never null). Cheap: a shared_ptr copy under a mutex.
  std::shared_ptr<const core::Calendar> Current() const;

  // Imports official arrangements (needs calendar:day:edit city-wide): the years in `data.years`
  // replace what was known of them, then every open provisional deadline is recomputed. All or
  // nothing for the calendar itself; clocks are recomputed in batches afterwards (re-running the
  // import recomputes any left unfinished by a crash).
  Result<CalendarChangeReport> Import(const Principal& actor, const core::CalendarData& data,
                                      const RequestMeta& meta);
  // Adds or removes a local day off (admin closure); running clocks spanning the day are
  // recomputed.
  Result<CalendarChangeReport> AddLocalDayOff(const Principal& actor, Date date,
                                              const std::string& name, const RequestMeta& meta);
  Result<CalendarChangeReport> RemoveLocalDayOff(const Principal& actor, Date date,
                                                 const RequestMeta& meta);

  // from + length units under the current calendar (start day not counted, RULES.md §1).
  Result<DeadlineAnswer> Deadline(Timestamp from, int length, core::ClockUnit unit) const;

  // Recomputes the stored deadline of every running clock selected by `where` (SQL over
  // case_clocks k, e.g. "k.deadline_at >= ?"), in batches of `batch` per transaction, writing and
  // recording on the case's timeline (with `reason`) only the deadlines that move. Returns
  // (checked, changed).
  Result<std::pair<int64_t, int64_t>> RecomputeClocks(std::string_view where,
                                                      std::vector<int64_t> where_params,
                                                      const std::string& reason, Timestamp now,
                                                      int batch = 10000);

 private:
  CalendarService(storage::Database& db, core::CalendarData shipped)
      : db_(db), shipped_(std::move(shipped)) {}
  Status Reload();

  storage::Database& db_;
  core::CalendarData shipped_;
  mutable std::mutex mu_;
  std::shared_ptr<const core::Calendar> current_;
};

}  // namespace huiyin::app
