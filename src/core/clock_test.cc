// Legal clocks against RULES.md §1–§5: licences in working days with Art. 45 pauses and Art. 42
// extensions, 信访 periods in calendar days, hotline dispatch in hours.
#include "huiyin/core/clock.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace huiyin::core {

// Defined in calendar_test.cc: the shipped config/calendars/cn-official.json as CalendarData.
CalendarData LoadShippedCalendarForTest();

namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

Date D(const char* text) {
  return *ParseDate(text);
}
Timestamp T(const char* text) {
  Result<Timestamp> t = ParseIso(text);
  EXPECT_TRUE(t.ok()) << text;
  return *t;
}

class ClockTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { calendar_ = *Calendar::Create(LoadShippedCalendarForTest()); }
  static void TearDownTestSuite() { calendar_.reset(); }
  static std::shared_ptr<const Calendar> calendar_;
  const Calendar& cal() const { return *calendar_; }

  static Clock Licence(const char* accepted, int length = 20,
                       WarningPolicy warning = WarningPolicy::ShareLeft(1, 3)) {
    auto clock = Clock::Start("handle", ClockUnit::kWorkingDays, length, T(accepted), warning);
    EXPECT_TRUE(clock.ok());
    return *clock;
  }
  static Clock Hours(const char* start, int length,
                     WarningPolicy warning = WarningPolicy::ShareLeft(1, 3)) {
    auto clock = Clock::Start("dispatch", ClockUnit::kHours, length, T(start), warning);
    EXPECT_TRUE(clock.ok());
    return *clock;
  }
};
std::shared_ptr<const Calendar> ClockTest::calendar_;

void ExpectIllegal(const Status& status, const std::string& words) {
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kIllegalClockOperation);
  EXPECT_NE(status.error().detail.find(words), std::string::npos) << status.error().detail;
}

}  // namespace

TEST_F(ClockTest, LicenceAcceptedFri20250926IsDueAtEndOf20251030) {
  Clock clock = Licence("2025-09-26T10:00:00+08:00");
  ClockStatus s = clock.Evaluate(cal(), T("2025-09-26T10:00:00+08:00"));
  EXPECT_EQ(s.deadline, EndOfLocalDay(D("2025-10-30")));
  EXPECT_EQ(FormatIso(s.deadline), "2025-10-30T23:59:59+08:00");
  EXPECT_FALSE(s.provisional);
  EXPECT_EQ(s.remaining, 20);
  EXPECT_EQ(s.used, 0);
  EXPECT_EQ(s.level, ClockLevel::kNormal);
}

TEST_F(ClockTest, TenWorkingDayExtensionMovesTheDecisionTo20251113) {
  Clock clock = Licence("2025-09-26T10:00:00+08:00");
  ASSERT_TRUE(clock.Extend(10, "expert opinions needed", "head-of-organ").ok());
  EXPECT_EQ(clock.TotalLength(), 30);
  EXPECT_EQ(clock.Deadline(cal(), T("2025-10-20T09:00:00+08:00")), EndOfLocalDay(D("2025-11-13")));
  ASSERT_EQ(clock.extensions().size(), 1u);
  EXPECT_EQ(clock.extensions()[0].approved_by, "head-of-organ");
}

TEST_F(ClockTest, SupplementAndExpertReviewPausesAcrossNationalDay2025) {
  // Accepted Fri 2025-09-19: 20 WD end Thu 2025-10-23.
  Clock clock = Licence("2025-09-19T09:00:00+08:00");
  EXPECT_EQ(clock.Deadline(cal(), T("2025-09-19T09:00:00+08:00")), EndOfLocalDay(D("2025-10-23")));

  // Supplement notice Tue 09-30, materials back Thu 10-09 afternoon: the paused working days are
  // those in (09-30, 10-09] = {10-09} (the holiday was not counted anyway), so +1 WD.
  ASSERT_TRUE(clock.Pause("supplement", T("2025-09-30T10:00:00+08:00")).ok());
  EXPECT_TRUE(clock.IsPaused());
  ASSERT_TRUE(clock.Resume(T("2025-10-09T15:00:00+08:00")).ok());
  EXPECT_EQ(clock.Deadline(cal(), T("2025-10-10T09:00:00+08:00")), EndOfLocalDay(D("2025-10-24")));

  // Expert review from Mon 10-13; while it lasts the deadline moves and the time left is frozen.
  ASSERT_TRUE(clock.Pause("expert_review", T("2025-10-13T09:00:00+08:00")).ok());
  ClockStatus monday = clock.Evaluate(cal(), T("2025-10-13T12:00:00+08:00"));
  ClockStatus wednesday = clock.Evaluate(cal(), T("2025-10-15T12:00:00+08:00"));
  EXPECT_EQ(monday.deadline, EndOfLocalDay(D("2025-10-24")));
  EXPECT_EQ(wednesday.deadline, EndOfLocalDay(D("2025-10-28")));
  EXPECT_EQ(monday.remaining, 9);
  EXPECT_EQ(wednesday.remaining, 9);
  EXPECT_EQ(wednesday.used, 11);

  // Review ends Fri 10-17: (10-13, 10-17] = 4 WD not counted; due Thu 10-30.
  ASSERT_TRUE(clock.Resume(T("2025-10-17T17:00:00+08:00")).ok());
  ClockStatus s = clock.Evaluate(cal(), T("2025-10-20T09:00:00+08:00"));
  EXPECT_EQ(s.deadline, EndOfLocalDay(D("2025-10-30")));
  EXPECT_EQ(s.remaining, 8);

  ASSERT_TRUE(clock.Stop(T("2025-10-30T16:00:00+08:00")).ok());
  ClockStatus stopped = clock.Evaluate(cal(), T("2025-11-20T09:00:00+08:00"));
  EXPECT_EQ(stopped.level, ClockLevel::kStoppedOnTime);
  EXPECT_EQ(stopped.remaining, 0);
  EXPECT_EQ(stopped.used, 20);
}

