// The working-day calendar against RULES.md §1, with the real generated data
// (config/calendars/cn-official.json) and small hand-built calendars.
#include "huiyin/core/calendar.h"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <string>

namespace huiyin::core {

// Test-only reader of config/calendars/cn-official.json: the generator writes one day per line
// ({"date":…,"kind":…,"name":…}) and the years on one line, so no JSON library is needed in
// core. The real parser is tested against the same file in src/app/calendar_import_test.cc.
// Also used by clock_test.cc.
CalendarData LoadShippedCalendarForTest() {
  std::ifstream in(std::string(HUIYIN_SOURCE_DIR) + "/config/calendars/cn-official.json");
  EXPECT_TRUE(in) << "run node scripts/calendar/convert.mjs";
  CalendarData data;
  data.source = "cn-official.json";
  std::string line;
  auto field = [&line](const std::string& key) {
    size_t at = line.find("\"" + key + "\":\"");
    if (at == std::string::npos) return std::string();
    at += key.size() + 4;
    return line.substr(at, line.find('"', at) - at);
  };
  while (std::getline(in, line)) {
    if (line.find("\"years\"") != std::string::npos) {
      for (size_t i = line.find('['); i < line.size(); ++i) {
        if (std::isdigit(static_cast<unsigned char>(line[i]))) {
          data.years.insert(std::stoi(line.substr(i, 4)));
          i += 4;
        }
      }
    } else if (std::string date = field("date"); !date.empty()) {
      Result<Date> d = ParseDate(date);
      EXPECT_TRUE(d.ok()) << line;
      data.official_days[*d] = OfficialDay{
          field("kind") == "work" ? OfficialDayKind::kWork : OfficialDayKind::kOff, field("name")};
    }
  }
  return data;
}

namespace {

Date D(const char* text) {
  Result<Date> d = ParseDate(text);
  EXPECT_TRUE(d.ok()) << text;
  return *d;
}

std::shared_ptr<const Calendar> Build(CalendarData data) {
  auto calendar = Calendar::Create(std::move(data));
  EXPECT_TRUE(calendar.ok());
  return *calendar;
}

std::string S(Date d) {
  return FormatDate(d);
}

class ShippedCalendarTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { calendar_ = Build(LoadShippedCalendarForTest()); }
  static void TearDownTestSuite() { calendar_.reset(); }
  static std::shared_ptr<const Calendar> calendar_;
  const Calendar& cal() const { return *calendar_; }
};
std::shared_ptr<const Calendar> ShippedCalendarTest::calendar_;

// Reference rule, written independently of the tables: weekends and 1 January off in unpublished
// years; official entries override; local days off always off.
bool NaiveIsWorkingDay(const CalendarData& data, Date d) {
  if (data.local_days_off.contains(d)) return false;
  if (auto it = data.official_days.find(d); it != data.official_days.end()) {
    return it->second.kind == OfficialDayKind::kWork;
  }
  std::chrono::weekday wd{d};
  if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) return false;
  std::chrono::year_month_day ymd{d};
  return !(ymd.month() == std::chrono::January && ymd.day() == std::chrono::day{1});
}

}  // namespace

TEST_F(ShippedCalendarTest, PublishedYearsAre2004To2026) {
  for (int y = 2004; y <= 2026; ++y) EXPECT_TRUE(cal().IsYearLoaded(y)) << y;
  EXPECT_FALSE(cal().IsYearLoaded(2003));
  EXPECT_FALSE(cal().IsYearLoaded(2027));
}

TEST_F(ShippedCalendarTest, Year2025Has28DaysOffAnd5MakeUpDays) {
  int off = 0, work = 0;
  for (const auto& [date, day] : cal().data().official_days) {
    if (std::chrono::year_month_day{date}.year() != std::chrono::year{2025}) continue;
    (day.kind == OfficialDayKind::kOff ? off : work)++;
  }
  EXPECT_EQ(off, 28);
  EXPECT_EQ(work, 5);
}

