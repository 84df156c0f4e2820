#include "huiyin/core/calendar.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace huiyin::core {

namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::January;
using std::chrono::year;
using std::chrono::year_month_day;

// The Gregorian calendar repeats every 400 years (146097 days, a whole number of weeks), so the
// default rule (weekends and 1 January off) is periodic with that period.
constexpr int64_t kCycleDays = 146097;
constexpr int64_t kCycleOrigin = 10957;  // 2000-01-01, a 1 January

int64_t DayNumber(Date d) {
  return d.time_since_epoch().count();
}
Date FromDayNumber(int64_t n) {
  return Date{days{n}};
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int YearOf(int64_t day_number) {
  return static_cast<int>(year_month_day{FromDayNumber(day_number)}.year());
}

int64_t FirstDayOfYear(int y) {
  return DayNumber(Date{year{y} / January / day{1}});
}

bool IsWeekend(int64_t day_number) {
  int64_t weekday = ((day_number % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday == 0 || weekday == 6;
}

bool IsDefaultWorkingDay(int64_t day_number) {
  if (IsWeekend(day_number)) return false;
  year_month_day ymd{FromDayNumber(day_number)};
  return !(ymd.month() == January && ymd.day() == day{1});
}

// Prefix counts and working-day offsets of the default rule over one 400-year cycle. Built once,
// immutable afterwards (thread-safe static initialisation).
struct DefaultCycle {
  std::vector<int32_t> prefix;   // prefix[i] = default working days in [origin, origin + i)
  std::vector<int32_t> working;  // offsets of the default working days in the cycle
  int64_t per_cycle = 0;

  DefaultCycle() {
    prefix.resize(kCycleDays + 1);
    working.reserve(kCycleDays * 5 / 7 + 1);
    int32_t count = 0;
    for (int64_t i = 0; i < kCycleDays; ++i) {
      prefix[i] = count;
      if (IsDefaultWorkingDay(kCycleOrigin + i)) {
        working.push_back(static_cast<int32_t>(i));
        ++count;
      }
    }
    prefix[kCycleDays] = count;
    per_cycle = count;
  }

  int64_t CountBefore(int64_t day_number) const {
    int64_t offset = day_number - kCycleOrigin;
    int64_t cycle = FloorDiv(offset, kCycleDays);
    return cycle * per_cycle + prefix[offset - cycle * kCycleDays];
  }

  int64_t WorkingDayAt(int64_t k) const {
    int64_t cycle = FloorDiv(k, per_cycle);
    return kCycleOrigin + cycle * kCycleDays + working[k - cycle * per_cycle];
  }
};

const DefaultCycle& Default() {
  static const DefaultCycle cycle;
  return cycle;
}

bool YearInRange(int y) {
  return y >= Calendar::kMinYear && y <= Calendar::kMaxYear;
}

Error YearOutOfRange(const std::string& what) {
  return MakeError(ErrorCode::kInvalidArgument, what + " is outside the supported years " +
                                                    std::to_string(Calendar::kMinYear) + ".." +
                                                    std::to_string(Calendar::kMaxYear));
}

}  // namespace

CalendarData MergeCalendarData(CalendarData base, const CalendarData& import) {
  for (auto it = base.official_days.begin(); it != base.official_days.end();) {
    if (import.years.contains(YearOf(DayNumber(it->first)))) {
      it = base.official_days.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [date, entry] : import.official_days) base.official_days[date] = entry;
  base.years.insert(import.years.begin(), import.years.end());
  for (const auto& [date, name] : import.local_days_off) base.local_days_off[date] = name;
  if (!import.source.empty()) {
    base.source = base.source.empty() ? import.source : base.source + "+" + import.source;
  }
  return base;
}

Result<std::shared_ptr<const Calendar>> Calendar::Create(CalendarData data) {
  for (int y : data.years) {
    if (!YearInRange(y)) return YearOutOfRange("published year " + std::to_string(y));
  }
  for (const auto& [date, entry] : data.official_days) {
    if (!YearInRange(YearOf(DayNumber(date)))) {
      return YearOutOfRange("official day " + FormatDate(date));
    }
  }
  for (const auto& [date, name] : data.local_days_off) {
    if (!YearInRange(YearOf(DayNumber(date)))) {
      return YearOutOfRange("local day off " + FormatDate(date));
    }
  }
  return std::shared_ptr<const Calendar>(new Calendar(std::move(data)));
}

Calendar::Calendar(CalendarData data) : data_(std::move(data)) {
  BuildTables();
}

void Calendar::BuildTables() {
  // Cover every year that has data; everything outside follows the default rule.
  std::set<int> years = data_.years;
  for (const auto& entry : data_.official_days) years.insert(YearOf(DayNumber(entry.first)));
  for (const auto& entry : data_.local_days_off) years.insert(YearOf(DayNumber(entry.first)));
  if (years.empty()) {
    table_first_ = table_end_ = kCycleOrigin;
  } else {
    table_first_ = FirstDayOfYear(*years.begin());
    table_end_ = FirstDayOfYear(*years.rbegin() + 1);
  }
  const int64_t size = table_end_ - table_first_;
  std::vector<uint8_t> working(size);
  for (int64_t i = 0; i < size; ++i) working[i] = IsDefaultWorkingDay(table_first_ + i) ? 1 : 0;
  for (const auto& [date, entry] : data_.official_days) {
    working[DayNumber(date) - table_first_] = entry.kind == OfficialDayKind::kWork ? 1 : 0;
  }
  for (const auto& entry : data_.local_days_off) working[DayNumber(entry.first) - table_first_] = 0;

  prefix_.assign(size + 1, 0);
  working_.clear();
  for (int64_t i = 0; i < size; ++i) {
    prefix_[i + 1] = prefix_[i] + working[i];
    if (working[i] != 0) working_.push_back(static_cast<int32_t>(i));
  }
  base_before_ = Default().CountBefore(table_first_);
  after_shift_ = base_before_ + prefix_[size] - Default().CountBefore(table_end_);

  loaded_spans_.clear();
  for (int y : data_.years) {
    int64_t first = FirstDayOfYear(y);
    int64_t last = FirstDayOfYear(y + 1) - 1;
    if (!loaded_spans_.empty() && loaded_spans_.back().second + 1 == first) {
      loaded_spans_.back().second = last;
    } else {
      loaded_spans_.emplace_back(first, last);
    }
  }
}

int64_t Calendar::CountBefore(int64_t day_number) const {
  if (day_number >= table_first_ && day_number <= table_end_) {
    return base_before_ + prefix_[day_number - table_first_];
  }
  if (day_number < table_first_) return Default().CountBefore(day_number);
  return Default().CountBefore(day_number) + after_shift_;
}

int64_t Calendar::WorkingDayAt(int64_t k) const {
  const int64_t in_table = k - base_before_;
  if (in_table >= 0 && in_table < static_cast<int64_t>(working_.size())) {
    return table_first_ + working_[in_table];
  }
  if (in_table < 0) return Default().WorkingDayAt(k);
  return Default().WorkingDayAt(k - after_shift_);
}

bool Calendar::IsWorkingDay(Date d) const {
  const int64_t n = DayNumber(d);
  if (n >= table_first_ && n < table_end_) {
    const int64_t i = n - table_first_;
    return prefix_[i + 1] != prefix_[i];
  }
  return IsDefaultWorkingDay(n);
}

bool Calendar::IsYearLoaded(int year) const {
  return data_.years.contains(year);
}

bool Calendar::IsProvisional(Date from, Date to) const {
  int64_t lo = DayNumber(from);
  int64_t hi = DayNumber(to);
  if (lo > hi) std::swap(lo, hi);
  // Spans are sorted and disjoint: find the last span starting at or before `lo`.
  auto it = std::upper_bound(loaded_spans_.begin(), loaded_spans_.end(), lo,
                             [](int64_t v, const auto& span) { return v < span.first; });
  if (it == loaded_spans_.begin()) return true;
  --it;
  return hi > it->second;
}

std::string Calendar::DayName(Date d) const {
  if (auto it = data_.local_days_off.find(d); it != data_.local_days_off.end()) return it->second;
  if (auto it = data_.official_days.find(d); it != data_.official_days.end()) {
    return it->second.name;
  }
  return {};
}

DeadlineResult Calendar::AddWorkingDays(Date start, int n) const {
  const int64_t s = DayNumber(start);
  int64_t result = s;
  if (n > 0) {
    result = WorkingDayAt(CountBefore(s + 1) + n - 1);
  } else if (n < 0) {
    result = WorkingDayAt(CountBefore(s) + n);
  }
  Date date = FromDayNumber(result);
  return {date, IsProvisional(start, date)};
}

int Calendar::WorkingDaysBetween(Date from, Date to) const {
  return static_cast<int>(CountBefore(DayNumber(to) + 1) - CountBefore(DayNumber(from) + 1));
}

DeadlineResult Calendar::AddCalendarDays(Date start, int n) const {
  Date date = FromDayNumber(WorkingDayAt(CountBefore(DayNumber(start) + n)));
  return {date, IsProvisional(start, date)};
}

DeadlineResult Calendar::NextWorkingDayOnOrAfter(Date d) const {
  Date date = FromDayNumber(WorkingDayAt(CountBefore(DayNumber(d))));
  return {date, IsProvisional(d, date)};
}

Timestamp Calendar::AddHours(Timestamp t, int hours) const {
  return t + std::chrono::hours{hours};
}

}  // namespace huiyin::core
