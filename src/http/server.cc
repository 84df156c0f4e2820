// The only translation unit that includes Beast and Asio (STACK.md: they cost 25–45 s to compile).
#include <utility>  // before any Asio header: 1.74's awaitable.hpp uses std::exchange

// g++ 12 false positive on Asio 1.74's coroutine frames (its recycling allocator pairs a sized
// operator delete with operator new), reported at the end of the translation unit.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include "huiyin/http/server.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "http/http_util.h"
#include "http/worker_pool.h"

namespace huiyin::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

constexpr int kListenBacklog = 4096;
constexpr size_t kLingerDrainBytes = 1 << 20;
constexpr std::chrono::milliseconds kLingerTime{500};

auto Awaitable(error_code& ec) {
  return asio::redirect_error(asio::use_awaitable, ec);
}

// co_spawn completion: `detached` would swallow exceptions (STACK.md).
struct LogIfThrown {
  const char* what;
  void operator()(const std::exception_ptr& e) const {
    if (!e) {
      return;
    }
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("http: {} ended with an exception: {}", what, ex.what());
    } catch (...) {
      spdlog::error("http: {} ended with an unknown exception", what);
    }
  }
};

// A connection as the stop logic sees it; lives in the session's coroutine frame.
struct Connection {
  beast::tcp_stream* stream = nullptr;
  bool idle = false;  // waiting for the next request (or lingering): may be closed on stop
};

bool IsQuietDisconnect(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
         ec == beast::error::timeout || ec == asio::error::broken_pipe ||
         ec == asio::error::bad_descriptor || ec == bhttp::error::partial_message;
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(ServerOptions options, Router& router)
      : options_(std::move(options)),
        router_(router),
        owned_metrics_(options_.metrics == nullptr ? std::make_unique<Metrics>() : nullptr),
        metrics_(options_.metrics != nullptr ? *options_.metrics : *owned_metrics_) {}

  ~Impl() {
    RequestStop();
    {
      std::unique_lock lock(run_mu_);
      run_cv_.wait(lock, [this] { return !running_; });
    }
    if (pool_) {
      pool_->Stop();
    }
    if (started_) {
      metrics_.UnregisterGauge("huiyin_http_worker_queue_depth");
      metrics_.UnregisterGauge("huiyin_http_workers_busy");
      metrics_.UnregisterGauge("huiyin_http_connections_open");
    }
    signals_.reset();
    io_.clear();  // destroys suspended sessions while the rest of Impl is alive
  }

  Status Start();
  void Run();
  void RequestStop();
  uint16_t port() const { return port_; }  // NOLINT(readability-identifier-naming)
  Metrics& metrics() { return metrics_; }  // NOLINT(readability-identifier-naming)

 private:
  struct IoThread {
    // Touched only on this io_context's thread. Declared before `ctx` so that sessions destroyed
    // by ~io_context can still unregister themselves.
    std::unordered_set<Connection*> connections;
    bool stopping = false;
    asio::io_context ctx{1};
    std::optional<tcp::acceptor> acceptor;
    std::optional<asio::steady_timer> grace_timer;
  };

  asio::awaitable<void> AcceptLoop(IoThread& io);
  asio::awaitable<void> Session(IoThread& io, tcp::socket socket);
  asio::awaitable<void> LingerClose(beast::tcp_stream& stream, Connection& conn);
  asio::awaitable<Response> Execute(IoThread& io, const RouteMatch& match, Request& request);
  void BeginStop(IoThread& io);
  void OnConnectionClosed(IoThread& io, Connection& conn);
  Request MakeRequest(bhttp::request<bhttp::string_body>& in, const std::string& peer) const;
  void Finish(const Request& request, std::string_view route_name, Metrics::RouteSlot slot,
              const Response& response, size_t bytes, SteadyClock::time_point start);
  Response Reject(ErrorCode code, std::string detail, std::string_view target);

  ServerOptions options_;
  // The largest body any route takes (RouteOptions::max_body_bytes), set by Start.
  size_t largest_body_limit_ = 0;
  Router& router_;
  std::unique_ptr<Metrics> owned_metrics_;
  Metrics& metrics_;
  std::vector<Metrics::RouteSlot> route_slots_;  // by Route::id
  std::array<Metrics::RouteSlot, 6> kind_slots_{};
  Metrics::RouteSlot rejected_slot_ = 0;
  std::shared_ptr<spdlog::logger> access_log_;
  std::unique_ptr<WorkerPool> pool_;
  std::atomic<int64_t> open_connections_{0};
  std::atomic<bool> stop_requested_{false};
  uint16_t port_ = 0;
  bool started_ = false;
  std::mutex run_mu_;
  std::condition_variable run_cv_;
  bool running_ = false;
  std::vector<std::unique_ptr<IoThread>> io_;  // last: destroyed first
  std::optional<asio::signal_set> signals_;    // on io_[0]
};

