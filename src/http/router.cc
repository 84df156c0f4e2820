#include "huiyin/http/router.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <exception>
#include <stdexcept>

#include "http/http_util.h"

namespace huiyin::http {

struct Router::Node {
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
  std::unique_ptr<Node> param;     // {name}: one non-empty segment
  std::unique_ptr<Node> wildcard;  // *name: the rest of the path (terminal)
  std::vector<std::pair<std::string, Route*>> methods;

  Node* Literal(std::string_view segment) const {
    for (const auto& [text, child] : literals) {
      if (text == segment) {
        return child.get();
      }
    }
    return nullptr;
  }
};

namespace {

constexpr std::array<std::string_view, 9> kMethodOrder = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"};

std::vector<std::string_view> SplitSegments(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path == "/") {
    return segments;
  }
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      break;
    }
    path.remove_prefix(slash + 1);
  }
  return segments;
}

struct Candidate {
  const void* node;
  std::vector<std::string> values;  // positional param values (wildcard last)
};

}  // namespace

std::string_view RouteMatch::Name() const {
  switch (kind) {
    case Kind::kFound:
    case Kind::kFallback:
      return route->Name();
    case Kind::kNotFound:
      return "(not_found)";
    case Kind::kMethodNotAllowed:
      return "(method_not_allowed)";
    case Kind::kOptions:
      return "(options)";
    case Kind::kBadTarget:
      return "(bad_target)";
  }
  return "(unknown)";
}

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

const Route& Router::Add(std::string method, std::string pattern, Handler handler,
                         RouteOptions options) {
  if (method.empty() || pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  if (!handler) {
    throw std::invalid_argument("route without handler: " + pattern);
  }
  Node* node = root_.get();
  const std::vector<std::string_view> segments = SplitSegments(pattern);
  std::vector<std::string> names;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string_view seg = segments[i];
    if (seg.size() >= 3 && seg.front() == '{' && seg.back() == '}') {
      names.emplace_back(seg.substr(1, seg.size() - 2));
      if (!node->param) {
        node->param = std::make_unique<Node>();
      }
      node = node->param.get();
    } else if (!seg.empty() && seg.front() == '*') {
      if (i + 1 != segments.size() || seg.size() < 2) {
        throw std::invalid_argument("wildcard must be the last segment and named: " + pattern);
      }
      names.emplace_back(seg.substr(1));
      if (!node->wildcard) {
        node->wildcard = std::make_unique<Node>();
      }
      node = node->wildcard.get();
    } else {
      if (seg.find_first_of("{}*") != std::string_view::npos) {
        throw std::invalid_argument("malformed route segment '" + std::string(seg) + "' in " +
                                    pattern);
      }
      Node* child = node->Literal(seg);
      if (child == nullptr) {
        node->literals.emplace_back(std::string(seg), std::make_unique<Node>());
        child = node->literals.back().second.get();
      }
      node = child;
    }
  }
  for (const auto& [m, r] : node->methods) {
    if (m == method) {
      std::string what = "duplicate route: ";
      what.append(method).append(" ").append(pattern);
      throw std::invalid_argument(what);
    }
  }
  if (options.name.empty()) {
    options.name = method + " " + pattern;
  }
  auto route = std::make_unique<Route>();
  route->method = std::move(method);
  route->pattern = std::move(pattern);
  route->handler = std::move(handler);
  route->options = std::move(options);
  route->id = routes_.size();
  route->param_names = std::move(names);
  node->methods.emplace_back(route->method, route.get());
  routes_.push_back(std::move(route));
  return *routes_.back();
}

void Router::SetBefore(BeforeHook hook) {
  before_ = std::move(hook);
}

void Router::SetFallback(Handler handler, RouteOptions options) {
  if (options.name.empty()) {
    options.name = "fallback";
  }
  if (fallback_ == nullptr) {
    auto route = std::make_unique<Route>();
    route->method = "*";
    route->pattern = "/*";
    route->id = routes_.size();
    fallback_ = route.get();
    routes_.push_back(std::move(route));
  }
  fallback_->handler = std::move(handler);
  fallback_->options = std::move(options);
}

const Route* Router::FindInNode(const Node& node, std::string_view method) const {
  for (const auto& [m, r] : node.methods) {
    if (m == method) {
      return r;
    }
  }
  return nullptr;
}

