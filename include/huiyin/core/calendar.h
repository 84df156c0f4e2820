// The working-day calendar (工作日历): which dates are working days, and deadline arithmetic in
// working days, calendar days and hours (RULES.md §1). Pure: no I/O; the data comes from
// config/calendars through huiyin/app/calendar_import.h.
//
// A date is a working day when it is Mon–Fri and not an official day off, or it is an official
// make-up working day (调休上班日); a local day off (admin-added closure) is never a working day.
// For a year whose official arrangement is not loaded ("published"), only weekends and 1 January
// are days off, and every result that depends on such a year is marked provisional.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "huiyin/common/result.h"
#include "huiyin/common/time.h"

namespace huiyin::core {

// Kind of an official calendar entry.
enum class OfficialDayKind {
  kOff,   // 法定节假日 / 放假: a day off (may be a weekend day inside a break)
  kWork,  // 调休上班日: a make-up working day, usually a Saturday or Sunday
};

// One entry of the State Council's yearly arrangement.
struct OfficialDay {
  OfficialDayKind kind = OfficialDayKind::kOff;
  std::string name;  // holiday it belongs to, e.g. "国庆节"

  friend bool operator==(const OfficialDay&, const OfficialDay&) = default;
};

// Everything a Calendar is built from; a plain value (persist it, diff it, merge it).
struct CalendarData {
  std::string source;                          // provenance, e.g. "chinese-days@1.5.7"
  std::set<int> years;                         // years whose official arrangement is published
  std::map<Date, OfficialDay> official_days;   // may hold spill-over dates of unpublished years
  std::map<Date, std::string> local_days_off;  // admin-added closures (date → name)

  friend bool operator==(const CalendarData&, const CalendarData&) = default;
};

// Merges an import into `base`: every year in `import.years` is replaced wholesale (its old
// official days are dropped), other official days of the import are upserted date by date, the
// published years become the union, and base's local days off are kept (import's are upserted).
CalendarData MergeCalendarData(CalendarData base, const CalendarData& import);

// A computed date plus whether it rests on an unpublished year.
struct DeadlineResult {
  Date date;
  bool provisional = false;  // true when any year from the start to `date` is not loaded

  friend bool operator==(const DeadlineResult&, const DeadlineResult&) = default;
};

// Immutable working-day calendar. Build once with Create() and share the
// std::shared_ptr<const Calendar>; every method is const and safe to call from many threads.
// Working-day queries are O(1) (prefix counts over the loaded range, a 400-year Gregorian cycle of
// the default weekend + 1 January rule outside it).
class Calendar {
 public:
  // Smallest and largest year accepted in CalendarData (keeps the tables small).
  static constexpr int kMinYear = 1900;
  static constexpr int kMaxYear = 2999;

  // Validates `data` (every year and date within [kMinYear, kMaxYear]) and builds the lookup
  // tables; kInvalidArgument names the offending year or date. A local day off wins over a
  // make-up working day on the same date.
  static Result<std::shared_ptr<const Calendar>> Create(CalendarData data);

  // The data this calendar was built from.
  const CalendarData& data() const { return data_; }

  bool IsWorkingDay(Date d) const;
  // True when the official arrangement of `year` is loaded.
  bool IsYearLoaded(int year) const;
  // True when any year touched by the closed range [from, to] (either order) is not loaded.
  bool IsProvisional(Date from, Date to) const;
  // Name of the official or local entry on `d` ("国庆节"), empty for an ordinary day.
  std::string DayName(Date d) const;

  // The n-th working day after `start` (start not counted), a working day for n >= 1;
  // n == 0 returns `start` itself; n < 0 returns the |n|-th working day before `start`.
  DeadlineResult AddWorkingDays(Date start, int n) const;
  // Working days in (from, to]; negative (−count of (to, from]) when to < from.
  int WorkingDaysBetween(Date from, Date to) const;
  // Civil Code Art. 201/203: start + n calendar days; if that day is not a working day the period
  // ends on the next working day.
  DeadlineResult AddCalendarDays(Date start, int n) const;
  // The first working day on or after `d`.
  DeadlineResult NextWorkingDayOnOrAfter(Date d) const;
  // Hours run around the clock, holidays included.
  Timestamp AddHours(Timestamp t, int hours) const;

 private:
  explicit Calendar(CalendarData data);
  void BuildTables();

  // Working days strictly before day number `day` (days since the epoch), from a fixed origin.
  int64_t CountBefore(int64_t day) const;
  // Day number of the working day with index k (CountBefore(result) == k).
  int64_t WorkingDayAt(int64_t k) const;

  CalendarData data_;
  int64_t table_first_ = 0;       // first day number covered by the tables
  int64_t table_end_ = 0;         // one past the last covered day number
  int64_t base_before_ = 0;       // CountBefore(table_first_)
  int64_t after_shift_ = 0;       // CountBefore(d) - DefaultCountBefore(d) for d >= table_end_
  std::vector<int32_t> prefix_;   // prefix_[i] = working days in [first, first + i)
  std::vector<int32_t> working_;  // offsets (from first) of the working days in the table
  std::vector<std::pair<int64_t, int64_t>> loaded_spans_;  // [first day, last day] of loaded runs
};

}  // namespace huiyin::core
