#include "app/case_followups.h"

#include <gtest/gtest.h>

namespace huiyin::app::followups {
namespace {

using namespace std::chrono;

Date D(int y, unsigned m, unsigned d) {
  return sys_days{year{y} / month{m} / day{d}};
}

TEST(AddMonths, KeepsTheDayOfTheMonth) {
  EXPECT_EQ(AddMonths(D(2026, 11, 27), 60), D(2031, 11, 27));
  EXPECT_EQ(AddMonths(D(2026, 11, 27), 2), D(2027, 1, 27));
}

TEST(AddMonths, EndsOnTheLastDayOfAShorterMonth) {
  EXPECT_EQ(AddMonths(D(2027, 1, 31), 1), D(2027, 2, 28));
  EXPECT_EQ(AddMonths(D(2028, 1, 31), 1), D(2028, 2, 29));  // leap year
  EXPECT_EQ(AddMonths(D(2028, 2, 29), 12), D(2029, 2, 28));
  EXPECT_EQ(AddMonths(D(2026, 8, 31), 1), D(2026, 9, 30));
}

}  // namespace
}  // namespace huiyin::app::followups
