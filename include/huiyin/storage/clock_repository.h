// Persistence of legal clocks with their case (case_clocks, clock_pauses, clock_extensions). Every
// save stores the computed deadline and yellow instant, so queues ("everything of
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

// A clock as stored, with its row id, case and unit (org) and the stored computed fields. Whether
// the deadline is provisional is not stored: it depends on the calendar loaded now
// (Clock::Evaluate, Calendar::IsProvisional).
struct StoredClock {
  int64_t id = 0;
  int64_t case_id = 0;
  std::optional<int64_t> org_id;
  core::Clock clock;
  Timestamp deadline{};
  Timestamp warn_at{};
};

// Inserts or replaces the clock named clock.name() of `case_id` (with its pauses and extensions)
// and its computed fields as of `now`; `window` marks a period for the other party
// (core::ClockSpec::window), never counted as late. Returns the row id.
Result<int64_t> SaveClock(Tx& tx, int64_t case_id, std::optional<int64_t> org_id,
                          const core::Clock& clock, bool window, const core::Calendar& calendar,
                          Timestamp now);

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

// Running clocks by deadline (earliest first), windows left out, index-backed by
// case_clocks_queue.
Result<std::vector<ClockQueueItem>> ListRunningClocks(Tx& tx, const ClockQueueFilter& filter);

// The running clocks with first_id <= id <= last_id that match `where` (SQL over case_clocks k,
// parameters `params`), with pauses and extensions, in three queries: the batch loader of a
// recompute.
Result<std::vector<StoredClock>> LoadRunningClocks(Tx& tx, int64_t first_id, int64_t last_id,
                                                   std::string_view where, ParamSpan params);

// Stores a recomputed deadline and yellow instant of clock `clock_id` (its fields, pauses and
// extensions unchanged).
Status UpdateComputed(Tx& tx, int64_t clock_id, Timestamp deadline, Timestamp warn_at);

}  // namespace huiyin::storage