TEST_F(ClockTest, PauseStartingAfterTheDeadlineDoesNotRescueALateCase) {
  Clock clock = Licence("2025-09-26T10:00:00+08:00");
  ASSERT_TRUE(clock.Pause("expert_review", T("2025-11-03T09:00:00+08:00")).ok());
  ClockStatus s = clock.Evaluate(cal(), T("2025-11-10T09:00:00+08:00"));
  EXPECT_EQ(s.deadline, EndOfLocalDay(D("2025-10-30")));
  EXPECT_EQ(s.level, ClockLevel::kRed);
}

TEST_F(ClockTest, SixtyDayPetitionWithAHearingPause) {
  auto clock = Clock::Start("reply", ClockUnit::kCalendarDays, 60, T("2025-08-04T10:00:00+08:00"));
  ASSERT_TRUE(clock.ok());
  // 60th day Fri 2025-10-03 is in the National Day break: ends Thu 2025-10-09.
  EXPECT_EQ(clock->Deadline(cal(), T("2025-08-05T00:00:00+08:00")), EndOfLocalDay(D("2025-10-09")));
  // A hearing from 09-01 to 09-11 is not counted: 10 days, raw end Mon 10-13, a working day.
  ASSERT_TRUE(clock->Pause("hearing", T("2025-09-01T09:00:00+08:00")).ok());
  ASSERT_TRUE(clock->Resume(T("2025-09-11T17:00:00+08:00")).ok());
  ClockStatus s = clock->Evaluate(cal(), T("2025-10-01T09:00:00+08:00"));
  EXPECT_EQ(s.deadline, EndOfLocalDay(D("2025-10-13")));
  EXPECT_EQ(s.remaining, 12);
  EXPECT_EQ(s.used, 48);
}

TEST_F(ClockTest, HourClocksRunThroughMidnightAndHolidays) {
  EXPECT_EQ(Hours("2025-09-30T23:30:00+08:00", 1).Deadline(cal(), T("2025-09-30T23:30:00+08:00")),
            T("2025-10-01T00:30:00+08:00"));
  EXPECT_EQ(Hours("2026-02-14T22:45:00+08:00", 2).Deadline(cal(), T("2026-02-14T23:00:00+08:00")),
            T("2026-02-15T00:45:00+08:00"));
  Clock day = Hours("2025-09-30T18:00:00+08:00", 24);
  ClockStatus s = day.Evaluate(cal(), T("2025-10-01T09:00:00+08:00"));
  EXPECT_EQ(s.deadline, T("2025-10-01T18:00:00+08:00"));
  EXPECT_FALSE(s.provisional);
  EXPECT_EQ(s.remaining, 9);
  EXPECT_EQ(s.used, 15);
}

TEST_F(ClockTest, PausedHoursAreAddedExactly) {
  Clock clock = Hours("2026-02-15T10:00:00+08:00", 24);
  ASSERT_TRUE(clock.Pause("citizen unreachable", T("2026-02-15T12:00:00+08:00")).ok());
  EXPECT_EQ(clock.Deadline(cal(), T("2026-02-15T13:30:00+08:00")), T("2026-02-16T11:30:00+08:00"));
  ASSERT_TRUE(clock.Resume(T("2026-02-15T15:00:00+08:00")).ok());
  EXPECT_EQ(clock.Deadline(cal(), T("2026-02-15T16:00:00+08:00")), T("2026-02-16T13:00:00+08:00"));
}

