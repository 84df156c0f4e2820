#include "huiyin/http/metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace huiyin::http {
namespace {

constexpr size_t kStatusSlots = 24;

void AppendLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
}

void AppendDouble(std::string& out, double v) {
  fmt::format_to(std::back_inserter(out), "{}", v);
}

}  // namespace

struct Metrics::RouteStats {
  struct StatusCount {
    std::atomic<int> status{0};  // 0 = free slot
    std::atomic<uint64_t> count{0};
  };
  std::array<StatusCount, kStatusSlots> statuses;
  std::atomic<uint64_t> other_status{0};  // statuses beyond kStatusSlots distinct codes
  std::array<std::atomic<uint64_t>, kLatencyBuckets.size() + 1> buckets{};  // last = +Inf
  std::atomic<uint64_t> sum_us{0};
  std::atomic<uint64_t> count{0};
};

Metrics::Metrics(size_t max_routes)
    : max_routes_(max_routes), stats_(std::make_unique<RouteStats[]>(max_routes + 1)) {}

Metrics::~Metrics() = default;

Metrics::RouteSlot Metrics::InternLocked(std::string_view name) {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) {
      return i;
    }
  }
  if (names_.size() >= max_routes_) {
    return max_routes_;
  }
  names_.emplace_back(name);
  return names_.size() - 1;
}

Metrics::RouteSlot Metrics::InternRoute(std::string_view name) {
  std::lock_guard lock(mu_);
  return InternLocked(name);
}

void Metrics::RecordRequest(RouteSlot slot, int status, std::chrono::microseconds latency) {
  RouteStats& s = stats_[std::min(slot, max_routes_)];
  bool counted = false;
  for (auto& sc : s.statuses) {
    int current = sc.status.load(std::memory_order_acquire);
    if (current == 0) {
      int expected = 0;
      if (sc.status.compare_exchange_strong(expected, status, std::memory_order_acq_rel)) {
        current = status;
      } else {
        current = expected;
      }
    }
    if (current == status) {
      sc.count.fetch_add(1, std::memory_order_relaxed);
      counted = true;
      break;
    }
  }
  if (!counted) {
    s.other_status.fetch_add(1, std::memory_order_relaxed);
  }

  const int64_t us = std::max<int64_t>(latency.count(), 0);
  const double seconds = static_cast<double>(us) / 1e6;
  size_t bucket = 0;
  while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) {
    ++bucket;
  }
  s.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  s.sum_us.fetch_add(static_cast<uint64_t>(us), std::memory_order_relaxed);
  s.count.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::RecordRequest(std::string_view route, int status, std::chrono::microseconds latency) {
  RecordRequest(InternRoute(route), status, latency);
}

void Metrics::RegisterGauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  for (Gauge& g : gauges_) {
    if (g.name == name) {
      g.help = std::move(help);
      g.read = std::move(read);
      return;
    }
  }
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

void Metrics::UnregisterGauge(std::string_view name) {
  std::lock_guard lock(mu_);
  std::erase_if(gauges_, [&](const Gauge& g) { return g.name == name; });
}

uint64_t Metrics::RequestCount(std::string_view route, int status) const {
  size_t slot = max_routes_;
  {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == route) {
        slot = i;
      }
    }
    if (slot == max_routes_ && route != "(other)") {
      return 0;
    }
  }
  for (const auto& sc : stats_[slot].statuses) {
    if (sc.status.load(std::memory_order_acquire) == status) {
      return sc.count.load(std::memory_order_relaxed);
    }
  }
  return 0;
}

std::string Metrics::RenderPrometheus() const {
  std::vector<std::string> names;
  {
    std::lock_guard lock(mu_);
    names = names_;
  }
  names.emplace_back("(other)");  // slot max_routes_
  auto slot_of = [&](size_t i) { return i + 1 == names.size() ? max_routes_ : i; };

  std::string out;
  out.reserve(4096 + names.size() * 1024);
  out +=
      "# HELP huiyin_http_requests_total HTTP requests answered, by route and status.\n"
      "# TYPE huiyin_http_requests_total counter\n";
  for (size_t i = 0; i < names.size(); ++i) {
    const RouteStats& s = stats_[slot_of(i)];
    auto line = [&](std::string_view status, uint64_t n) {
      out += "huiyin_http_requests_total{route=\"";
      AppendLabelValue(out, names[i]);
      out += "\",status=\"";
      out += status;
      out += "\"} ";
      out += std::to_string(n);
      out += '\n';
    };
    for (const auto& sc : s.statuses) {
      const int status = sc.status.load(std::memory_order_acquire);
      if (status == 0) {
        break;
      }
      line(std::to_string(status), sc.count.load(std::memory_order_relaxed));
    }
    if (const uint64_t other = s.other_status.load(std::memory_order_relaxed); other > 0) {
      line("other", other);
    }
  }

  out +=
      "# HELP huiyin_http_request_duration_seconds Time from a complete request to the "
      "response sent.\n"
      "# TYPE huiyin_http_request_duration_seconds histogram\n";
  for (size_t i = 0; i < names.size(); ++i) {
    const RouteStats& s = stats_[slot_of(i)];
    const uint64_t count = s.count.load(std::memory_order_relaxed);
    if (count == 0) {
      continue;
    }
    std::string label = "route=\"";
    AppendLabelValue(label, names[i]);
    label += '"';
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kLatencyBuckets.size(); ++b) {
      cumulative += s.buckets[b].load(std::memory_order_relaxed);
      out += "huiyin_http_request_duration_seconds_bucket{";
      out += label;
      out += ",le=\"";
      if (b < kLatencyBuckets.size()) {
        AppendDouble(out, kLatencyBuckets[b]);
      } else {
        out += "+Inf";
      }
      out += "\"} ";
      out += std::to_string(cumulative);
      out += '\n';
    }
    out += "huiyin_http_request_duration_seconds_sum{" + label + "} ";
    AppendDouble(out, static_cast<double>(s.sum_us.load(std::memory_order_relaxed)) / 1e6);
    out += "\nhuiyin_http_request_duration_seconds_count{" + label + "} ";
    // The +Inf bucket is the authoritative count (buckets and count are separate atomics).
    out += std::to_string(cumulative);
    out += '\n';
  }

  out +=
      "# HELP huiyin_http_requests_in_flight Requests being processed.\n"
      "# TYPE huiyin_http_requests_in_flight gauge\n"
      "huiyin_http_requests_in_flight ";
  out += std::to_string(InFlight());
  out += '\n';

  // Under the lock so that UnregisterGauge guarantees no callback is running afterwards.
  std::lock_guard lock(mu_);
  for (const Gauge& g : gauges_) {
    out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name + " gauge\n" + g.name + " ";
    AppendDouble(out, g.read ? g.read() : 0.0);
    out += '\n';
  }
  return out;
}

}  // namespace huiyin::http
