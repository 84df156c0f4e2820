// The server over real loopback sockets (plain POSIX client, no Beast here). Every wait is bounded.
#include "huiyin/http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <latch>
#include <map>
#include <stdexcept>
#include <thread>

namespace huiyin::http {
namespace {

using namespace std::chrono_literals;

// A blocking loopback client socket with a receive timeout.
class Client {
 public:
  explicit Client(uint16_t port, std::chrono::milliseconds timeout = 3s) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{static_cast<time_t>(timeout.count() / 1000),
               static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool Connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        return false;
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  struct Reply {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string Header(const std::string& name) const {
      auto it = headers.find(name);
      return it == headers.end() ? "" : it->second;
    }
  };

  // Reads one response (Content-Length bodies only; HEAD responses have none). Status 0 when the
  // connection closed or timed out first.
  Reply Read(bool head = false) {
    Reply reply;
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) {
        return reply;
      }
    }
    const std::string head_text = buffer_.substr(0, header_end);
    buffer_.erase(0, header_end + 4);
    size_t line_end = head_text.find("\r\n");
    const std::string status_line = head_text.substr(0, line_end);
    reply.status = std::stoi(status_line.substr(9, 3));
    while (line_end != std::string::npos) {
      const size_t next = head_text.find("\r\n", line_end + 2);
      const std::string line = head_text.substr(line_end + 2, next - line_end - 2);
      const size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (char& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      reply.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
      line_end = next;
    }
    const size_t length =
        head || reply.status == 100 ? 0 : std::stoul("0" + reply.Header("content-length"));
    while (buffer_.size() < length) {
      if (!Fill()) {
        return Reply{};
      }
    }
    reply.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return reply;
  }

  // True when the server closed the connection (EOF or reset) within the receive timeout.
  bool ClosedByPeer() {
    char c;
    const ssize_t n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
  }

 private:
  bool Fill() {
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      return false;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

std::string Get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra_headers) +
         "\r\n";
}

// Runs an HttpServer on 127.0.0.1:<ephemeral> in a thread for one test.
class RunningServer {
 public:
  RunningServer(Router& router, ServerOptions options) {
    options.port = 0;
    options.access_log = false;
    if (options.io_threads == 0) {
      options.io_threads = 2;
    }
    if (options.worker_threads == 0) {
      options.worker_threads = 2;
    }
    server_ = std::make_unique<HttpServer>(options, router);
    Status st = server_->Start();
    if (!st.ok()) {
      throw std::runtime_error(st.error().detail);
    }
    thread_ = std::thread([this] {
      server_->Run();
      finished_ = true;
    });
  }
  ~RunningServer() {
    server_->RequestStop();
    if (thread_.joinable()) {
      thread_.join();
    }
  }
  HttpServer& Server() { return *server_; }
  uint16_t Port() const { return server_->port(); }
  // Waits (bounded) for Run() to return.
  bool WaitFinished(std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!finished_ && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(5ms);
    }
    return finished_;
  }

 private:
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::atomic<bool> finished_{false};
};

template <typename Pred>
bool Eventually(Pred pred, std::chrono::milliseconds limit = 2s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) {
      return true;
    }
    std::this_thread::sleep_for(5ms);
  }
  return pred();
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    router_.Add("GET", "/healthz", [](Request&) { return Response::Text(200, "ok"); },
                {.run_inline = true});
    router_.Add("GET", "/api/v1/hello",
                [](Request&) { return Response::Json(200, R"({"hello":"回音"})"); });
    router_.Add("POST", "/api/v1/echo", [](Request& r) { return Response::Text(200, r.body); });
    router_.Add("GET", "/api/v1/boom",
                [](Request&) -> Response { throw std::runtime_error("secret detail"); });
  }
  Router router_;
};

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  RunningServer s(router_, {});
  Client c(s.Port());
  ASSERT_TRUE(c.Connected());
  ASSERT_TRUE(c.Send(Get("/healthz")));
  Client::Reply first = c.Read();
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "ok");
  ASSERT_TRUE(c.Send(Get("/api/v1/hello")));
  Client::Reply second = c.Read();
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, R"({"hello":"回音"})");
  EXPECT_EQ(second.Header("content-type"), "application/json");
  // Pipelined requests are answered in order.
  ASSERT_TRUE(c.Send(Get("/healthz") + Get("/api/v1/hello")));
  EXPECT_EQ(c.Read().body, "ok");
  EXPECT_EQ(c.Read().status, 200);
  // Recorded once the response is written, so possibly just after the client read it.
  EXPECT_TRUE(Eventually(
      [&] { return s.Server().metrics().RequestCount("GET /api/v1/hello", 200) == 2U; }));
}

