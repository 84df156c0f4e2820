// Request metrics in Prometheus text exposition format 0.0.4: requests by route and status, a
// latency histogram per route, requests in flight, and gauges registered by callback (worker queue
// depth, open connections, database pool use...). Recording is lock-free (relaxed atomics).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace huiyin::http {

// Thread-safe. Route slots are interned once (under a mutex) and then recorded into without locks.
class Metrics {
 public:
  // Index of an interned route name; stable for the Metrics' lifetime.
  using RouteSlot = size_t;
  // Upper bounds (seconds) of the latency histogram buckets; +Inf is implicit.
  static constexpr std::array<double, 13> kLatencyBuckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};
  // Content-Type of RenderPrometheus() output.
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

  // `max_routes` bounds the distinct route names; names beyond it are counted as "(other)".
  explicit Metrics(size_t max_routes = 512);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Slot for route `name` (same name → same slot). Takes a mutex: call at start-up, not per
  // request.
  RouteSlot InternRoute(std::string_view name);
  // Counts one finished request. Lock-free.
  void RecordRequest(RouteSlot slot, int status, std::chrono::microseconds latency);
  // Convenience for rare paths and tests: interns then records (takes the mutex).
  void RecordRequest(std::string_view route, int status, std::chrono::microseconds latency);

  // Requests being processed now (the server adds +1/-1).
  void AddInFlight(int64_t delta) { in_flight_.fetch_add(delta, std::memory_order_relaxed); }
  int64_t InFlight() const { return in_flight_.load(std::memory_order_relaxed); }

  // Registers (or replaces) gauge `name` whose value `read` returns at render time; `read` runs on
  // the rendering thread and must be thread-safe and cheap. `name` must be a valid metric name.
  void RegisterGauge(std::string name, std::string help, std::function<double()> read);
  // Removes gauge `name` (call before what the callback reads is destroyed).
  void UnregisterGauge(std::string_view name);

  // Count of requests recorded for `route` with `status` (tests, health checks).
  uint64_t RequestCount(std::string_view route, int status) const;

  // Everything above in Prometheus text format 0.0.4.
  std::string RenderPrometheus() const;

 private:
  struct RouteStats;
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> read;
  };

  RouteSlot InternLocked(std::string_view name);

  const size_t max_routes_;
  std::unique_ptr<RouteStats[]> stats_;  // max_routes_ + 1 (the last is "(other)")
  mutable std::mutex mu_;                // guards names_ and gauges_
  std::vector<std::string> names_;       // slot → name
  std::vector<Gauge> gauges_;
  std::atomic<int64_t> in_flight_{0};
};

}  // namespace huiyin::http
