// A sliding-window counter of failures per key (e.g. failed sign-ins per client address): after
// `limit` failures within `window`, the key is refused until the oldest of them leaves the
// window. Bounded memory: at most `max_keys` keys (the stalest are forgotten first). Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "huiyin/common/time.h"

namespace huiyin::core {

class FailureLimiter {
 public:
  FailureLimiter(int limit, std::chrono::milliseconds window, size_t max_keys = 100'000);

  // When `key` may try again: nullopt when it may now, else the instant its oldest recent
  // failure leaves the window.
  std::optional<Timestamp> BlockedUntil(std::string_view key, Timestamp now);
  void RecordFailure(std::string_view key, Timestamp now);
  // A success does not erase failures (a sprayer with one good password stays limited).

  int limit() const { return limit_; }

 private:
  void Expire(std::deque<Timestamp>& times, Timestamp now) const;

  const int limit_;
  const std::chrono::milliseconds window_;
  const size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<Timestamp>> failures_;
};

}  // namespace huiyin::core