TEST_F(ShippedCalendarTest, Year2026Has33DaysOffAnd6MakeUpDays) {
  int off = 0, work = 0;
  for (const auto& [date, day] : cal().data().official_days) {
    if (std::chrono::year_month_day{date}.year() != std::chrono::year{2026}) continue;
    (day.kind == OfficialDayKind::kOff ? off : work)++;
  }
  EXPECT_EQ(off, 33);
  EXPECT_EQ(work, 6);
}

TEST_F(ShippedCalendarTest, MakeUpSundaysAndSaturdaysAreWorkingDays) {
  EXPECT_TRUE(cal().IsWorkingDay(D("2025-01-26")));   // Sunday before Spring Festival 2025
  EXPECT_TRUE(cal().IsWorkingDay(D("2025-09-28")));   // Sunday before National Day 2025
  EXPECT_TRUE(cal().IsWorkingDay(D("2025-10-11")));   // Saturday after it
  EXPECT_TRUE(cal().IsWorkingDay(D("2026-01-04")));   // Sunday after New Year 2026
  EXPECT_TRUE(cal().IsWorkingDay(D("2026-02-14")));   // Saturday before Spring Festival 2026
  EXPECT_TRUE(cal().IsWorkingDay(D("2026-02-28")));   // Saturday after it
  EXPECT_FALSE(cal().IsWorkingDay(D("2025-09-27")));  // an ordinary Saturday stays off
  EXPECT_EQ(cal().DayName(D("2025-09-28")), "国庆节");
}

TEST_F(ShippedCalendarTest, NationalDay2025IsEightDaysOff) {
  for (Date d = D("2025-10-01"); d <= D("2025-10-08"); d += std::chrono::days{1}) {
    EXPECT_FALSE(cal().IsWorkingDay(d)) << S(d);
  }
  EXPECT_TRUE(cal().IsWorkingDay(D("2025-09-30")));
  EXPECT_TRUE(cal().IsWorkingDay(D("2025-10-09")));
  EXPECT_EQ(cal().AddWorkingDays(D("2025-09-30"), 1), (DeadlineResult{D("2025-10-09"), false}));
  EXPECT_EQ(cal().WorkingDaysBetween(D("2025-09-30"), D("2025-10-09")), 1);
}

TEST_F(ShippedCalendarTest, SpringFestival2026IsNineDaysOff) {
  for (Date d = D("2026-02-15"); d <= D("2026-02-23"); d += std::chrono::days{1}) {
    EXPECT_FALSE(cal().IsWorkingDay(d)) << S(d);
  }
  // Fri 2026-02-13: the make-up Saturday is the next working day, then Tue 2026-02-24.
  EXPECT_EQ(S(cal().AddWorkingDays(D("2026-02-13"), 1).date), "2026-02-14");
  EXPECT_EQ(S(cal().AddWorkingDays(D("2026-02-13"), 2).date), "2026-02-24");
  EXPECT_EQ(cal().WorkingDaysBetween(D("2026-02-13"), D("2026-02-24")), 2);
}

TEST_F(ShippedCalendarTest, LicenceAcceptedFri20250926IsDecidedBy20251030) {
  // Art. 42: 20 WD. Counted: Sun 9-28, 9-29, 9-30, 10-09, 10-10, Sat 10-11, 10-13..17,
  // 10-20..24, 10-27..30.
  DeadlineResult due = cal().AddWorkingDays(D("2025-09-26"), 20);
  EXPECT_EQ(S(due.date), "2025-10-30");
  EXPECT_FALSE(due.provisional);
  // +10 WD with the head of the organ's approval.
  EXPECT_EQ(S(cal().AddWorkingDays(D("2025-09-26"), 30).date), "2025-11-13");
}

TEST_F(ShippedCalendarTest, LicenceAcceptedThu20260212IsDecidedBy20260318) {
  // 2-13, Sat 2-14, 2-24..27, Sat 2-28, 3-02..06, 3-09..13, 3-16..18.
  EXPECT_EQ(S(cal().AddWorkingDays(D("2026-02-12"), 20).date), "2026-03-18");
}

