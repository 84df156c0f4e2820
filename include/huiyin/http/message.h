// Plain HTTP request and response values shared by the router, the handlers and the server. No
// Beast, Asio or JSON library here: this header is included by every handler. A Request or Response
// is a value owned by one request at a time; none of their members is thread-safe.
#pragma once

#include <any>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "huiyin/common/result.h"

namespace huiyin::http {

struct Route;

// Ordered (name, value) pairs; names compare case-insensitively on lookup.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// One parsed request. The server fills it; the router adds `params` and `route`; a before hook may
// put per-request data (e.g. the authenticated principal) into `context`.
struct Request {
  std::string method;          // as received, e.g. "GET" (methods are case-sensitive)
  std::string target;          // raw request-target, e.g. "/api/v1/cases?state=open%20now"
  std::string path;            // percent-decoded path without the query, e.g. "/api/v1/cases"
  std::string query;           // raw query after '?', not decoded
  HeaderList headers;          // in arrival order
  std::string body;            // complete body (bounded by ServerOptions::max_body_bytes)
  std::string remote_address;  // peer IP (or the proxy-supplied client IP when trusted)
  std::string request_id;      // sane incoming X-Request-Id or a generated one
  std::vector<std::pair<std::string, std::string>> params;  // decoded path params (router)
  const Route* route = nullptr;  // matched route, set by Router::Match; null when none matched
  std::any context;              // free slot for hooks and handlers; the HTTP layer never reads it

  // A request for `method` and `target` with path and query filled in; for tests and benches.
  // An invalid target leaves `path` empty (the router then answers 400).
  static Request Make(std::string method, std::string_view target, std::string body = {});

  // Sets target, path and query from a raw request-target ("/p/a%20th?x=1"). Fails with
  // invalid_argument on a bad percent-escape, an encoded NUL or a target not starting with '/'.
  Status SetTarget(std::string_view raw_target);

  // First value of header `name` (case-insensitive), or "" when absent.
  std::string_view Header(std::string_view name) const;
  // True when header `name` is present (even if empty).
  bool HasHeader(std::string_view name) const;
  // Decoded value of the router-filled path parameter `name` ("" when absent).
  std::string_view Param(std::string_view name) const;
  // First decoded value of query key `name` ('+' is a space), nullopt when absent.
  std::optional<std::string> QueryParam(std::string_view name) const;
  // All decoded values of a repeated query key, in order ("?s=a&s=b" → {"a", "b"}).
  std::vector<std::string> QueryParams(std::string_view name) const;
  // Value of cookie `name` from the Cookie header(s), nullopt when absent.
  std::optional<std::string> Cookie(std::string_view name) const;
};

// One response. `content_type` is written as the Content-Type header when non-empty.
struct Response {
  int status = 200;
  std::string content_type;
  HeaderList headers;  // extra headers; Content-Length is computed by the server
  std::string body;

  // Replaces every header `name` (case-insensitive) with one `name: value`.
  void SetHeader(std::string_view name, std::string value);
  // Appends a header even if one of that name exists (e.g. Set-Cookie).
  void AddHeader(std::string name, std::string value);
  // First value of header `name` (case-insensitive), or "" when absent.
  std::string_view Header(std::string_view name) const;
  // True when header `name` is present.
  bool HasHeader(std::string_view name) const;

  // `body` must already be serialised JSON; content type application/json.
  static Response Json(int status, std::string body);
  // text/plain; charset=utf-8.
  static Response Text(int status, std::string body);
  // Status only, empty body (e.g. 204, 304).
  static Response Empty(int status);
  // The one renderer of errors: RFC 9457 application/problem+json with type, title, status,
  // detail, code, errors (when present), instance (request path) and request_id. The status comes
  // from error_codes.def.
  static Response Problem(const Error& error, const Request& request);
};

// Reason phrase for an HTTP status ("Not Found"), "" for unknown codes.
std::string_view StatusReason(int status);

}  // namespace huiyin::http