Status HttpServer::Impl::Start() {
  largest_body_limit_ = options_.max_body_bytes;
  router_.ForEachRoute([&](const Route& r) {
    largest_body_limit_ = std::max(largest_body_limit_, r.options.max_body_bytes);
  });
  if (started_) {
    return MakeError(ErrorCode::kInternal, "HttpServer::Start called twice");
  }
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  const size_t io_threads =
      options_.io_threads > 0 ? static_cast<size_t>(options_.io_threads) : cores;
  const size_t workers = options_.worker_threads > 0 ? static_cast<size_t>(options_.worker_threads)
                                                     : std::max<size_t>(4, size_t{2} * cores);
  error_code ec;
  const asio::ip::address address = asio::ip::make_address(options_.address, ec);
  if (ec) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Invalid listen address '" + options_.address + "': " + ec.message());
  }
  const std::string where = options_.address + ":" + std::to_string(options_.port);
  for (size_t i = 0; i < io_threads; ++i) {
    io_.push_back(std::make_unique<IoThread>());
  }

  // SO_REUSEPORT would let us share the port with another server of the same user without any
  // error: probe with a plain bind first so a busy port is reported.
  if (options_.port != 0) {
    asio::io_context probe_ctx;
    tcp::acceptor probe(probe_ctx);
    const tcp::endpoint ep(address, options_.port);
    probe.open(ep.protocol(), ec);
    if (!ec) {
      probe.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
      probe.bind(ep, ec);
    }
    if (ec) {
      io_.clear();
      return MakeError(
          ErrorCode::kUnavailable,
          "Cannot listen on " + where + ": " + ec.message() +
              (ec == asio::error::address_in_use ? " (is another server running?)" : ""));
    }
  }

  uint16_t port = options_.port;
  for (auto& io : io_) {
    auto& acceptor = io->acceptor.emplace(io->ctx);
    const tcp::endpoint ep(address, port);
    acceptor.open(ep.protocol(), ec);
    if (!ec) {
      acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
      acceptor.set_option(ReusePort(true), ec);
    }
    if (!ec) {
      acceptor.bind(ep, ec);
    }
    if (!ec) {
      acceptor.listen(kListenBacklog, ec);
    }
    if (ec) {
      io_.clear();
      return MakeError(ErrorCode::kUnavailable, "Cannot listen on " + where + ": " + ec.message());
    }
    if (port == 0) {
      port = acceptor.local_endpoint().port();
    }
  }
  port_ = port;

  pool_ = std::make_unique<WorkerPool>(workers, options_.worker_queue_limit);
  route_slots_.assign(router_.RouteCount(), 0);
  router_.ForEachRoute(
      [this](const Route& r) { route_slots_[r.id] = metrics_.InternRoute(r.Name()); });
  for (auto kind : {RouteMatch::Kind::kNotFound, RouteMatch::Kind::kMethodNotAllowed,
                    RouteMatch::Kind::kOptions, RouteMatch::Kind::kBadTarget}) {
    RouteMatch m;
    m.kind = kind;
    kind_slots_[static_cast<size_t>(kind)] = metrics_.InternRoute(m.Name());
  }
  rejected_slot_ = metrics_.InternRoute("(rejected)");
  metrics_.RegisterGauge("huiyin_http_worker_queue_depth", "Requests waiting for a worker thread.",
                         [pool = pool_.get()] { return static_cast<double>(pool->QueueDepth()); });
  metrics_.RegisterGauge("huiyin_http_workers_busy", "Worker threads running a handler.",
                         [pool = pool_.get()] { return static_cast<double>(pool->Busy()); });
  metrics_.RegisterGauge("huiyin_http_connections_open", "Open client connections.", [this] {
    return static_cast<double>(open_connections_.load(std::memory_order_relaxed));
  });

  if (options_.access_log) {
    access_log_ = spdlog::get("access");
    if (!access_log_) {
      try {
        access_log_ = spdlog::stdout_logger_mt("access");
        access_log_->set_pattern("%v");
      } catch (const spdlog::spdlog_ex&) {
        access_log_ = spdlog::get("access");  // created concurrently by another server
      }
    }
  }
  started_ = true;
  spdlog::info("http: listening on {}:{} ({} io threads, {} workers)", options_.address, port_,
               io_.size(), workers);
  return Status::Ok();
}