TEST_F(ShippedCalendarTest, PeriodIntoUnpublished2027IsProvisionalUntil2027IsLoaded) {
  // Mon 2026-12-14 + 20 WD: 13 WD left in 2026, Fri 2027-01-01 off by the default rule.
  DeadlineResult due = cal().AddWorkingDays(D("2026-12-14"), 20);
  EXPECT_EQ(S(due.date), "2027-01-12");
  EXPECT_TRUE(due.provisional);
  EXPECT_FALSE(cal().AddWorkingDays(D("2026-11-02"), 20).provisional);  // stays in 2026

  // A fictional 2027 arrangement (used only by this test): 01-01..03 off, Sat 01-09 make-up.
  CalendarData y2027;
  y2027.years = {2027};
  y2027.official_days[D("2027-01-01")] = {OfficialDayKind::kOff, "元旦"};
  y2027.official_days[D("2027-01-02")] = {OfficialDayKind::kOff, "元旦"};
  y2027.official_days[D("2027-01-03")] = {OfficialDayKind::kOff, "元旦"};
  y2027.official_days[D("2027-01-09")] = {OfficialDayKind::kWork, "元旦"};
  auto updated = Build(MergeCalendarData(cal().data(), y2027));
  DeadlineResult final_due = updated->AddWorkingDays(D("2026-12-14"), 20);
  EXPECT_EQ(S(final_due.date), "2027-01-11");
  EXPECT_FALSE(final_due.provisional);
  EXPECT_TRUE(updated->IsYearLoaded(2027));
  EXPECT_EQ(updated->AddWorkingDays(D("2025-09-30"), 1).date, D("2025-10-09"));  // 2025 kept
}

TEST_F(ShippedCalendarTest, SixtyDayPetitionEndingOnAHolidayMovesToNextWorkingDay) {
  // 信访 60 days from Mon 2025-08-04: the 60th day, Fri 2025-10-03, is inside National Day.
  EXPECT_EQ(S(cal().AddCalendarDays(D("2025-08-04"), 60).date), "2025-10-09");
  // From Fri 2025-12-19 the 60th day is 2026-02-17, inside Spring Festival 2026.
  DeadlineResult across = cal().AddCalendarDays(D("2025-12-19"), 60);
  EXPECT_EQ(S(across.date), "2026-02-24");
  EXPECT_FALSE(across.provisional);
  // Ending on a make-up Sunday: that Sunday is a working day, the period ends there.
  EXPECT_EQ(S(cal().AddCalendarDays(D("2025-07-30"), 60).date), "2025-09-28");
  // Ending on an ordinary Saturday: moves to Monday. 2025-06-02 + 60 = Fri 2025-08-01.
  EXPECT_EQ(S(cal().AddCalendarDays(D("2025-06-02"), 60).date), "2025-08-01");
  EXPECT_EQ(S(cal().AddCalendarDays(D("2025-06-03"), 60).date), "2025-08-04");
}

TEST_F(ShippedCalendarTest, HoursRunThroughHolidays) {
  Timestamp t = *ParseIso("2025-09-30T23:30:00+08:00");
  EXPECT_EQ(FormatIso(cal().AddHours(t, 1)), "2025-10-01T00:30:00+08:00");
  EXPECT_EQ(FormatIso(cal().AddHours(t, 24)), "2025-10-01T23:30:00+08:00");
}

TEST_F(ShippedCalendarTest, NegativeAndZeroCounts) {
  EXPECT_EQ(cal().AddWorkingDays(D("2025-10-04"), 0).date, D("2025-10-04"));
  EXPECT_EQ(S(cal().AddWorkingDays(D("2025-10-09"), -1).date), "2025-09-30");
  EXPECT_EQ(S(cal().AddWorkingDays(D("2025-10-09"), -2).date), "2025-09-29");
  EXPECT_EQ(cal().WorkingDaysBetween(D("2025-10-09"), D("2025-09-30")), -1);
  EXPECT_EQ(cal().WorkingDaysBetween(D("2025-10-02"), D("2025-10-05")), 0);
  EXPECT_EQ(S(cal().NextWorkingDayOnOrAfter(D("2025-10-01")).date), "2025-10-09");
  EXPECT_EQ(S(cal().NextWorkingDayOnOrAfter(D("2025-09-30")).date), "2025-09-30");
}