TEST_F(ServerTest, EveryResponseHasRequestIdAndSecurityHeaders) {
  RunningServer s(router_, {});
  Client c(s.Port());
  ASSERT_TRUE(c.Send(Get("/healthz", "X-Request-Id: trace-42.a_b\r\n")));
  Client::Reply r = c.Read();
  EXPECT_EQ(r.Header("x-request-id"), "trace-42.a_b");
  EXPECT_EQ(r.Header("content-security-policy"),
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "frame-ancestors 'none'");
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.Header("referrer-policy"), "same-origin");
  EXPECT_EQ(r.Header("x-frame-options"), "DENY");
  EXPECT_EQ(r.Header("server"), "huiyin");
  // An unsafe incoming id is replaced by a generated one.
  ASSERT_TRUE(c.Send(Get("/api/v1/nowhere", "X-Request-Id: <script>\r\n")));
  Client::Reply gen = c.Read();
  EXPECT_EQ(gen.status, 404);
  EXPECT_EQ(gen.Header("x-request-id").size(), 16U);
  EXPECT_NE(gen.body.find("\"request_id\":\"" + gen.Header("x-request-id") + "\""),
            std::string::npos);
  EXPECT_EQ(gen.Header("x-frame-options"), "DENY");
}

TEST_F(ServerTest, NotFoundMethodNotAllowedHeadAndErrors) {
  RunningServer s(router_, {});
  Client c(s.Port());
  ASSERT_TRUE(c.Send(Get("/nope")));
  Client::Reply nf = c.Read();
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(nf.Header("content-type"), "application/problem+json");
  ASSERT_TRUE(c.Send("DELETE /api/v1/hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  Client::Reply na = c.Read();
  EXPECT_EQ(na.status, 405);
  EXPECT_EQ(na.Header("allow"), "GET, HEAD, OPTIONS");
  ASSERT_TRUE(c.Send("HEAD /api/v1/hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  Client::Reply head = c.Read(/*head=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"),
            std::to_string(std::string(R"({"hello":"回音"})").size()));
  ASSERT_TRUE(c.Send(Get("/api/v1/boom")));
  Client::Reply boom = c.Read();
  EXPECT_EQ(boom.status, 500);
  EXPECT_EQ(boom.body.find("secret detail"), std::string::npos);
  // The connection survived all of that.
  ASSERT_TRUE(c.Send(Get("/healthz")));
  EXPECT_EQ(c.Read().status, 200);
}

TEST_F(ServerTest, BodyWithinLimitIsEchoedAndExpectContinueWorks) {
  RunningServer s(router_, {});
  Client c(s.Port());
  ASSERT_TRUE(c.Send("POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"));
  EXPECT_EQ(c.Read().body, "hello");
  ASSERT_TRUE(
      c.Send("POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
             "Content-Length: 3\r\n\r\n"));
  EXPECT_EQ(c.Read().status, 100);
  ASSERT_TRUE(c.Send("abc"));
  EXPECT_EQ(c.Read().body, "abc");
}

TEST_F(ServerTest, OversizeBodyWithContentLengthIs413) {
  ServerOptions o;
  o.max_body_bytes = 1024;
  RunningServer s(router_, o);
  Client c(s.Port());
  ASSERT_TRUE(c.Send("POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n" +
                     std::string(100, 'x')));
  Client::Reply r = c.Read();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  EXPECT_NE(r.body.find("\"code\":\"payload_too_large\""), std::string::npos);
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(c.ClosedByPeer());
}

TEST_F(ServerTest, OversizeChunkedBodyIs413) {
  ServerOptions o;
  o.max_body_bytes = 1024;
  RunningServer s(router_, o);
  Client c(s.Port());
  std::string req = "POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) {
    req += "400\r\n" + std::string(1024, 'y') + "\r\n";
  }
  req += "0\r\n\r\n";
  ASSERT_TRUE(c.Send(req));
  Client::Reply r = c.Read();
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("payload_too_large"), std::string::npos);
}

TEST_F(ServerTest, OversizeHeadersAre431) {
  ServerOptions o;
  o.max_header_bytes = 4096;
  RunningServer s(router_, o);
  Client c(s.Port());
  ASSERT_TRUE(c.Send(Get("/healthz", "X-Big: " + std::string(8000, 'h') + "\r\n")));
  Client::Reply r = c.Read();
  EXPECT_EQ(r.status, 431);
  EXPECT_NE(r.body.find("headers_too_large"), std::string::npos);
  // A request just under the limit is fine.
  Client ok(s.Port());
  ASSERT_TRUE(ok.Send(Get("/healthz", "X-Big: " + std::string(3000, 'h') + "\r\n")));
  EXPECT_EQ(ok.Read().status, 200);
}