void HttpServer::Impl::Run() {
  if (!started_) {
    return;
  }
  {
    std::lock_guard lock(run_mu_);
    running_ = true;
  }
  if (options_.handle_signals) {
    signals_.emplace(io_[0]->ctx, SIGINT, SIGTERM);
    signals_->async_wait([this](const error_code& ec, int signal) {
      if (ec) {
        return;
      }
      spdlog::info("http: signal {} received, stopping gracefully", signal);
      RequestStop();
    });
  }
  for (auto& io : io_) {
    asio::co_spawn(io->ctx, AcceptLoop(*io), LogIfThrown{"accept loop"});
    if (stop_requested_.load()) {
      asio::post(io->ctx, [this, p = io.get()] { BeginStop(*p); });
    }
  }
  auto run = [](IoThread& io) {
    while (true) {
      try {
        io.ctx.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("http: io thread caught: {}", e.what());
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t i = 1; i < io_.size(); ++i) {
    threads.emplace_back(run, std::ref(*io_[i]));
  }
  run(*io_[0]);
  for (auto& t : threads) {
    t.join();
  }
  pool_->Stop();  // in-flight work has drained (or the grace period ran out)
  spdlog::info("http: stopped");
  {
    std::lock_guard lock(run_mu_);
    running_ = false;
  }
  run_cv_.notify_all();
}

void HttpServer::Impl::RequestStop() {
  if (stop_requested_.exchange(true)) {
    return;
  }
  for (auto& io : io_) {
    asio::post(io->ctx, [this, p = io.get()] { BeginStop(*p); });
  }
}

void HttpServer::Impl::BeginStop(IoThread& io) {
  if (io.stopping) {
    return;
  }
  io.stopping = true;
  error_code ec;
  if (io.acceptor) {
    io.acceptor->close(ec);
  }
  if (signals_ && &io == io_[0].get()) {
    signals_->cancel(ec);
  }
  for (Connection* c : io.connections) {
    if (c->idle) {
      c->stream->socket().close(ec);
    }
  }
  if (io.connections.empty()) {
    return;
  }
  io.grace_timer.emplace(io.ctx, options_.shutdown_grace);
  io.grace_timer->async_wait([&io](const error_code& wait_ec) {
    if (wait_ec) {
      return;  // every connection closed in time
    }
    spdlog::warn("http: {} connection(s) still busy after the grace period; closing them",
                 io.connections.size());
    error_code ignored;
    for (Connection* c : io.connections) {
      c->stream->socket().close(ignored);
    }
    io.ctx.stop();
  });
}

void HttpServer::Impl::OnConnectionClosed(IoThread& io, Connection& conn) {
  io.connections.erase(&conn);
  open_connections_.fetch_sub(1, std::memory_order_relaxed);
  if (io.stopping && io.connections.empty() && io.grace_timer) {
    io.grace_timer->cancel();
  }
}

asio::awaitable<void> HttpServer::Impl::AcceptLoop(IoThread& io) {
  while (!io.stopping) {
    error_code ec;
    tcp::socket socket = co_await io.acceptor->async_accept(Awaitable(ec));
    if (ec) {
      if (io.stopping || ec == asio::error::operation_aborted) {
        co_return;
      }
      spdlog::warn("http: accept failed: {}", ec.message());
      // Out of file descriptors and the like: back off instead of spinning.
      asio::steady_timer pause(io.ctx, std::chrono::milliseconds(50));
      co_await pause.async_wait(Awaitable(ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(io.ctx, Session(io, std::move(socket)), LogIfThrown{"session"});
  }
}

Request HttpServer::Impl::MakeRequest(bhttp::request<bhttp::string_body>& in,
                                      const std::string& peer) const {
  Request req;
  req.method = std::string(in.method_string());
  const std::string_view target = in.target();
  if (!req.SetTarget(target).ok()) {
    req.target = std::string(target);
    req.path.clear();  // the router answers 400
  }
  req.headers.reserve(16);
  for (const auto& field : in) {
    req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  req.body = std::move(in.body());
  req.remote_address = peer;
  if (options_.trust_proxy_headers) {
    std::string_view forwarded = req.Header("X-Real-IP");
    if (forwarded.empty()) {
      forwarded = req.Header("X-Forwarded-For");
      if (const size_t comma = forwarded.rfind(','); comma != std::string_view::npos) {
        forwarded.remove_prefix(comma + 1);
      }
    }
    while (!forwarded.empty() && forwarded.front() == ' ') {
      forwarded.remove_prefix(1);
    }
    while (!forwarded.empty() && forwarded.back() == ' ') {
      forwarded.remove_suffix(1);
    }
    if (!forwarded.empty() && forwarded.size() <= 64) {
      req.remote_address = std::string(forwarded);
    }
  }
  const std::string_view incoming_id = req.Header("X-Request-Id");
  req.request_id = IsSaneRequestId(incoming_id) ? std::string(incoming_id) : GenerateRequestId();
  return req;
}

asio::awaitable<Response> HttpServer::Impl::Execute(IoThread& io, const RouteMatch& match,
                                                    Request& request) {
  if (match.RunsInline()) {
    co_return router_.Dispatch(match, request);
  }
  // The worker signals completion by cancelling a timer that never expires on its own: the
  // pending wait also keeps io.ctx.run() alive while the worker runs.
  asio::steady_timer done(io.ctx, SteadyClock::time_point::max());
  std::optional<Response> response;
  UniqueTask task([this, &match, &request, &response, &done, &io] {
    response = router_.Dispatch(match, request);
    asio::post(io.ctx, [&done] { done.cancel(); });
  });
  if (!pool_->TryPost(task)) {
    Response busy = Response::Problem(
        MakeError(ErrorCode::kUnavailable, "The server is busy; retry in a second."), request);
    busy.SetHeader("Retry-After", "1");
    co_return busy;
  }
  error_code ec;
  co_await done.async_wait(Awaitable(ec));
  if (!response) {
    co_return Response::Problem(MakeError(ErrorCode::kUnavailable, "The server is stopping."),
                                request);
  }
  co_return std::move(*response);
}

void HttpServer::Impl::Finish(const Request& request, std::string_view route_name,
                              Metrics::RouteSlot slot, const Response& response, size_t bytes,
                              SteadyClock::time_point start) {
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start);
  metrics_.RecordRequest(slot, response.status, elapsed);
  if (!access_log_) {
    return;
  }
  std::string line;
  line.reserve(256);
  line += "{\"ts\":";
  line += std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count());
  line += ",\"request_id\":";
  AppendJsonString(line, request.request_id);
  line += ",\"method\":";
  AppendJsonString(line, request.method);
  line += ",\"route\":";
  AppendJsonString(line, route_name);
  line += ",\"path\":";
  AppendJsonString(line, request.path.empty() ? request.target : request.path);
  line += ",\"status\":";
  line += std::to_string(response.status);
  line += ",\"bytes\":";
  line += std::to_string(bytes);
  line += ",\"duration_us\":";
  line += std::to_string(elapsed.count());
  line += ",\"remote\":";
  AppendJsonString(line, request.remote_address);
  line += '}';
  access_log_->info("{}", line);
}

asio::awaitable<void> HttpServer::Impl::LingerClose(beast::tcp_stream& stream, Connection& conn) {
  // Half-close and drain what the client is still sending, so that our error response is not
  // destroyed by a TCP reset before the client reads it.
  error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  conn.idle = true;
  stream.expires_after(kLingerTime);
  std::array<char, 8192> sink{};
  size_t drained = 0;
  while (!ec && drained < kLingerDrainBytes) {
    drained += co_await stream.async_read_some(asio::buffer(sink), Awaitable(ec));
  }
  stream.socket().close(ec);
}

asio::awaitable<void> HttpServer::Impl::Session(IoThread& io, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  Connection conn{&stream};
  io.connections.insert(&conn);
  open_connections_.fetch_add(1, std::memory_order_relaxed);
  struct Unregister {
    Impl* self;
    IoThread& io;
    Connection& conn;
    ~Unregister() { self->OnConnectionClosed(io, conn); }
  } unregister{this, io, conn};

  error_code ec;
  std::string peer;
  {
    const tcp::endpoint remote = stream.socket().remote_endpoint(ec);
    if (!ec) {
      peer = remote.address().to_string();
    }
  }
  beast::flat_buffer buffer;
  bool first = true;
  while (true) {
    // 1. Wait for the first byte of the next request: the keep-alive idle phase.
    if (buffer.size() == 0) {
      if (io.stopping) {
        break;
      }
      conn.idle = true;
      stream.expires_after(first ? options_.read_timeout : options_.idle_timeout);
      const size_t n = co_await stream.async_read_some(buffer.prepare(4096), Awaitable(ec));
      conn.idle = false;
      if (ec) {
        break;
      }
      buffer.commit(n);
    }
    first = false;

    // 2. Header (431 beyond max_header_bytes), then the body (413 beyond max_body_bytes).
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    // Beast refuses a declared length past the limit while reading the header, so the parser
    // takes the largest any route allows and the route's own limit is applied below.
    const size_t largest_limit = largest_body_limit_;
    parser.body_limit(largest_limit);
    stream.expires_after(options_.read_timeout);
    co_await bhttp::async_read_header(stream, buffer, parser, Awaitable(ec));
    const auto start = SteadyClock::now();
    size_t body_limit = options_.max_body_bytes;
    if (!ec && !parser.is_done() && largest_limit > body_limit) {
      // A route may take a larger body (file uploads); every other one keeps the server's limit.
      Request probe;
      probe.method = std::string(parser.get().method_string());
      if (probe.SetTarget(parser.get().target()).ok()) {
        const RouteMatch m = router_.Match(probe);
        if (m.route) body_limit = std::max(body_limit, m.route->options.max_body_bytes);
      }
      const auto length = parser.content_length();
      if (length && *length > body_limit) {
        ec = bhttp::error::body_limit;
      } else {
        parser.body_limit(body_limit);
      }
    }
    if (!ec && !parser.is_done()) {
      if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()),
                                   Awaitable(ec));
      }
      if (!ec) {
        co_await bhttp::async_read(stream, buffer, parser, Awaitable(ec));
      }
    }

    Response response;
    Request request;
    std::string_view route_name = "(rejected)";
    Metrics::RouteSlot slot = rejected_slot_;
    bool keep_alive = false;
    bool linger = false;
    if (ec) {
      if (ec == bhttp::error::header_limit) {
        response = Reject(ErrorCode::kHeadersTooLarge,
                          "The request line and headers exceed " +
                              std::to_string(options_.max_header_bytes) + " bytes.",
                          {});
      } else if (ec == bhttp::error::body_limit) {
        response = Reject(ErrorCode::kPayloadTooLarge,
                          "The request body exceeds " + std::to_string(body_limit) + " bytes.",
                          parser.is_header_done() ? parser.get().target() : std::string_view{});
      } else if (IsQuietDisconnect(ec)) {
        break;  // client went away, or too slow
      } else {
        response =
            Reject(ErrorCode::kInvalidArgument, "Malformed HTTP request: " + ec.message(), {});
      }
      linger = true;
      request.request_id = response.Header("X-Request-Id");
      request.method = parser.is_header_done() ? std::string(parser.get().method_string()) : "";
      request.target = parser.is_header_done() ? std::string(parser.get().target()) : "";
      request.remote_address = peer;
    } else {
      metrics_.AddInFlight(1);
      request = MakeRequest(parser.get(), peer);
      const RouteMatch match = router_.Match(request);
      response = co_await Execute(io, match, request);
      metrics_.AddInFlight(-1);
      route_name = match.Name();
      slot = match.route != nullptr ? route_slots_[match.route->id]
                                    : kind_slots_[static_cast<size_t>(match.kind)];
      ApplyStandardHeaders(response, request.request_id);
      keep_alive = parser.get().keep_alive() && !io.stopping;
    }

    // 3. Write the response.
    const bool head = request.method == "HEAD";
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(response.status),
                                            ec ? 11U : parser.get().version()};
    std::optional<size_t> explicit_length;
    if (!response.content_type.empty()) {
      out.set(bhttp::field::content_type, response.content_type);
    }
    for (auto& [name, value] : response.headers) {
      if (EqualsIgnoreCase(name, "Content-Length")) {
        explicit_length = static_cast<size_t>(std::strtoull(value.c_str(), nullptr, 10));
        continue;
      }
      out.insert(name, value);
    }
    const bool bodiless = response.status < 200 || response.status == 204 || response.status == 304;
    const size_t body_bytes = response.body.size();
    if (head || bodiless) {
      if (!bodiless) {
        out.content_length(explicit_length.value_or(body_bytes));
      }
    } else {
      out.body() = std::move(response.body);
      out.content_length(body_bytes);
    }
    out.keep_alive(keep_alive);
    stream.expires_after(options_.write_timeout);
    error_code write_ec;
    co_await bhttp::async_write(stream, out, Awaitable(write_ec));
    Finish(request, route_name, slot, response, head || bodiless ? 0 : body_bytes, start);
    if (write_ec) {
      break;
    }
    if (linger) {
      co_await LingerClose(stream, conn);
      co_return;
    }
    if (!keep_alive) {
      break;
    }
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.socket().close(ec);
}

Response HttpServer::Impl::Reject(ErrorCode code, std::string detail, std::string_view target) {
  Request request;
  if (!request.SetTarget(target).ok()) {
    request.path.clear();
  }
  request.request_id = GenerateRequestId();
  Response response = Response::Problem(MakeError(code, std::move(detail)), request);
  ApplyStandardHeaders(response, request.request_id);
  return response;
}

HttpServer::HttpServer(ServerOptions options, Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}
HttpServer::~HttpServer() = default;
Status HttpServer::Start() {
  return impl_->Start();
}
void HttpServer::Run() {
  impl_->Run();
}
void HttpServer::RequestStop() {
  impl_->RequestStop();
}
uint16_t HttpServer::port() const {
  return impl_->port();
}
Metrics& HttpServer::metrics() {
  return impl_->metrics();
}

}  // namespace huiyin::http