TEST_F(ClockTest, HourLevels) {
  Clock clock = Hours("2025-10-01T08:00:00+08:00", 24);  // yellow in the last 8 hours
  EXPECT_EQ(clock.Evaluate(cal(), T("2025-10-01T23:59:00+08:00")).level, ClockLevel::kNormal);
  EXPECT_EQ(clock.Evaluate(cal(), T("2025-10-01T23:59:00+08:00")).remaining, 8);
  EXPECT_EQ(clock.Evaluate(cal(), T("2025-10-02T00:00:00+08:00")).level, ClockLevel::kYellow);
  EXPECT_EQ(clock.Evaluate(cal(), T("2025-10-02T08:00:00+08:00")).level, ClockLevel::kYellow);
  ClockStatus late = clock.Evaluate(cal(), T("2025-10-02T08:00:00+08:00") + milliseconds{1});
  EXPECT_EQ(late.level, ClockLevel::kRed);
  EXPECT_EQ(late.remaining, -1);

  Clock last2 = Hours("2025-10-01T08:00:00+08:00", 24, WarningPolicy::LastUnits(2));
  EXPECT_EQ(last2.Evaluate(cal(), T("2025-10-02T05:59:00+08:00")).level, ClockLevel::kNormal);
  EXPECT_EQ(last2.Evaluate(cal(), T("2025-10-02T06:00:00+08:00")).level, ClockLevel::kYellow);
}

TEST_F(ClockTest, WorkingDayLevels) {
  Clock clock = Licence("2025-09-26T10:00:00+08:00");  // due 10-30; yellow at ≤ 6 WD left
  EXPECT_EQ(clock.Evaluate(cal(), T("2025-10-21T12:00:00+08:00")).level, ClockLevel::kNormal);
  EXPECT_EQ(clock.Evaluate(cal(), T("2025-10-22T12:00:00+08:00")).level, ClockLevel::kYellow);
  ClockStatus last_day = clock.Evaluate(cal(), T("2025-10-30T23:00:00+08:00"));
  EXPECT_EQ(last_day.level, ClockLevel::kYellow);
  EXPECT_EQ(last_day.remaining, 0);
  ClockStatus late = clock.Evaluate(cal(), T("2025-10-31T00:00:00+08:00"));
  EXPECT_EQ(late.level, ClockLevel::kRed);
  EXPECT_EQ(late.remaining, -1);
  EXPECT_EQ(late.used, 21);

  Clock last2 = Licence("2025-09-26T10:00:00+08:00", 20, WarningPolicy::LastUnits(2));
  EXPECT_EQ(last2.Evaluate(cal(), T("2025-10-27T12:00:00+08:00")).level, ClockLevel::kNormal);
  EXPECT_EQ(last2.Evaluate(cal(), T("2025-10-28T12:00:00+08:00")).level, ClockLevel::kYellow);

  Clock on_time = clock;
  ASSERT_TRUE(on_time.Stop(T("2025-10-30T23:59:59+08:00")).ok());
  EXPECT_EQ(on_time.Evaluate(cal(), T("2026-01-01T00:00:00+08:00")).level,
            ClockLevel::kStoppedOnTime);
  ASSERT_TRUE(clock.Stop(T("2025-10-31T09:00:00+08:00")).ok());
  EXPECT_EQ(clock.Evaluate(cal(), T("2026-01-01T00:00:00+08:00")).level, ClockLevel::kStoppedLate);
}

TEST_F(ClockTest, ClockRunningInto2027IsProvisional) {
  Clock clock = Licence("2026-12-14T09:00:00+08:00");
  ClockStatus s = clock.Evaluate(cal(), T("2026-12-14T09:00:00+08:00"));
  EXPECT_EQ(s.deadline, EndOfLocalDay(D("2027-01-12")));
  EXPECT_TRUE(s.provisional);
  // Once a (fictional) 2027 arrangement with a make-up Sat 2027-01-09 is loaded: recomputed.
  CalendarData y2027;
  y2027.years = {2027};
  y2027.official_days[D("2027-01-01")] = {OfficialDayKind::kOff, "元旦"};
  y2027.official_days[D("2027-01-09")] = {OfficialDayKind::kWork, "元旦"};
  auto updated = *Calendar::Create(MergeCalendarData(cal().data(), y2027));
  ClockStatus again = clock.Evaluate(*updated, T("2026-12-14T09:00:00+08:00"));
  EXPECT_EQ(again.deadline, EndOfLocalDay(D("2027-01-11")));
  EXPECT_FALSE(again.provisional);
}