TEST_F(ShippedCalendarTest, PropertyAddThenCountGivesNBackAndNeverEndsOnADayOff) {
  const CalendarData& data = cal().data();
  for (Date start = D("2004-01-01"); start <= D("2026-12-31"); start += std::chrono::days{1}) {
    for (int n = 0; n <= 60; ++n) {
      DeadlineResult due = cal().AddWorkingDays(start, n);
      ASSERT_EQ(cal().WorkingDaysBetween(start, due.date), n) << S(start) << " + " << n;
      if (n > 0) {
        ASSERT_TRUE(cal().IsWorkingDay(due.date)) << S(start) << " + " << n;
        ASSERT_TRUE(NaiveIsWorkingDay(data, due.date)) << S(due.date);
        ASSERT_EQ(cal().WorkingDaysBetween(start, due.date - std::chrono::days{1}), n - 1);
      }
      ASSERT_EQ(due.provisional, due.date.time_since_epoch() >= D("2027-01-01").time_since_epoch());
      DeadlineResult period = cal().AddCalendarDays(start, n);
      ASSERT_TRUE(cal().IsWorkingDay(period.date)) << S(start) << " + " << n << " days";
      ASSERT_GE(period.date, start + std::chrono::days{n});
      for (Date d = start + std::chrono::days{n}; d < period.date; d += std::chrono::days{1}) {
        ASSERT_FALSE(cal().IsWorkingDay(d));  // moved only over days off
      }
    }
  }
}

TEST_F(ShippedCalendarTest, PropertyTablesMatchTheRawData) {
  const CalendarData& data = cal().data();
  for (Date d = D("2002-01-01"); d <= D("2029-12-31"); d += std::chrono::days{1}) {
    ASSERT_EQ(cal().IsWorkingDay(d), NaiveIsWorkingDay(data, d)) << S(d);
  }
  // Counting across the edges of the published range agrees with a day-by-day count.
  for (Date from : {D("2002-11-15"), D("2003-12-20"), D("2026-10-15")}) {
    int naive = 0;
    for (Date d = from + std::chrono::days{1}; d <= from + std::chrono::days{500};
         d += std::chrono::days{1}) {
      naive += NaiveIsWorkingDay(data, d) ? 1 : 0;
      ASSERT_EQ(cal().WorkingDaysBetween(from, d), naive) << S(from) << ".." << S(d);
    }
  }
}

TEST(CalendarTest, UnpublishedYearsHaveWeekendsAndNewYearsDayOnly) {
  auto cal = Build({});
  EXPECT_FALSE(cal->IsYearLoaded(2027));
  EXPECT_FALSE(cal->IsWorkingDay(D("2027-01-01")));  // Friday, 元旦
  EXPECT_TRUE(cal->IsWorkingDay(D("2027-10-01")));   // Friday: unknown until published
  EXPECT_FALSE(cal->IsWorkingDay(D("2027-01-02")));  // Saturday
  DeadlineResult due = cal->AddWorkingDays(D("2026-12-31"), 1);
  EXPECT_EQ(S(due.date), "2027-01-04");
  EXPECT_TRUE(due.provisional);
  EXPECT_TRUE(cal->IsProvisional(D("2025-05-05"), D("2025-05-05")));
}

TEST(CalendarTest, FarDatesFollowTheDefaultRule) {
  auto cal = Build({});
  EXPECT_EQ(S(cal->AddWorkingDays(D("2099-12-31"), 1).date), "2100-01-04");  // Fri 01-01 off
  EXPECT_EQ(S(cal->AddWorkingDays(D("1950-12-29"), 1).date), "1951-01-02");  // Mon 01-01 off
  EXPECT_EQ(cal->WorkingDaysBetween(D("1600-01-01"), D("2400-01-01")),
            cal->WorkingDaysBetween(D("1600-01-01"), D("2000-01-01")) * 2);
  CalendarData empty;
  for (Date d = D("2395-06-01"); d <= D("2405-06-01"); d += std::chrono::days{1}) {
    ASSERT_EQ(cal->IsWorkingDay(d), NaiveIsWorkingDay(empty, d)) << S(d);
  }
}

