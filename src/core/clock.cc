#include "huiyin/core/clock.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace huiyin::core {

namespace {

constexpr int64_t kMillisPerHour = 3600 * 1000;

Error Illegal(std::string detail) {
  return MakeError(ErrorCode::kIllegalClockOperation, std::move(detail));
}

std::string Quoted(const std::string& name) {
  return "clock \"" + name + "\"";
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Empty when the policy is usable, otherwise what is wrong with it.
std::string CheckWarning(const WarningPolicy& w) {
  if (w.kind == WarningKind::kShareLeft) {
    if (w.denominator <= 0 || w.denominator > 1000 || w.numerator < 0 ||
        w.numerator > w.denominator) {
      return "share-left warning needs 0 <= numerator <= denominator <= 1000 and denominator > 0, "
             "got " +
             std::to_string(w.numerator) + "/" + std::to_string(w.denominator);
    }
  } else if (w.units < 0 || w.units > Clock::kMaxLength) {
    return "last-units warning needs 0 <= units <= " + std::to_string(Clock::kMaxLength) +
           ", got " + std::to_string(w.units);
  }
  return {};
}

}  // namespace

std::string_view ClockUnitName(ClockUnit unit) {
  switch (unit) {
    case ClockUnit::kWorkingDays:
      return "working_days";
    case ClockUnit::kCalendarDays:
      return "calendar_days";
    case ClockUnit::kHours:
      return "hours";
  }
  return "working_days";
}

Result<ClockUnit> ParseClockUnit(std::string_view name) {
  for (ClockUnit u : {ClockUnit::kWorkingDays, ClockUnit::kCalendarDays, ClockUnit::kHours}) {
    if (ClockUnitName(u) == name) return u;
  }
  return FieldInvalid(
      "unit", "must be working_days, calendar_days or hours, got \"" + std::string(name) + "\"");
}

std::string_view ClockLevelName(ClockLevel level) {
  switch (level) {
    case ClockLevel::kNormal:
      return "normal";
    case ClockLevel::kYellow:
      return "yellow";
    case ClockLevel::kRed:
      return "red";
    case ClockLevel::kStoppedOnTime:
      return "stopped_on_time";
    case ClockLevel::kStoppedLate:
      return "stopped_late";
  }
  return "normal";
}

Result<Clock> Clock::Start(std::string name, ClockUnit unit, int length, Timestamp start,
                           WarningPolicy warning) {
  if (name.empty()) return Illegal("a clock needs a name, e.g. \"handle\"");
  if (length <= 0 || length > kMaxLength) {
    return Illegal(Quoted(name) + ": length must be between 1 and " + std::to_string(kMaxLength) +
                   ", got " + std::to_string(length));
  }
  if (std::string bad = CheckWarning(warning); !bad.empty()) {
    return Illegal(Quoted(name) + ": " + bad);
  }
  ClockFields fields;
  fields.name = std::move(name);
  fields.unit = unit;
  fields.length = length;
  fields.start = start;
  fields.warning = warning;
  return Clock(std::move(fields));
}

Result<Clock> Clock::FromFields(ClockFields f) {
  if (f.name.empty()) return FieldInvalid("name", "must not be empty");
  if (f.length <= 0 || f.length > kMaxLength) {
    return FieldInvalid("length", "must be between 1 and " + std::to_string(kMaxLength));
  }
  int64_t total = f.length;
  for (size_t i = 0; i < f.extensions.size(); ++i) {
    const ClockExtension& e = f.extensions[i];
    const std::string field = "extensions[" + std::to_string(i) + "]";
    if (e.length <= 0) return FieldInvalid(field + ".length", "must be positive");
    if (e.reason.empty()) return FieldInvalid(field + ".reason", "must not be empty");
    if (e.approved_by.empty()) return FieldInvalid(field + ".approved_by", "must not be empty");
    total += e.length;
  }
  if (total > kMaxLength) {
    return FieldInvalid("extensions",
                        "length plus extensions exceeds " + std::to_string(kMaxLength));
  }
  Timestamp previous_end = f.start;
  for (size_t i = 0; i < f.pauses.size(); ++i) {
    const ClockPause& p = f.pauses[i];
    const std::string field = "pauses[" + std::to_string(i) + "]";
    if (p.reason.empty()) return FieldInvalid(field + ".reason", "must not be empty");
    if (p.from < previous_end) {
      return FieldInvalid(field + ".from", "is before the start or the end of the previous pause");
    }
    if (!p.to) {
      if (i + 1 != f.pauses.size())
        return FieldInvalid(field + ".to", "only the last pause may be open");
      if (f.stop) return FieldInvalid(field + ".to", "a stopped clock has no open pause");
      previous_end = p.from;
    } else {
      if (*p.to < p.from) return FieldInvalid(field + ".to", "is before the pause began");
      previous_end = *p.to;
    }
  }
  if (f.stop && *f.stop < previous_end) {
    return FieldInvalid("stop", "is before the start or the end of the last pause");
  }
  if (std::string bad = CheckWarning(f.warning); !bad.empty()) return FieldInvalid("warning", bad);
  return Clock(std::move(f));
}

int Clock::TotalLength() const {
  int total = fields_.length;
  for (const ClockExtension& e : fields_.extensions) total += e.length;
  return total;
}

Status Clock::Pause(std::string reason, Timestamp at) {
  if (IsStopped()) {
    return Illegal("cannot pause the stopped " + Quoted(fields_.name) + " (stopped at " +
                   FormatIso(*fields_.stop) + ")");
  }
  if (IsPaused()) {
    return Illegal(Quoted(fields_.name) + " is already paused since " +
                   FormatIso(fields_.pauses.back().from) + " (" + fields_.pauses.back().reason +
                   "); resume it first");
  }
  if (reason.empty()) return Illegal("a pause of " + Quoted(fields_.name) + " needs a reason");
  if (at < fields_.start) {
    return Illegal("cannot pause " + Quoted(fields_.name) + " at " + FormatIso(at) +
                   ", before it started at " + FormatIso(fields_.start));
  }
  if (!fields_.pauses.empty() && at < *fields_.pauses.back().to) {
    return Illegal("cannot pause " + Quoted(fields_.name) + " at " + FormatIso(at) +
                   ", before its previous pause ended at " + FormatIso(*fields_.pauses.back().to));
  }
  fields_.pauses.push_back(ClockPause{std::move(reason), at, std::nullopt});
  return Status::Ok();
}

Status Clock::Resume(Timestamp at) {
  if (IsStopped()) {
    return Illegal("cannot resume the stopped " + Quoted(fields_.name) + " (stopped at " +
                   FormatIso(*fields_.stop) + ")");
  }
  if (!IsPaused()) return Illegal("cannot resume " + Quoted(fields_.name) + ": it is running");
  ClockPause& pause = fields_.pauses.back();
  if (at < pause.from) {
    return Illegal("a pause of " + Quoted(fields_.name) + " cannot end at " + FormatIso(at) +
                   ", before it started at " + FormatIso(pause.from));
  }
  pause.to = at;
  return Status::Ok();
}

Status Clock::Extend(int length, std::string reason, std::string approved_by) {
  if (IsStopped()) {
    return Illegal("cannot extend the stopped " + Quoted(fields_.name) + " (stopped at " +
                   FormatIso(*fields_.stop) + ")");
  }
  if (length <= 0) {
    return Illegal("an extension of " + Quoted(fields_.name) + " must be positive, got " +
                   std::to_string(length));
  }
  if (static_cast<int64_t>(TotalLength()) + length > kMaxLength) {
    return Illegal("extending " + Quoted(fields_.name) + " by " + std::to_string(length) +
                   " would exceed " + std::to_string(kMaxLength) + " units");
  }
  if (reason.empty()) return Illegal("an extension of " + Quoted(fields_.name) + " needs a reason");
  if (approved_by.empty()) {
    return Illegal("an extension of " + Quoted(fields_.name) + " needs its approver");
  }
  fields_.extensions.push_back(ClockExtension{length, std::move(reason), std::move(approved_by)});
  return Status::Ok();
}

Status Clock::Stop(Timestamp at) {
  if (IsStopped()) {
    return Illegal(Quoted(fields_.name) + " is already stopped (at " + FormatIso(*fields_.stop) +
                   ")");
  }
  if (at < fields_.start) {
    return Illegal("cannot stop " + Quoted(fields_.name) + " at " + FormatIso(at) +
                   ", before it started at " + FormatIso(fields_.start));
  }
  if (!fields_.pauses.empty()) {
    const ClockPause& last = fields_.pauses.back();
    const Timestamp last_end = last.to.value_or(last.from);
    if (at < last_end) {
      return Illegal("cannot stop " + Quoted(fields_.name) + " at " + FormatIso(at) +
                     ", before its last pause " + (last.to ? "ended" : "began") + " at " +
                     FormatIso(last_end));
    }
  }
  if (IsPaused()) fields_.pauses.back().to = at;
  fields_.stop = at;
  return Status::Ok();
}

Clock::Computed Clock::Compute(const Calendar& calendar, Timestamp now) const {
  const int total = TotalLength();
  if (fields_.unit == ClockUnit::kHours) {
    Timestamp deadline = calendar.AddHours(fields_.start, total);
    for (const ClockPause& p : fields_.pauses) {
      if (p.from > deadline) break;  // later pauses start later still
      const Timestamp end = p.to.value_or(std::max(now, p.from));
      deadline += end - p.from;
    }
    return {deadline, LocalDate(deadline), false};
  }

  const Date start_day = LocalDate(fields_.start);
  const bool working = fields_.unit == ClockUnit::kWorkingDays;
  DeadlineResult day = working ? calendar.AddWorkingDays(start_day, total)
                               : calendar.AddCalendarDays(start_day, total);
  bool provisional = day.provisional;
  int64_t paused_calendar_days = 0;
  for (const ClockPause& p : fields_.pauses) {
    const Date from = LocalDate(p.from);
    if (from > day.date) break;
    const Date to = LocalDate(p.to.value_or(std::max(now, p.from)));
    if (working) {
      // day.date is a working day, so adding the paused working days to it is exact.
      provisional = provisional || calendar.IsProvisional(from, to);
      day = calendar.AddWorkingDays(day.date, calendar.WorkingDaysBetween(from, to));
    } else {
      paused_calendar_days += (to - from).count();
      day = calendar.AddCalendarDays(start_day, static_cast<int>(total + paused_calendar_days));
    }
    provisional = provisional || day.provisional;
  }
  return {EndOfLocalDay(day.date), day.date, provisional};
}

Timestamp Clock::Deadline(const Calendar& calendar, Timestamp now) const {
  return Compute(calendar, now).deadline;
}

DeadlineResult Clock::DeadlineDay(const Calendar& calendar, Timestamp now) const {
  Computed c = Compute(calendar, now);
  return {c.deadline_day, c.provisional};
}

ClockStatus Clock::Evaluate(const Calendar& calendar, Timestamp now) const {
  const Timestamp at = fields_.stop.value_or(now);
  const Computed c = Compute(calendar, at);
  const int total = TotalLength();
  ClockStatus status;
  status.deadline = c.deadline;
  status.provisional = c.provisional;

  int64_t remaining_ms = 0;  // hours only
  switch (fields_.unit) {
    case ClockUnit::kWorkingDays:
      status.remaining = calendar.WorkingDaysBetween(LocalDate(at), c.deadline_day);
      break;
    case ClockUnit::kCalendarDays:
      status.remaining = (c.deadline_day - LocalDate(at)).count();
      break;
    case ClockUnit::kHours:
      remaining_ms = (c.deadline - at).count();
      status.remaining = FloorDiv(remaining_ms, kMillisPerHour);
      break;
  }
  status.used = total - status.remaining;

  if (fields_.stop) {
    status.level =
        *fields_.stop <= c.deadline ? ClockLevel::kStoppedOnTime : ClockLevel::kStoppedLate;
  } else if (at > c.deadline) {
    status.level = ClockLevel::kRed;
  } else {
    const WarningPolicy& w = fields_.warning;
    const bool hours_unit = fields_.unit == ClockUnit::kHours;
    const int64_t left = hours_unit ? remaining_ms : status.remaining;
    const int64_t scale = hours_unit ? kMillisPerHour : 1;
    const bool yellow = w.kind == WarningKind::kShareLeft
                            ? left * w.denominator <= total * scale * w.numerator
                            : left <= w.units * scale;
    status.level = yellow ? ClockLevel::kYellow : ClockLevel::kNormal;
  }
  return status;
}

Timestamp Clock::WarnAt(const Calendar& calendar, Timestamp now) const {
  const Computed c = Compute(calendar, fields_.stop.value_or(now));
  if (IsStopped()) return c.deadline;
  if (IsPaused()) {
    // The deadline grows while the pause lasts: the smallest instant (to the second) at which the
    // level is yellow or red, the level only worsening as time passes.
    auto at_least_yellow = [&](Timestamp t) {
      const ClockLevel l = Evaluate(calendar, t).level;
      return l == ClockLevel::kYellow || l == ClockLevel::kRed;
    };
    if (!at_least_yellow(c.deadline)) return c.deadline;
    Timestamp lo = fields_.start;
    Timestamp hi = c.deadline;
    if (at_least_yellow(lo)) return lo;
    while (hi - lo > std::chrono::milliseconds(1000)) {
      const Timestamp mid = lo + (hi - lo) / 2;
      (at_least_yellow(mid) ? hi : lo) = mid;
    }
    return hi;
  }
  // Evaluate is yellow once the time left, in the clock's unit (milliseconds for hours), is at
  // most `threshold`.
  const WarningPolicy& w = fields_.warning;
  const bool hours_unit = fields_.unit == ClockUnit::kHours;
  const int64_t scale = hours_unit ? kMillisPerHour : 1;
  const int64_t total = TotalLength();
  const int64_t threshold = w.kind == WarningKind::kShareLeft
                                ? total * scale * w.numerator / w.denominator
                                : static_cast<int64_t>(w.units) * scale;
  Timestamp at{};
  switch (fields_.unit) {
    case ClockUnit::kHours:
      at = c.deadline - std::chrono::milliseconds(threshold);
      break;
    case ClockUnit::kWorkingDays: {
      // Working days left on day d = WorkingDaysBetween(d, deadline day): at most `threshold` from
      // the threshold-th working day before the (working) deadline day on.
      const int64_t back = std::min<int64_t>(threshold, kMaxLength);
      at = StartOfLocalDay(calendar.AddWorkingDays(c.deadline_day, -static_cast<int>(back)).date);
      break;
    }
    case ClockUnit::kCalendarDays:
      at = StartOfLocalDay(c.deadline_day -
                           std::chrono::days(std::min<int64_t>(threshold, kMaxLength)));
      break;
  }
  return std::max(at, fields_.start);
}

}  // namespace huiyin::core
