// A minimal server for load tests of the HTTP layer (bench/http/README.md): an inline /healthz, a
// worker-pool JSON route of ~200 bytes, a POST echo and /metrics. Stops on SIGINT/SIGTERM.
//   http_bench_server [port=8080] [io_threads=0] [worker_threads=0] [access_log=0]
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <string>

#include "huiyin/http/metrics.h"
#include "huiyin/http/router.h"
#include "huiyin/http/server.h"

int main(int argc, char** argv) {
  using huiyin::http::Request;
  using huiyin::http::Response;
  auto arg = [&](int i, int fallback) { return argc > i ? std::atoi(argv[i]) : fallback; };

  huiyin::http::Metrics metrics;
  huiyin::http::Router router;
  router.Add("GET", "/healthz", [](Request&) { return Response::Text(200, "ok"); },
             {.name = "health", .run_inline = true});
  router.Add("GET", "/metrics",
             [&metrics](Request&) {
               Response r = Response::Text(200, metrics.RenderPrometheus());
               r.content_type = std::string(huiyin::http::Metrics::kContentType);
               return r;
             },
             {.run_inline = true});
  const std::string json =
      R"({"number":"A20260104-0001","kind":"appeal","state":"handling","title":"路灯不亮",)"
      R"("department":"城市管理局","deadline":"2026-01-09T17:30:00+08:00","level":"normal",)"
      R"("version":3,"transitions":["reply","extend"]})";
  router.Add("GET", "/api/v1/cases/{number}",
             [&json](Request&) { return Response::Json(200, json); });
  router.Add("POST", "/api/v1/echo", [](Request& r) { return Response::Json(200, r.body); });

  huiyin::http::ServerOptions options;
  options.address = "127.0.0.1";
  options.port = static_cast<uint16_t>(arg(1, 8080));
  options.io_threads = arg(2, 0);
  options.worker_threads = arg(3, 0);
  options.access_log = arg(4, 0) != 0;
  options.handle_signals = true;
  options.idle_timeout = std::chrono::seconds(300);  // keep idle connections for the idle test
  options.metrics = &metrics;
  huiyin::http::HttpServer server(options, router);
  if (auto st = server.Start(); !st.ok()) {
    spdlog::error("{}", st.error().detail);
    return 1;
  }
  server.Run();
  return 0;
}
