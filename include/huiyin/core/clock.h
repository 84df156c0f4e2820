// Legal clocks (时限): one time limit of a case — sign-for, handle, reply, supplement, … — with
// pauses (Administrative Licensing Law Art. 45: hearing, testing, expert review… are not counted),
// extensions (延期) and a stop. A Clock is a plain copyable value; storage persists ClockFields and
// rebuilds the clock with Clock::FromFields. Clocks never read the system time: every query takes
// a Calendar and `now`.
//
// Deadline rules (RULES.md §1):
//  - The start day is never counted; a period in days ends at 23:59:59.999 Shanghai time of its
//    last counted day (EndOfLocalDay); a period in hours ends at start + hours, around the clock.
//  - kWorkingDays: deadline day = Calendar::AddWorkingDays(local date of start, total length).
//  - kCalendarDays: deadline day = local date of start + total length, moved to the next working
//    day if it is not one (Civil Code Art. 203).
//  - total length = length + the sum of the extensions.
//  - Pauses are not counted. A pause from instant F to instant T (or `now` while still open)
//    shifts the deadline as follows, taking pauses in order:
//      kWorkingDays:  by WorkingDaysBetween(LocalDate(F), LocalDate(T)) working days, i.e. the
//                     working days in (day of F, day of T]: the day the pause starts still counts,
//                     the day it ends does not (counting restarts the next day, as for a start);
//      kCalendarDays: by the calendar days in (day of F, day of T]; Art. 203 applies to the final
//                     last day only;
//      kHours:        by T − F exactly.
//    A pause that starts after the deadline as shifted so far does not move it (late stays late).
//  - Remaining and used time are measured at `now`, or at the stop instant once stopped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "huiyin/common/result.h"
#include "huiyin/common/time.h"
#include "huiyin/core/calendar.h"

namespace huiyin::core {

enum class ClockUnit { kWorkingDays, kCalendarDays, kHours };

// "working_days", "calendar_days", "hours": the stored and wire names of a unit.
std::string_view ClockUnitName(ClockUnit unit);
// Inverse of ClockUnitName; kInvalidArgument for anything else.
Result<ClockUnit> ParseClockUnit(std::string_view name);

enum class ClockLevel {
  kNormal,         // running, plenty of time left
  kYellow,         // running, inside the warning window (黄牌预警)
  kRed,            // running, deadline passed (红牌/超期)
  kStoppedOnTime,  // stopped at or before the deadline
  kStoppedLate,    // stopped after the deadline
};

// "normal", "yellow", "red", "stopped_on_time", "stopped_late".
std::string_view ClockLevelName(ClockLevel level);

enum class WarningKind {
  kShareLeft,  // yellow when remaining ≤ numerator/denominator of the total length
  kLastUnits,  // yellow when remaining ≤ `units` units
};

// When a running clock turns yellow. Integers only, so it stores exactly.
struct WarningPolicy {
  WarningKind kind = WarningKind::kShareLeft;
  int numerator = 1;    // kShareLeft
  int denominator = 3;  // kShareLeft
  int units = 0;        // kLastUnits

  // Yellow in the last numerator/denominator of the total time, e.g. ShareLeft(1, 3).
  static WarningPolicy ShareLeft(int numerator, int denominator) {
    return {WarningKind::kShareLeft, numerator, denominator, 0};
  }
  // Yellow when at most `units` units are left, e.g. LastUnits(2) = the last 2 working days.
  static WarningPolicy LastUnits(int units) { return {WarningKind::kLastUnits, 1, 3, units}; }

  friend bool operator==(const WarningPolicy&, const WarningPolicy&) = default;
};

// Time not counted (Art. 45), e.g. reason "supplement" or "expert_review".
struct ClockPause {
  std::string reason;
  Timestamp from;
  std::optional<Timestamp> to;  // empty while the pause lasts

  friend bool operator==(const ClockPause&, const ClockPause&) = default;
};

// An approved extension (延期) of `length` units.
struct ClockExtension {
  int length = 0;
  std::string reason;
  std::string approved_by;  // user id or name of the approver

