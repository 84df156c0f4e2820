// Persistence of legal clocks with their case (case_clocks, clock_pauses, clock_extensions). Every
// save stores the computed deadline, yellow instant and provisional flag, so queues ("everything of
// my department going red in the next 2 working days") are index range scans. Functions run inside
// the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "huiyin/common/result.h"
#include "huiyin/core/calendar.h"
#include "huiyin/core/clock.h"
#include "huiyin/storage/database.h"

namespace huiyin::storage {

// A clock as stored, with its row id, case and unit (org) and the stored computed fields.
struct StoredClock {
  int64_t id = 0;
  int64_t case_id = 0;
  std::optional<int64_t> org_id;
  core::Clock clock;
  Timestamp deadline{};
  Timestamp warn_at{};
  bool provisional = false;
};

// The instant a running clock turns yellow under its warning policy (for the stored warn_at).
Timestamp YellowInstant(const core::Clock& clock, const core::Calendar& calendar, Timestamp now);

// Inserts or replaces the clock named clock.name() of `case_id` (with its pauses and extensions)
// and its computed fields as of `now`. Returns the row id.
Result<int64_t> SaveClock(Tx& tx, int64_t case_id, std::optional<int64_t> org_id,
                          const core::Clock& clock, const core::Calendar& calendar, Timestamp now);

// Every clock of a case, in creation order.
Result<std::vector<StoredClock>> LoadClocks(Tx& tx, int64_t case_id);

// One clock of a case by name; kNotFound when the case has none of that name.
Result<StoredClock> LoadClock(Tx& tx, int64_t case_id, std::string_view name);

// A queue row: a running clock and the case it belongs to.
struct ClockQueueItem {
  int64_t clock_id = 0;
  int64_t case_id = 0;
  std::string case_number;
  std::string clock_name;
  std::optional<int64_t> org_id;
  Timestamp deadline{};
  Timestamp warn_at{};
  bool provisional = false;
  bool paused = false;
};

struct ClockQueueFilter {
  std::vector<int64_t> org_ids;              // empty: every unit
  std::optional<Timestamp> deadline_before;  // running clocks due at or before this instant
  std::optional<Timestamp> deadline_after;   // and after this one (e.g. not yet red)
  std::optional<std::string> clock_name;
  std::optional<Timestamp> after_deadline;  // cursor: (deadline, id) strictly after
  int64_t after_id = 0;
  int limit = 100;
};

// Running clocks by deadline (earliest first), index-backed by case_clocks_queue.
Result<std::vector<ClockQueueItem>> ListRunningClocks(Tx& tx, const ClockQueueFilter& filter);

// Ids of running clocks whose deadline is provisional, with id > after_id, at most `limit`.
Result<std::vector<int64_t>> ProvisionalClockIds(Tx& tx, int64_t after_id, int limit);

// Loads one clock by row id.
Result<StoredClock> LoadClockById(Tx& tx, int64_t clock_id);

}  // namespace huiyin::storage
