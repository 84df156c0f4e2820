// JSON forms of the app layer's values, shared by the handler files.
#pragma once

#include <nlohmann/json.hpp>

#include "huiyin/app/accounts.h"
#include "huiyin/app/orgs.h"

namespace huiyin::api {

nlohmann::json PrincipalJson(const app::Principal& p);
nlohmann::json GrantsJson(const std::vector<app::Grant>& grants);
nlohmann::json UserJson(const app::UserView& u);
nlohmann::json OrgJson(const app::Org& o);

// The version a write is based on: the body's "version", the ?version= query, or If-Match ("7"
// or 7); nullopt when none was sent. kInvalidArgument naming where a bad one came from.
Result<std::optional<int64_t>> VersionOf(const http::Request& req, const nlohmann::json* body);

// Reads an integer query parameter: `fallback` when absent or empty, kInvalidArgument naming it
// when it is not a whole number.
Result<int> IntQuery(const http::Request& req, std::string_view name, int fallback);

// Reads an integer path parameter; kNotFound when it is not a number (an id that cannot exist).
Result<int64_t> IdParam(const http::Request& req, std::string_view name);

}  // namespace huiyin::api

// In a handler: binds the value of a Result, or returns its error as a problem response.
#define HUIYIN_API_ASSIGN(lhs, expr, req) \
  HUIYIN_API_ASSIGN_IMPL_(HUIYIN_CONCAT_(huiyin_api_, __LINE__), lhs, expr, req)
#define HUIYIN_API_ASSIGN_IMPL_(tmp, lhs, expr, req)                         \
  auto tmp = (expr);                                                         \
  if (!tmp.ok()) return ::huiyin::http::Response::Problem(tmp.error(), req); \
  lhs = std::move(tmp).value()
// In a handler: returns the error of a failed Status as a problem response.
#define HUIYIN_API_CHECK(expr, req)                                              \
  do {                                                                           \
    auto huiyin_api_status_ = (expr);                                            \
    if (!huiyin_api_status_.ok())                                                \
      return ::huiyin::http::Response::Problem(huiyin_api_status_.error(), req); \
  } while (false)
