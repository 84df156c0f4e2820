// The HTTP/1.1 server: Boost.Beast behind a pimpl so this header stays free of Beast and Asio. One
// io_context per io thread, each with its own SO_REUSEPORT acceptor; cheap routes run on the io
// thread, the rest on a bounded worker pool (503 + Retry-After when full); graceful stop.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "huiyin/common/result.h"
#include "huiyin/http/metrics.h"
#include "huiyin/http/router.h"

namespace huiyin::http {

struct ServerOptions {
  std::string address = "127.0.0.1";            // IPv4 or IPv6 literal to bind
  uint16_t port = 8080;                         // 0 → an ephemeral port (see HttpServer::port())
  int io_threads = 0;                           // 0 → one per core
  int worker_threads = 0;                       // 0 → 2 × cores, at least 4 (blocking DB work)
  size_t worker_queue_limit = 1024;             // queued (not yet running) requests before 503
  size_t max_header_bytes = size_t{16} * 1024;  // request line + headers; beyond → 431
  size_t max_body_bytes = size_t{1024} * 1024;  // beyond → 413 problem
  std::chrono::milliseconds read_timeout{30'000};    // to receive one whole request
  std::chrono::milliseconds write_timeout{30'000};   // to send one response
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait for the next request
  std::chrono::milliseconds shutdown_grace{10'000};  // in-flight requests' time after RequestStop
  bool access_log = true;       // one JSON line per request on the spdlog logger "access"
  bool handle_signals = false;  // SIGINT/SIGTERM call RequestStop (for `huiyin serve`)
  // Take the client address from X-Forwarded-For / X-Real-IP (only behind a trusted proxy).
  bool trust_proxy_headers = false;
  // Where requests are counted; not owned, must outlive the server. Null → a private instance.
  Metrics* metrics = nullptr;
};

// Start once, Run once; RequestStop from any thread (not from a signal handler: use
// handle_signals). The Router must not change and must outlive the server.
class HttpServer {
 public:
  HttpServer(ServerOptions options, Router& router);
  // Requests a stop and waits for Run to return if it is running on another thread.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens (SO_REUSEPORT, backlog 4096) and starts the worker pool. Fails with
  // kUnavailable naming the address when the port is busy or the address is invalid.
  Status Start();
  // Serves on io_threads threads (the caller's being one) until RequestStop and the graceful
  // drain finish. Call after a successful Start.
  void Run();
  // Graceful stop: stop accepting, close idle keep-alive connections, let in-flight requests
  // finish (answered with Connection: close) within shutdown_grace, then close the rest.
  // Thread-safe, idempotent.
  void RequestStop();

  // The bound port (the real one when options.port was 0); valid after Start.
  uint16_t port() const;  // NOLINT(readability-identifier-naming): accessor named in the brief
  // The metrics the server records into (options.metrics or its own).
  Metrics& metrics();  // NOLINT(readability-identifier-naming): Metrics() would hide the type

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace huiyin::http