TEST_F(ClockTest, MisuseIsRefusedWithAClearMessage) {
  ExpectIllegal(Clock::Start("handle", ClockUnit::kWorkingDays, 0, T("2025-09-26")).error(),
                "length must be between 1");
  ExpectIllegal(Clock::Start("handle", ClockUnit::kHours, -2, T("2025-09-26")).error(), "got -2");
  ExpectIllegal(Clock::Start("", ClockUnit::kHours, 2, T("2025-09-26")).error(), "needs a name");
  ExpectIllegal(Clock::Start("handle", ClockUnit::kWorkingDays, 20, T("2025-09-26"),
                             WarningPolicy::ShareLeft(2, 1))
                    .error(),
                "numerator");

  Clock clock = Licence("2025-09-26T10:00:00+08:00");
  ExpectIllegal(clock.Resume(T("2025-09-29T10:00:00+08:00")), "it is running");
  ExpectIllegal(clock.Pause("supplement", T("2025-09-25T10:00:00+08:00")), "before it started");
  ExpectIllegal(clock.Pause("", T("2025-09-29T10:00:00+08:00")), "needs a reason");
  ExpectIllegal(clock.Extend(0, "complex", "head"), "must be positive");
  ExpectIllegal(clock.Extend(-10, "complex", "head"), "must be positive");
  ExpectIllegal(clock.Extend(10, "complex", ""), "approver");
  ExpectIllegal(clock.Extend(Clock::kMaxLength, "complex", "head"), "would exceed");
  ExpectIllegal(clock.Stop(T("2025-09-25T10:00:00+08:00")), "before it started");

  ASSERT_TRUE(clock.Pause("supplement", T("2025-09-29T10:00:00+08:00")).ok());
  ExpectIllegal(clock.Pause("expert_review", T("2025-09-30T10:00:00+08:00")), "already paused");
  ExpectIllegal(clock.Resume(T("2025-09-29T09:59:59+08:00")), "before it started");
  ExpectIllegal(clock.Stop(T("2025-09-29T09:00:00+08:00")), "before its last pause began");
  ASSERT_TRUE(clock.Resume(T("2025-10-09T10:00:00+08:00")).ok());
  ExpectIllegal(clock.Pause("expert_review", T("2025-10-09T09:00:00+08:00")),
                "before its previous pause ended");
  ExpectIllegal(clock.Stop(T("2025-10-09T09:00:00+08:00")), "before its last pause ended");

  ASSERT_TRUE(clock.Stop(T("2025-10-20T10:00:00+08:00")).ok());
  ExpectIllegal(clock.Stop(T("2025-10-21T10:00:00+08:00")), "already stopped");
  ExpectIllegal(clock.Pause("supplement", T("2025-10-21T10:00:00+08:00")), "stopped");
  ExpectIllegal(clock.Resume(T("2025-10-21T10:00:00+08:00")), "stopped");
  ExpectIllegal(clock.Extend(10, "complex", "head"), "cannot extend the stopped");
}

TEST_F(ClockTest, StoppingAPausedClockEndsThePause) {
  Clock clock = Licence("2025-09-26T10:00:00+08:00");
  ASSERT_TRUE(clock.Pause("supplement", T("2025-10-09T10:00:00+08:00")).ok());
  ASSERT_TRUE(clock.Stop(T("2025-10-13T10:00:00+08:00")).ok());  // applicant withdrew
  ASSERT_EQ(clock.pauses().size(), 1u);
  EXPECT_EQ(clock.pauses()[0].to, T("2025-10-13T10:00:00+08:00"));
  EXPECT_FALSE(clock.IsPaused());
  EXPECT_TRUE(clock.IsStopped());
}

