// Socket-free routing: patterns with {params} and a trailing /*wildcard, 404/405 problems, HEAD by
// GET handlers, OPTIONS with Allow, a before hook for per-route checks, and a fallback for paths no
// route knows. Unit tests call Router::Handle directly; the server calls Match then Dispatch.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huiyin/http/message.h"

namespace huiyin::http {

// A request handler: reads the request, returns the response. Expected failures are returned as
// Response::Problem(error, request); an exception becomes a logged 500 whose detail is never sent.
using Handler = std::function<Response(Request&)>;

struct RouteOptions {
  // Stable name for metrics and the access log; defaults to "<METHOD> <pattern>".
  std::string name;
  // Run on the network thread: only for cheap, non-blocking handlers (/healthz, /metrics).
  bool run_inline = false;
  // Opaque to the HTTP layer: the before hook reads it (e.g. "public", "session",
  // "case:case:read").
  std::string access;
  // The largest request body this route takes (e.g. file uploads); 0: the server's limit.
  size_t max_body_bytes = 0;
};

// A registered route. Owned by the Router; addresses are stable for the router's lifetime.
struct Route {
  std::string method;   // "GET", "POST", ... ("*" for the fallback)
  std::string pattern;  // "/api/v1/cases/{number}"
  Handler handler;
  RouteOptions options;                  // options.name is always filled in
  size_t id = 0;                         // dense 0..RouteCount()-1, for per-route tables (metrics)
  std::vector<std::string> param_names;  // names of the {params} and *wildcard, in order

  const std::string& Name() const { return options.name; }
};

// Result of matching a request against the table (no handler has run yet).
struct RouteMatch {
  enum class Kind { kFound, kFallback, kNotFound, kMethodNotAllowed, kOptions, kBadTarget };
  Kind kind = Kind::kNotFound;
  const Route* route = nullptr;  // set for kFound and kFallback
  std::string allow;             // "GET, HEAD, POST" for kMethodNotAllowed and kOptions

  // Whether the server may run this on the network thread (inline routes and generated answers).
  bool RunsInline() const { return route == nullptr || route->options.run_inline; }
  // Route name for metrics/logs: the route's name or "(not_found)", "(method_not_allowed)", ...
  std::string_view Name() const;
};

// Runs before the handler on the handler's thread; returning a Response short-circuits (e.g. a 401
// problem). It may fill Request::context.
using BeforeHook = std::function<std::optional<Response>(Request&, const Route&)>;

// Not thread-safe while being built; after the server starts (or once tests stop adding) it is
// read-only and Match/Dispatch/Handle may be called from any number of threads.
class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Registers `handler` for `method` and `pattern` ("/a/{id}/b", "/files/*rest"). Segments are
  // literal, {name} (one non-empty segment) or, last only, *name (the rest, possibly empty).
  // Throws std::invalid_argument on a malformed pattern or a duplicate method+pattern (a bug).
  const Route& Add(std::string method, std::string pattern, Handler handler,
                   RouteOptions options = {});

  // Hook run before every route handler and the fallback (not for generated 404/405/OPTIONS).
  void SetBefore(BeforeHook hook);
  // Handler for requests whose path matches no route (any method), e.g. the web SPA; without one
  // such requests get a 404 problem.
  void SetFallback(Handler handler, RouteOptions options = {});

  // Finds the route for `request` and fills request.params and request.route. Exact segments beat
  // {params}, which beat wildcards; among routes matching the path, the first with the method wins.
  RouteMatch Match(Request& request) const;
  // Produces the response for a match: hook + handler (HEAD via GET without body), or a generated
  // 404/405/OPTIONS/400 answer. Never throws: exceptions become 500 problems (logged).
  Response Dispatch(const RouteMatch& match, Request& request) const;
  // Match + Dispatch: the whole socket-free request path.
  Response Handle(Request& request) const;

  // Number of routes including the fallback (ids are below this).
  size_t RouteCount() const;
  // Calls `fn` for every route, fallback last; used by the server to size per-route tables.
  void ForEachRoute(const std::function<void(const Route&)>& fn) const;

 private:
  struct Node;
  const Route* FindInNode(const Node& node, std::string_view method) const;

  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;  // includes the fallback
  Route* fallback_ = nullptr;
  BeforeHook before_;
};

}  // namespace huiyin::http
