#include "huiyin/common/time.h"

#include <gtest/gtest.h>

namespace huiyin {
namespace {

TEST(Time, FormatsShanghaiLocalTimeWithOffset) {
  auto t = ParseIso("2026-01-04T01:30:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatIso(*t), "2026-01-04T09:30:00+08:00");
}

TEST(Time, DateTimeWithoutOffsetIsShanghaiTime) {
  auto a = ParseIso("2026-01-04T09:30:00");
  auto b = ParseIso("2026-01-04T09:30:00+08:00");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

TEST(Time, LocalDateCrossesMidnightAtSixteenUtc) {
  auto t = ParseIso("2025-09-30T16:00:00Z");  // 2025-10-01 00:00 in Shanghai
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatDate(LocalDate(*t)), "2025-10-01");
}

TEST(Time, EndOfDayIsLastMillisecondLocal) {
  auto d = ParseDate("2026-02-24");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(FormatIso(EndOfLocalDay(*d)), "2026-02-24T23:59:59+08:00");
}

TEST(Time, RejectsImpossibleDates) {
  EXPECT_FALSE(ParseDate("2026-02-30").ok());
  EXPECT_FALSE(ParseDate("2026-2-3").ok());
  EXPECT_FALSE(ParseIso("2026-01-04T25:00:00").ok());
  EXPECT_FALSE(ParseIso("2026-01-04T09:30:00+08:00junk").ok());
}

TEST(Time, ParsesFractionsAndCompactOffsets) {
  auto a = ParseIso("2026-01-04T09:30:00.250+0800");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(ToMillis(*a) % 1000, 250);
}

}  // namespace
}  // namespace huiyin