TEST_F(ClockTest, FieldsRoundTripAndStoredNonsenseIsRejected) {
  Clock clock = Licence("2025-09-19T09:00:00+08:00");
  ASSERT_TRUE(clock.Pause("supplement", T("2025-09-30T10:00:00+08:00")).ok());
  ASSERT_TRUE(clock.Resume(T("2025-10-09T15:00:00+08:00")).ok());
  ASSERT_TRUE(clock.Extend(10, "complex", "head").ok());
  ASSERT_TRUE(clock.Pause("expert_review", T("2025-10-13T09:00:00+08:00")).ok());
  auto copy = Clock::FromFields(clock.fields());
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->fields(), clock.fields());
  Timestamp now = T("2025-10-15T12:00:00+08:00");
  EXPECT_EQ(copy->Evaluate(cal(), now), clock.Evaluate(cal(), now));

  auto expect_bad = [](ClockFields f, const std::string& field) {
    auto bad = Clock::FromFields(std::move(f));
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
    ASSERT_FALSE(bad.error().fields.empty());
    EXPECT_EQ(bad.error().fields[0].field, field);
  };
  ClockFields f = clock.fields();
  f.pauses[0].to.reset();
  expect_bad(f, "pauses[0].to");  // open pause not last
  f = clock.fields();
  f.pauses[0].to = f.pauses[0].from - hours{1};
  expect_bad(f, "pauses[0].to");
  f = clock.fields();
  f.stop = T("2025-10-14T09:00:00+08:00");
  expect_bad(f, "pauses[1].to");  // stopped with an open pause
  f = clock.fields();
  f.pauses[1].to = T("2025-10-17T09:00:00+08:00");
  f.stop = T("2025-10-16T09:00:00+08:00");
  expect_bad(f, "stop");
  f = clock.fields();
  f.extensions[0].length = 0;
  expect_bad(f, "extensions[0].length");
  f = clock.fields();
  f.length = 0;
  expect_bad(f, "length");
  f = clock.fields();
  f.pauses[0].from = f.start - minutes{1};
  expect_bad(f, "pauses[0].from");
}

TEST_F(ClockTest, WarnAtIsTheFirstYellowInstant) {
  // 2025-10-22 00:00 is the first day with at most 6 of the 20 working days left.
  EXPECT_EQ(Licence("2025-09-26T10:00:00+08:00").WarnAt(cal(), T("2025-09-26T10:00:00+08:00")),
            T("2025-10-22T00:00:00+08:00"));
  EXPECT_EQ(Hours("2025-10-01T08:00:00+08:00", 24).WarnAt(cal(), T("2025-10-01T08:00:00+08:00")),
            T("2025-10-02T00:00:00+08:00"));
  // A policy that is yellow from the start: the start itself.
  EXPECT_EQ(Licence("2025-09-26T10:00:00+08:00", 2, WarningPolicy::LastUnits(5))
                .WarnAt(cal(), T("2025-09-26T10:00:00+08:00")),
            T("2025-09-26T10:00:00+08:00"));
}

TEST_F(ClockTest, PropertyWarnAtAgreesWithEvaluate) {
  std::mt19937 rng(20261127);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const Timestamp base = T("2024-12-20T00:00:00+08:00");
  auto yellow_or_red = [](ClockLevel l) {
    return l == ClockLevel::kYellow || l == ClockLevel::kRed;
  };
  for (int i = 0; i < 3000; ++i) {
    const auto unit = static_cast<ClockUnit>(pick(0, 2));
    const WarningPolicy warning = pick(0, 1) ? WarningPolicy::ShareLeft(pick(0, 3), pick(3, 5))
                                             : WarningPolicy::LastUnits(pick(0, 4));
    const Timestamp start = base + minutes{pick(0, 700 * 24 * 60)};
    auto clock = Clock::Start("c", unit, pick(1, 70), start, warning);
    ASSERT_TRUE(clock.ok());
    Timestamp t = start + minutes{pick(0, 5 * 24 * 60)};
    if (pick(0, 1)) {  // a closed pause, sometimes across a holiday
      ASSERT_TRUE(clock->Pause("expert_review", t).ok());
      t += minutes{pick(1, 20 * 24 * 60)};
      ASSERT_TRUE(clock->Resume(t).ok());
    }
    if (pick(0, 2) == 0) {
      ASSERT_TRUE(clock->Extend(pick(1, 10), "complex", "head").ok());
    }
    const Timestamp warn = clock->WarnAt(cal(), t);
    SCOPED_TRACE(FormatIso(start) + " " + std::string(ClockUnitName(unit)) + " warn " +
                 FormatIso(warn));
    ASSERT_GE(warn, start);
    ASSERT_LE(warn, clock->Deadline(cal(), t));
    EXPECT_TRUE(yellow_or_red(clock->Evaluate(cal(), warn).level));
    if (warn > start) {
      EXPECT_FALSE(yellow_or_red(clock->Evaluate(cal(), warn - milliseconds{1}).level));
    }
  }
}

TEST(ClockNamesTest, UnitsAndLevelsHaveStableNames) {
  EXPECT_EQ(ClockUnitName(ClockUnit::kCalendarDays), "calendar_days");
  EXPECT_EQ(*ParseClockUnit("hours"), ClockUnit::kHours);
  EXPECT_FALSE(ParseClockUnit("weeks").ok());
  EXPECT_EQ(ClockLevelName(ClockLevel::kStoppedLate), "stopped_late");
}

}  // namespace huiyin::core
