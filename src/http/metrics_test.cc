#include "huiyin/http/metrics.h"

#include <gtest/gtest.h>

#include <thread>

namespace huiyin::http {
namespace {

using std::chrono::microseconds;

TEST(MetricsTest, CountsByRouteAndStatus) {
  Metrics m;
  const auto slot = m.InternRoute("GET /api/v1/cases/{number}");
  EXPECT_EQ(m.InternRoute("GET /api/v1/cases/{number}"), slot);
  m.RecordRequest(slot, 200, microseconds(800));
  m.RecordRequest(slot, 200, microseconds(3000));
  m.RecordRequest(slot, 404, microseconds(50));
  EXPECT_EQ(m.RequestCount("GET /api/v1/cases/{number}", 200), 2U);
  EXPECT_EQ(m.RequestCount("GET /api/v1/cases/{number}", 404), 1U);
  EXPECT_EQ(m.RequestCount("GET /other", 200), 0U);

  const std::string text = m.RenderPrometheus();
  EXPECT_NE(text.find("# TYPE huiyin_http_requests_total counter"), std::string::npos);
  EXPECT_NE(text.find("huiyin_http_requests_total{route=\"GET /api/v1/cases/{number}\","
                      "status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  // Buckets are cumulative: 50 µs and 800 µs ≤ 1 ms; 3 ms ≤ 5 ms.
  EXPECT_NE(text.find("_bucket{route=\"GET /api/v1/cases/{number}\",le=\"0.001\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("_bucket{route=\"GET /api/v1/cases/{number}\",le=\"0.005\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("_bucket{route=\"GET /api/v1/cases/{number}\",le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("huiyin_http_request_duration_seconds_sum{route=\"GET "
                      "/api/v1/cases/{number}\"} 0.00385\n"),
            std::string::npos)
      << text;
}

TEST(MetricsTest, GaugesAndInFlight) {
  Metrics m;
  double pool_in_use = 3;
  m.RegisterGauge("huiyin_db_pool_in_use", "Database connections in use.",
                  [&] { return pool_in_use; });
  m.AddInFlight(2);
  m.AddInFlight(-1);
  std::string text = m.RenderPrometheus();
  EXPECT_NE(text.find("# TYPE huiyin_db_pool_in_use gauge\nhuiyin_db_pool_in_use 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("huiyin_http_requests_in_flight 1\n"), std::string::npos);
  m.UnregisterGauge("huiyin_db_pool_in_use");
  EXPECT_EQ(m.RenderPrometheus().find("huiyin_db_pool_in_use"), std::string::npos);
}

TEST(MetricsTest, LabelValuesAreEscapedAndRoutesBounded) {
  Metrics m(/*max_routes=*/1);
  m.RecordRequest("a\"b", 200, microseconds(1));
  m.RecordRequest("second", 500, microseconds(1));  // beyond max_routes → "(other)"
  const std::string text = m.RenderPrometheus();
  EXPECT_NE(text.find("route=\"a\\\"b\""), std::string::npos);
  EXPECT_NE(text.find("route=\"(other)\",status=\"500\"} 1"), std::string::npos) << text;
}

TEST(MetricsTest, ConcurrentRecordingLosesNothing) {
  Metrics m;
  const auto slot = m.InternRoute("r");
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        m.RecordRequest(slot, 200 + (i % 3) + t, microseconds(i));
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  uint64_t total = 0;
  for (int s = 200; s < 206; ++s) {
    total += m.RequestCount("r", s);
  }
  EXPECT_EQ(total, 40000U);
}

}  // namespace
}  // namespace huiyin::http
