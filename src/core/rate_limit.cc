#include "huiyin/core/rate_limit.h"

#include <algorithm>

namespace huiyin::core {

FailureLimiter::FailureLimiter(int limit, std::chrono::milliseconds window, size_t max_keys)
    : limit_(std::max(1, limit)), window_(window), max_keys_(std::max<size_t>(1, max_keys)) {}

void FailureLimiter::Expire(std::deque<Timestamp>& times, Timestamp now) const {
  while (!times.empty() && times.front() + window_ <= now) times.pop_front();
}

std::optional<Timestamp> FailureLimiter::BlockedUntil(std::string_view key, Timestamp now) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(std::string(key));
  if (it == failures_.end()) return std::nullopt;
  Expire(it->second, now);
  if (it->second.empty()) {
    failures_.erase(it);
    return std::nullopt;
  }
  if (static_cast<int>(it->second.size()) < limit_) return std::nullopt;
  return it->second.front() + window_;
}

void FailureLimiter::RecordFailure(std::string_view key, Timestamp now) {
  std::lock_guard lock(mu_);
  if (failures_.size() >= max_keys_ && !failures_.contains(std::string(key))) {
    // Forget keys whose failures have all left the window; if none, the stalest one.
    for (auto it = failures_.begin(); it != failures_.end();) {
      Expire(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
    if (failures_.size() >= max_keys_) {
      auto stalest = std::min_element(
          failures_.begin(), failures_.end(),
          [](const auto& a, const auto& b) { return a.second.back() < b.second.back(); });
      failures_.erase(stalest);
    }
  }
  auto& times = failures_[std::string(key)];
  Expire(times, now);
  times.push_back(now);
  while (static_cast<int>(times.size()) > limit_) times.pop_front();  // only the last `limit`
}

}  // namespace huiyin::core