TEST_F(ServerTest, FullWorkerQueueAnswers503WithRetryAfter) {
  std::latch release(1);
  std::atomic<int> started{0};
  router_.Add("GET", "/api/v1/block", [&](Request&) {
    ++started;
    release.wait();
    return Response::Text(200, "done");
  });
  ServerOptions o;
  o.worker_threads = 1;
  o.worker_queue_limit = 1;
  RunningServer s(router_, o);
  Client running(s.Port());
  Client queued(s.Port());
  Client rejected(s.Port());
  ASSERT_TRUE(running.Send(Get("/api/v1/block")));
  ASSERT_TRUE(Eventually([&] { return started.load() == 1; }));
  ASSERT_TRUE(queued.Send(Get("/api/v1/block")));
  ASSERT_TRUE(Eventually([&] {
    return s.Server().metrics().RenderPrometheus().find("huiyin_http_worker_queue_depth 1\n") !=
           std::string::npos;
  }));
  ASSERT_TRUE(rejected.Send(Get("/api/v1/block")));
  Client::Reply busy = rejected.Read();
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.Header("retry-after"), "1");
  EXPECT_NE(busy.body.find("\"code\":\"unavailable\""), std::string::npos);
  // Inline routes still answer while the pool is saturated.
  ASSERT_TRUE(rejected.Send(Get("/healthz")));
  EXPECT_EQ(rejected.Read().status, 200);
  release.count_down();
  EXPECT_EQ(running.Read().body, "done");
  EXPECT_EQ(queued.Read().body, "done");
  EXPECT_TRUE(Eventually(
      [&] { return s.Server().metrics().RequestCount("GET /api/v1/block", 503) == 1U; }));
}

TEST_F(ServerTest, GracefulStopFinishesInFlightAndRefusesNewConnections) {
  std::latch release(1);
  std::atomic<bool> started{false};
  router_.Add("GET", "/api/v1/slow", [&](Request&) {
    started = true;
    release.wait();
    return Response::Text(200, "finished");
  });
  RunningServer s(router_, {});
  Client idle(s.Port());
  ASSERT_TRUE(idle.Send(Get("/healthz")));
  ASSERT_EQ(idle.Read().status, 200);  // now an idle keep-alive connection
  Client busy(s.Port());
  ASSERT_TRUE(busy.Send(Get("/api/v1/slow")));
  ASSERT_TRUE(Eventually([&] { return started.load(); }));

  s.Server().RequestStop();
  EXPECT_TRUE(idle.ClosedByPeer());  // idle keep-alive connections are closed at once
  EXPECT_TRUE(Eventually([&] { return !Client(s.Port(), 200ms).Connected(); }));
  EXPECT_FALSE(s.WaitFinished(50ms));  // still draining the in-flight request

  release.count_down();
  Client::Reply r = busy.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "finished");
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(s.WaitFinished(2s));
}

TEST_F(ServerTest, GracePeriodBoundsTheDrain) {
  std::latch release(1);
  std::atomic<bool> started{false};
  router_.Add("GET", "/api/v1/stuck", [&](Request&) {
    started = true;
    release.wait();
    return Response::Text(200, "too late");
  });
  ServerOptions o;
  o.shutdown_grace = 100ms;
  auto s = std::make_unique<RunningServer>(router_, o);
  Client c(s->Port());
  ASSERT_TRUE(c.Send(Get("/api/v1/stuck")));
  ASSERT_TRUE(Eventually([&] { return started.load(); }));
  const auto t0 = std::chrono::steady_clock::now();
  s->Server().RequestStop();
  EXPECT_TRUE(c.ClosedByPeer());  // force-closed when the grace period ran out
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  release.count_down();  // the worker finishes; its completion is discarded safely
  EXPECT_TRUE(s->WaitFinished(2s));
  s.reset();
}

TEST_F(ServerTest, IdleKeepAliveConnectionsTimeOut) {
  ServerOptions o;
  o.idle_timeout = 200ms;
  RunningServer s(router_, o);
  Client c(s.Port());
  ASSERT_TRUE(c.Send(Get("/healthz")));
  ASSERT_EQ(c.Read().status, 200);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.ClosedByPeer());
  const auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(waited, 150ms);
  EXPECT_LT(waited, 2s);
}

TEST_F(ServerTest, BusyPortIsAClearError) {
  RunningServer s(router_, {});
  ServerOptions o;
  o.port = s.Port();
  o.io_threads = 1;
  o.worker_threads = 1;
  HttpServer second(o, router_);
  Status st = second.Start();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(st.error().detail.find(std::to_string(s.Port())), std::string::npos)
      << st.error().detail;
}

TEST_F(ServerTest, MalformedRequestIs400) {
  RunningServer s(router_, {});
  Client c(s.Port());
  ASSERT_TRUE(c.Send("THIS IS NOT HTTP\r\n\r\n"));
  EXPECT_EQ(c.Read().status, 400);
  Client bad_path(s.Port());
  ASSERT_TRUE(bad_path.Send(Get("/api/v1/%zz")));
  EXPECT_EQ(bad_path.Read().status, 400);
}

}  // namespace
}  // namespace huiyin::http
