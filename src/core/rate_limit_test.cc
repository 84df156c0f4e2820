#include "huiyin/core/rate_limit.h"

#include <gtest/gtest.h>

namespace huiyin::core {
namespace {

using std::chrono::minutes;

Timestamp At(int minute) {
  return FromMillis(1'800'000'000'000 + int64_t{minute} * 60'000);
}

TEST(FailureLimiter, RefusesAfterTheLimitWithinTheWindow) {
  FailureLimiter l(3, minutes(15));
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(l.BlockedUntil("10.0.0.1", At(i)));
    l.RecordFailure("10.0.0.1", At(i));
  }
  ASSERT_TRUE(l.BlockedUntil("10.0.0.1", At(3)));
  EXPECT_EQ(*l.BlockedUntil("10.0.0.1", At(3)), At(15));  // when the first failure leaves
  EXPECT_FALSE(l.BlockedUntil("10.0.0.2", At(3))) << "other addresses are not affected";
}

TEST(FailureLimiter, FailuresLeaveTheWindow) {
  FailureLimiter l(2, minutes(10));
  l.RecordFailure("a", At(0));
  l.RecordFailure("a", At(5));
  EXPECT_TRUE(l.BlockedUntil("a", At(9)));
  EXPECT_FALSE(l.BlockedUntil("a", At(10))) << "the first left at minute 10";
  l.RecordFailure("a", At(11));
  EXPECT_EQ(*l.BlockedUntil("a", At(12)), At(15));
}

TEST(FailureLimiter, MemoryIsBounded) {
  FailureLimiter l(1, minutes(60), 4);
  for (int i = 0; i < 10; ++i) l.RecordFailure("k" + std::to_string(i), At(i));
  int blocked = 0;
  for (int i = 0; i < 10; ++i) blocked += l.BlockedUntil("k" + std::to_string(i), At(10)) ? 1 : 0;
  EXPECT_LE(blocked, 4);
  EXPECT_TRUE(l.BlockedUntil("k9", At(10))) << "the newest key is kept";
}

}  // namespace
}  // namespace huiyin::core