  friend bool operator==(const ClockExtension&, const ClockExtension&) = default;
};

// Every stored field of a clock.
struct ClockFields {
  std::string name;  // "sign_for", "handle", "reply", "supplement", …
  ClockUnit unit = ClockUnit::kWorkingDays;
  int length = 0;
  Timestamp start{};
  std::vector<ClockPause> pauses;  // chronological, non-overlapping; only the last may be open
  std::vector<ClockExtension> extensions;
  std::optional<Timestamp> stop;
  WarningPolicy warning;

  friend bool operator==(const ClockFields&, const ClockFields&) = default;
};

// Everything a screen or a reminder job wants to know about a clock at one instant.
struct ClockStatus {
  Timestamp deadline{};
  bool provisional = false;  // the deadline rests on a year whose calendar is not loaded
  int64_t remaining = 0;     // in the clock's unit; negative when late (hours: floor of the rest)
  int64_t used = 0;          // total length − remaining
  ClockLevel level = ClockLevel::kNormal;

  friend bool operator==(const ClockStatus&, const ClockStatus&) = default;
};

// A legal time limit of a case. Value type: copy freely; not synchronised (one writer at a time).
class Clock {
 public:
  // Upper bound on length and on length + extensions, in the clock's unit.
  static constexpr int kMaxLength = 100000;

  // A running clock. kIllegalClockOperation for an empty name, non-positive or too large length,
  // or a bad warning policy.
  static Result<Clock> Start(std::string name, ClockUnit unit, int length, Timestamp start,
                             WarningPolicy warning = {});
  // Rebuilds a clock from stored fields, checking the same invariants the operations keep;
  // kInvalidArgument naming the field otherwise.
  static Result<Clock> FromFields(ClockFields fields);

  const ClockFields& fields() const { return fields_; }
  const std::string& name() const { return fields_.name; }
  ClockUnit unit() const { return fields_.unit; }
  int length() const { return fields_.length; }
  Timestamp start() const { return fields_.start; }
  const std::vector<ClockPause>& pauses() const { return fields_.pauses; }
  const std::vector<ClockExtension>& extensions() const { return fields_.extensions; }
  const std::optional<Timestamp>& stop() const { return fields_.stop; }
  const WarningPolicy& warning() const { return fields_.warning; }

  // length + all extensions.
  int TotalLength() const;
  bool IsPaused() const { return !fields_.pauses.empty() && !fields_.pauses.back().to; }
  bool IsStopped() const { return fields_.stop.has_value(); }

  // Pauses a running clock at `at` (not before the start or the end of the previous pause).
  Status Pause(std::string reason, Timestamp at);
  // Ends the current pause at `at` (not before it began).
  Status Resume(Timestamp at);
  // Adds `length` (> 0) units; not on a stopped clock. Whether an extension is allowed at all
  // (before the deadline, approver's authority, maximum) is the workflow's policy.
  Status Extend(int length, std::string reason, std::string approved_by);
  // Stops the clock at `at` for good; an open pause ends at the same instant.
  Status Stop(Timestamp at);

  // The deadline and whether it is provisional, as of `now` (an open pause lasts until `now`).
  Timestamp Deadline(const Calendar& calendar, Timestamp now) const;
  // The Shanghai day of the deadline and whether it is provisional (never for hours).
  DeadlineResult DeadlineDay(const Calendar& calendar, Timestamp now) const;
  // Deadline, provisional flag, remaining and used time and level at `now`.
  ClockStatus Evaluate(const Calendar& calendar, Timestamp now) const;
  // The first instant at which Evaluate reports yellow or red (never before the start): the
  // stored warn_at that queues compare with. Computed in O(1) from the warning policy for a clock
  // that is not paused; a paused clock's deadline moves with `now`, so it is searched as of `now`.
  // The deadline for a stopped clock, or one that never turns yellow before its deadline.
  Timestamp WarnAt(const Calendar& calendar, Timestamp now) const;

 private:
  explicit Clock(ClockFields fields) : fields_(std::move(fields)) {}
  struct Computed {
    Timestamp deadline;
    Date deadline_day;
    bool provisional;
  };
  Computed Compute(const Calendar& calendar, Timestamp now) const;

  ClockFields fields_;
};

}  // namespace huiyin::core
