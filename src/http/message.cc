#include "huiyin/http/message.h"

#include <algorithm>
#include <cstdio>

#include "http/http_util.h"

namespace huiyin::http {
namespace {

std::string_view FindHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) {
      return v;
    }
  }
  return {};
}

bool ContainsHeader(const HeaderList& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string DecodeQueryPart(std::string_view raw) {
  auto decoded = PercentDecode(raw, /*plus_as_space=*/true);
  return decoded ? std::move(*decoded) : std::string(raw);
}

// Calls fn(decoded_value) for each `name=value` pair of the query whose decoded key is `name`;
// stops when fn returns false.
template <typename Fn>
void ForEachQueryValue(std::string_view query, std::string_view name, Fn&& fn) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    const size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    const bool plain_key = key.find_first_of("%+") == std::string_view::npos;
    if (plain_key ? key != name : DecodeQueryPart(key) != name) {
      continue;
    }
    if (!fn(DecodeQueryPart(value))) {
      return;
    }
  }
}

}  // namespace

Request Request::Make(std::string method, std::string_view target, std::string body) {
  Request r;
  r.method = std::move(method);
  r.body = std::move(body);
  if (!r.SetTarget(target).ok()) {
    r.target = std::string(target);
    r.path.clear();
  }
  return r;
}

Status Request::SetTarget(std::string_view raw_target) {
  if (raw_target.empty() || raw_target.front() != '/') {
    return MakeError(ErrorCode::kInvalidArgument, "The request target must be an absolute path.");
  }
  const size_t q = raw_target.find('?');
  std::string_view raw_path = raw_target.substr(0, q);
  auto decoded = PercentDecode(raw_path, /*plus_as_space=*/false);
  if (!decoded) {
    return MakeError(ErrorCode::kInvalidArgument, "The request path has a malformed %-escape.");
  }
  if (decoded->find('\0') != std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "The request path contains a NUL character.");
  }
  target = std::string(raw_target);
  path = std::move(*decoded);
  query = q == std::string_view::npos ? std::string() : std::string(raw_target.substr(q + 1));
  return Status::Ok();
}

std::string_view Request::Header(std::string_view name) const {
  return FindHeader(headers, name);
}

bool Request::HasHeader(std::string_view name) const {
  return ContainsHeader(headers, name);
}

std::string_view Request::Param(std::string_view name) const {
  for (const auto& [n, v] : params) {
    if (n == name) {
      return v;
    }
  }
  return {};
}

std::optional<std::string> Request::QueryParam(std::string_view name) const {
  std::optional<std::string> result;
  ForEachQueryValue(query, name, [&](std::string value) {
    result = std::move(value);
    return false;
  });
  return result;
}

std::vector<std::string> Request::QueryParams(std::string_view name) const {
  std::vector<std::string> values;
  ForEachQueryValue(query, name, [&](std::string value) {
    values.push_back(std::move(value));
    return true;
  });
  return values;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (!EqualsIgnoreCase(n, "Cookie")) {
      continue;
    }
    std::string_view rest = v;
    while (!rest.empty()) {
      const size_t semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      const size_t eq = pair.find('=');
      if (eq == std::string_view::npos || Trim(pair.substr(0, eq)) != name) {
        continue;
      }
      std::string_view value = Trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
  }
  return std::nullopt;
}

void Response::SetHeader(std::string_view name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
  headers.emplace_back(std::string(name), std::move(value));
}

void Response::AddHeader(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
}

std::string_view Response::Header(std::string_view name) const {
  return FindHeader(headers, name);
}

bool Response::HasHeader(std::string_view name) const {
  return ContainsHeader(headers, name);
}

Response Response::Json(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

Response Response::Text(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

Response Response::Empty(int status) {
  Response r;
  r.status = status;
  return r;
}

Response Response::Problem(const Error& error, const Request& request) {
  const std::string_view slug = ErrorCodeSlug(error.code);
  const int status = ErrorCodeHttpStatus(error.code);
  std::string body;
  body.reserve(256 + error.detail.size());
  body += "{\"type\":\"urn:huiyin:problem:";
  body += slug;
  body += "\",\"title\":";
  AppendJsonString(body, ErrorCodeTitle(error.code));
  body += ",\"status\":";
  body += std::to_string(status);
  if (!error.detail.empty()) {
    body += ",\"detail\":";
    AppendJsonString(body, error.detail);
  }
  body += ",\"code\":\"";
  body += slug;
  body += '"';
  if (!error.fields.empty()) {
    body += ",\"errors\":[";
    for (size_t i = 0; i < error.fields.size(); ++i) {
      if (i > 0) {
        body += ',';
      }
      body += "{\"field\":";
      AppendJsonString(body, error.fields[i].field);
      body += ",\"message\":";
      AppendJsonString(body, error.fields[i].message);
      body += '}';
    }
    body += ']';
  }
  body += ",\"instance\":";
  AppendJsonString(body, request.path);
  body += ",\"request_id\":";
  AppendJsonString(body, request.request_id);
  body += '}';
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = std::move(body);
  // Unavailable (busy, the database away or full) is temporary: say when to come back.
  if (status == 503) r.SetHeader("Retry-After", "2");
  return r;
}

std::string_view StatusReason(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 423:
      return "Locked";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

}  // namespace huiyin::http
