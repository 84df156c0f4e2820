// `huiyin serve`: builds the runtime, registers the API and the web app, serves until SIGTERM,
// then finishes in-flight requests and closes the database cleanly.
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "cli/runtime.h"
#include "http/handlers/api.h"
#include "huiyin/app/licences.h"
#include "huiyin/app/services.h"
#include "huiyin/http/server.h"
#include "huiyin/http/static_files.h"

namespace huiyin::cli {
namespace {

int Serve(const GlobalOptions& g) {
  HUIYIN_CLI_ASSIGN(auto rt, BuildRuntime(g));
  const Config& c = rt->config;
  http::Metrics metrics;
  storage::Database* db = rt->db.get();
  metrics.RegisterGauge("huiyin_db_pool_size", "Database connections in the pool",
                        [db] { return double(db->Stats().size); });
  metrics.RegisterGauge("huiyin_db_pool_in_use", "Database connections lent out now",
                        [db] { return double(db->Stats().in_use); });
  metrics.RegisterGauge("huiyin_db_waiting", "Units of work waiting for a database connection",
                        [db] { return double(db->Stats().waiting); });
  metrics.RegisterGauge("huiyin_db_commits_total", "Committed units of work",
                        [db] { return double(db->Stats().commits); });
  metrics.RegisterGauge("huiyin_db_batches_total", "Group commits (SQLite)",
                        [db] { return double(db->Stats().batches); });

  http::Router router;
  app::GuideIndex guide(*rt->db);
  api::ApiContext ctx{c,          *rt->db, *rt->crypto, *rt->accounts, *rt->orgs, *rt->calendar,
                      *rt->cases, metrics, guide};
  api::RegisterRoutes(router, ctx);
  http::StaticFiles web(c.web.root);
  if (std::filesystem::exists(std::filesystem::path(c.web.root) / "index.html")) {
    router.SetFallback(web.AsFallback(), {.name = "web", .run_inline = false, .access = "public"});
  } else {
    spdlog::warn(
        "no web application at {} (build it with scripts/web.sh build); serving the API only",
        c.web.root);
  }

  http::ServerOptions o;
  o.address = c.server.listen;
  o.port = static_cast<uint16_t>(c.server.port);
  o.io_threads = c.server.io_threads;
  o.worker_threads = c.server.workers;
  o.worker_queue_limit = static_cast<size_t>(c.server.queue_limit);
  o.max_body_bytes = static_cast<size_t>(c.server.max_body_bytes);
  o.max_header_bytes = static_cast<size_t>(c.server.max_header_bytes);
  o.read_timeout = std::chrono::milliseconds(c.server.read_timeout_ms);
  o.idle_timeout = std::chrono::milliseconds(c.server.idle_timeout_ms);
  o.write_timeout = std::chrono::milliseconds(c.server.write_timeout_ms);
  o.access_log = c.server.access_log;
  o.trust_proxy_headers = c.server.trust_proxy_headers;
  o.handle_signals = true;
  o.metrics = &metrics;
  http::HttpServer server(o, router);
  if (auto s = server.Start(); !s.ok()) return Fail(s.error());
  spdlog::info("huiyin serving http://{}:{} on {}", c.server.listen, server.port(),
               rt->db->Describe());
  // The scheduler: the workflows' automatic transitions, every workflows.scheduler_seconds.
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  std::thread scheduler;
  app::LicenceService licences(*rt->db, c.licences.reminder_days);
  if (c.workflows.scheduler_seconds > 0) {
    scheduler = std::thread([&] {
      std::unique_lock lock(mu);
      while (!stopping) {
        lock.unlock();
        auto n = rt->cases->RunAutomaticTransitions(Now());
        if (!n.ok()) spdlog::warn("scheduler: {}", n.error().detail);
        auto reminded = licences.SendRenewalReminders(Now());
        if (!reminded.ok()) spdlog::warn("scheduler: reminders: {}", reminded.error().detail);
        lock.lock();
        cv.wait_for(lock, std::chrono::seconds(c.workflows.scheduler_seconds),
                    [&] { return stopping; });
      }
    });
  }
  server.Run();
  if (scheduler.joinable()) {
    {
      std::lock_guard lock(mu);
      stopping = true;
    }
    cv.notify_all();
    scheduler.join();
  }
  spdlog::info("stopped accepting; closing the database");
  rt->db->Close();
  spdlog::info("bye");
  return 0;
}

}  // namespace

void RegisterServe(CLI::App& app, GlobalOptions& g, const AddCommon& add_common) {
  auto* sub = app.add_subcommand("serve", "serve the JSON API, Open311 and the web application");
  add_common(sub);
  OnParsed(sub, [&g] { return Serve(g); });
}

}  // namespace huiyin::cli