RouteMatch Router::Match(Request& request) const {
  RouteMatch match;
  request.params.clear();
  request.route = nullptr;
  std::string_view raw_path =
      request.target.empty() ? std::string_view(request.path) : std::string_view(request.target);
  raw_path = raw_path.substr(0, raw_path.find('?'));
  if (raw_path.empty() || raw_path.front() != '/' || request.path.empty()) {
    match.kind = RouteMatch::Kind::kBadTarget;
    return match;
  }
  std::vector<std::string> segments;
  for (std::string_view raw : SplitSegments(raw_path)) {
    auto decoded = PercentDecode(raw, /*plus_as_space=*/false);
    if (!decoded) {
      match.kind = RouteMatch::Kind::kBadTarget;
      return match;
    }
    segments.push_back(std::move(*decoded));
  }

  // Depth-first in priority order: literal, then {param}, then *wildcard.
  std::vector<Candidate> candidates;
  std::vector<std::string> values;
  auto collect = [&](auto& self, const Node& node, size_t i) -> void {
    if (i == segments.size() && !node.methods.empty()) {
      candidates.push_back({&node, values});
    }
    if (i < segments.size()) {
      if (const Node* lit = node.Literal(segments[i])) {
        self(self, *lit, i + 1);
      }
      if (node.param && !segments[i].empty()) {
        values.push_back(segments[i]);
        self(self, *node.param, i + 1);
        values.pop_back();
      }
    }
    if (node.wildcard && !node.wildcard->methods.empty()) {
      std::string rest;
      for (size_t k = i; k < segments.size(); ++k) {
        if (k > i) {
          rest.push_back('/');
        }
        rest += segments[k];
      }
      values.push_back(std::move(rest));
      candidates.push_back({node.wildcard.get(), values});
      values.pop_back();
    }
  };
  collect(collect, *root_, 0);

  if (candidates.empty()) {
    if (fallback_ != nullptr) {
      match.kind = RouteMatch::Kind::kFallback;
      match.route = fallback_;
      request.route = fallback_;
    }
    return match;  // kNotFound otherwise
  }

  const std::string_view method = request.method;
  for (Candidate& c : candidates) {
    const Node& node = *static_cast<const Node*>(c.node);
    const Route* route = FindInNode(node, method);
    if (route == nullptr && method == "HEAD") {
      route = FindInNode(node, "GET");
    }
    if (route == nullptr) {
      continue;
    }
    match.kind = RouteMatch::Kind::kFound;
    match.route = route;
    request.route = route;
    for (size_t k = 0; k < c.values.size() && k < route->param_names.size(); ++k) {
      request.params.emplace_back(route->param_names[k], std::move(c.values[k]));
    }
    return match;
  }

  // The path exists but not for this method: list what is allowed.
  std::vector<std::string_view> allowed;
  for (const Candidate& c : candidates) {
    for (const auto& [m, r] : static_cast<const Node*>(c.node)->methods) {
      allowed.push_back(m);
      if (m == "GET") {
        allowed.emplace_back("HEAD");
      }
    }
  }
  allowed.emplace_back("OPTIONS");
  auto rank = [](std::string_view m) {
    auto it = std::find(kMethodOrder.begin(), kMethodOrder.end(), m);
    return std::pair(it - kMethodOrder.begin(), m);
  };
  std::sort(allowed.begin(), allowed.end(),
            [&](std::string_view a, std::string_view b) { return rank(a) < rank(b); });
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  for (std::string_view m : allowed) {
    if (!match.allow.empty()) {
      match.allow += ", ";
    }
    match.allow += m;
  }
  match.kind =
      method == "OPTIONS" ? RouteMatch::Kind::kOptions : RouteMatch::Kind::kMethodNotAllowed;
  return match;
}

Response Router::Dispatch(const RouteMatch& match, Request& request) const {
  Response response;
  switch (match.kind) {
    case RouteMatch::Kind::kBadTarget:
      return Response::Problem(
          MakeError(ErrorCode::kInvalidArgument, "The request path is malformed."), request);
    case RouteMatch::Kind::kNotFound:
      return Response::Problem(MakeError(ErrorCode::kNotFound, "No resource exists at this path."),
                               request);
    case RouteMatch::Kind::kMethodNotAllowed:
      response =
          Response::Problem(MakeError(ErrorCode::kMethodNotAllowed,
                                      "Method " + request.method +
                                          " is not allowed here; allowed: " + match.allow + "."),
                            request);
      response.SetHeader("Allow", match.allow);
      return response;
    case RouteMatch::Kind::kOptions:
      response = Response::Empty(204);
      response.SetHeader("Allow", match.allow);
      return response;
    case RouteMatch::Kind::kFound:
    case RouteMatch::Kind::kFallback:
      break;
  }
  const Route& route = *match.route;
  try {
    std::optional<Response> early;
    if (before_) {
      early = before_(request, route);
    }
    response = early ? std::move(*early) : route.handler(request);
  } catch (const std::exception& e) {
    spdlog::error("handler '{}' failed for request {}: {}", route.Name(), request.request_id,
                  e.what());
    response = Response::Problem(
        MakeError(ErrorCode::kInternal,
                  "The server could not complete the request; the failure was logged under this "
                  "request id."),
        request);
  } catch (...) {
    spdlog::error("handler '{}' failed for request {}: unknown exception", route.Name(),
                  request.request_id);
    response = Response::Problem(
        MakeError(ErrorCode::kInternal,
                  "The server could not complete the request; the failure was logged under this "
                  "request id."),
        request);
  }
  if (request.method == "HEAD") {
    if (!response.body.empty() && !response.HasHeader("Content-Length")) {
      response.SetHeader("Content-Length", std::to_string(response.body.size()));
    }
    response.body.clear();
  }
  return response;
}

Response Router::Handle(Request& request) const {
  const RouteMatch match = Match(request);
  return Dispatch(match, request);
}

size_t Router::RouteCount() const {
  return routes_.size();
}

void Router::ForEachRoute(const std::function<void(const Route&)>& fn) const {
  for (const auto& r : routes_) {
    if (r.get() != fallback_) {
      fn(*r);
    }
  }
  if (fallback_ != nullptr) {
    fn(*fallback_);
  }
}

}  // namespace huiyin::http