TEST(CalendarTest, LocalDayOffIsNeverAWorkingDay) {
  CalendarData data;
  data.years = {2025};
  data.official_days[D("2025-09-28")] = {OfficialDayKind::kWork, "国庆节"};
  data.local_days_off[D("2025-09-28")] = "台风停工";  // a closure on a make-up Sunday
  data.local_days_off[D("2025-11-12")] = "应急停工";  // a Wednesday
  auto cal = Build(data);
  EXPECT_FALSE(cal->IsWorkingDay(D("2025-09-28")));
  EXPECT_FALSE(cal->IsWorkingDay(D("2025-11-12")));
  EXPECT_EQ(cal->DayName(D("2025-11-12")), "应急停工");
  EXPECT_EQ(S(cal->AddWorkingDays(D("2025-11-11"), 1).date), "2025-11-13");
  // A local closure in an unpublished year still applies; the result stays provisional.
  data.local_days_off[D("2027-01-04")] = "应急停工";
  cal = Build(data);
  DeadlineResult due = cal->AddWorkingDays(D("2026-12-31"), 1);
  EXPECT_EQ(S(due.date), "2027-01-05");
  EXPECT_TRUE(due.provisional);
}

TEST(CalendarTest, ProvisionalWhenAnyYearInTheRangeIsMissing) {
  CalendarData data;
  data.years = {2024, 2026};  // 2025 missing
  auto cal = Build(data);
  EXPECT_FALSE(cal->IsProvisional(D("2024-03-01"), D("2024-12-31")));
  EXPECT_TRUE(cal->IsProvisional(D("2024-12-31"), D("2026-01-05")));
  EXPECT_TRUE(cal->IsProvisional(D("2026-01-05"), D("2024-12-31")));
  EXPECT_FALSE(cal->IsProvisional(D("2026-01-05"), D("2026-12-31")));
  EXPECT_TRUE(cal->AddCalendarDays(D("2024-12-20"), 20).provisional);
}

TEST(CalendarTest, MergeReplacesTheImportedYearsOnly) {
  CalendarData base;
  base.source = "base";
  base.years = {2026};
  base.official_days[D("2026-10-01")] = {OfficialDayKind::kOff, "国庆节"};
  base.official_days[D("2026-10-10")] = {OfficialDayKind::kWork, "国庆节"};
  base.local_days_off[D("2026-07-01")] = "local";
  CalendarData import;
  import.source = "cn-2027.csv";
  import.years = {2027};
  import.official_days[D("2026-12-31")] = {OfficialDayKind::kOff, "元旦"};  // spill-over date
  import.official_days[D("2027-01-01")] = {OfficialDayKind::kOff, "元旦"};
  CalendarData merged = MergeCalendarData(base, import);
  EXPECT_EQ(merged.years, (std::set<int>{2026, 2027}));
  EXPECT_EQ(merged.official_days.size(), 4u);
  EXPECT_EQ(merged.local_days_off.size(), 1u);
  EXPECT_EQ(merged.source, "base+cn-2027.csv");

  CalendarData redo;  // a corrected 2026 replaces every 2026 entry
  redo.years = {2026};
  redo.official_days[D("2026-10-02")] = {OfficialDayKind::kOff, "国庆节"};
  merged = MergeCalendarData(merged, redo);
  EXPECT_FALSE(merged.official_days.contains(D("2026-10-01")));
  EXPECT_FALSE(merged.official_days.contains(D("2026-12-31")));
  EXPECT_TRUE(merged.official_days.contains(D("2026-10-02")));
  EXPECT_TRUE(merged.official_days.contains(D("2027-01-01")));
}

TEST(CalendarTest, RejectsYearsOutsideTheSupportedRange) {
  CalendarData data;
  data.years = {1800};
  auto bad = Calendar::Create(data);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().detail.find("1800"), std::string::npos);
}

}  // namespace huiyin::core
