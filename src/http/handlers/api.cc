// Route registration and the authentication hook: a session cookie (with its CSRF token for
// unsafe methods) or a bearer API token identifies the caller; each route's declared access
// ("public", "auth" or a permission) decides whether the request goes on.
#include "http/handlers/api.h"

#include <any>
#include <charconv>

#include "http/handlers/json_views.h"
#include "http/json_util.h"
#include "huiyin/app/accounts.h"
#include "huiyin/app/orgs.h"

namespace huiyin::api {
namespace {

constexpr std::string_view kSessionCookie = "huiyin_session";

struct Caller {
  app::Principal principal;
  bool via_session = false;
};

bool IsSafeMethod(std::string_view m) {
  return m == "GET" || m == "HEAD" || m == "OPTIONS";
}

http::Response Unauthenticated(const Error& e, http::Request& req, bool clear_cookie) {
  auto r = http::Response::Problem(e, req);
  r.SetHeader("WWW-Authenticate", "Bearer realm=\"huiyin\"");
  if (clear_cookie) {
    r.AddHeader("Set-Cookie",
                std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
  }
  return r;
}

std::optional<http::Response> Authenticate(ApiContext& ctx, http::Request& req,
                                           const http::Route& route) {
  const std::string& access = route.options.access;
  const bool is_public = access.empty() || access == kPublic;
  const Timestamp now = Now();
  std::string_view auth = req.Header("authorization");
  if (auth.starts_with("Bearer ") || auth.starts_with("bearer ")) {
    auto p = ctx.accounts.AuthenticateBearer(auth.substr(7), now);
    if (!p.ok()) return Unauthenticated(p.error(), req, false);
    req.context = Caller{std::move(p).value(), false};
  } else if (auto token = req.Cookie(kSessionCookie); token && !token->empty()) {
    auto s = ctx.accounts.Authenticate(*token, now);
    if (!s.ok()) {
      if (!is_public) return Unauthenticated(s.error(), req, true);
    } else {
      if (!IsSafeMethod(req.method) && req.Header("x-csrf-token") != s->csrf_token) {
        return http::Response::Problem(
            MakeError(ErrorCode::kCsrfFailed,
                      "this request changes data: send the X-CSRF-Token header you received "
                      "at sign-in"),
            req);
      }
      req.context = Caller{std::move(s->principal), true};
    }
  }
  if (is_public) return std::nullopt;
  const Caller* caller = std::any_cast<Caller>(&req.context);
  if (caller == nullptr) {
    return Unauthenticated(MakeError(ErrorCode::kUnauthenticated,
                                     "sign in first (POST /api/v1/auth/login) or send a bearer "
                                     "API token"),
                           req, false);
  }
  if (access != kAuthenticated && !caller->principal.HasPermission(access)) {
    return http::Response::Problem(
        MakeError(ErrorCode::kForbidden, "your roles do not include the permission " + access),
        req);
  }
  return std::nullopt;
}

}  // namespace

const app::Principal* CallerOf(const http::Request& request) {
  const Caller* c = std::any_cast<Caller>(&request.context);
  return c ? &c->principal : nullptr;
}

app::RequestMeta MetaOf(const http::Request& request) {
  return {request.remote_address, request.request_id, Now()};
}

void RegisterRoutes(http::Router& router, ApiContext& ctx) {
  router.SetBefore([&ctx](http::Request& req, const http::Route& route) {
    return Authenticate(ctx, req, route);
  });
  RegisterSystemRoutes(router, ctx);
  RegisterAuthRoutes(router, ctx);
  RegisterOrgRoutes(router, ctx);
  RegisterUserRoutes(router, ctx);
  RegisterAuditRoutes(router, ctx);
  RegisterCalendarRoutes(router, ctx);
  RegisterCaseRoutes(router, ctx);
  RegisterOpen311Routes(router, ctx);
  RegisterKnowledgeRoutes(router, ctx);
  RegisterCatalogueRoutes(router, ctx);
  RegisterServiceRoutes(router, ctx);
  RegisterLicenceRoutes(router, ctx);
  RegisterAttachmentRoutes(router, ctx);
}

// ---- JSON views -------------------------------------------------------------------------------

nlohmann::json GrantsJson(const std::vector<app::Grant>& grants) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& g : grants) {
    nlohmann::json j{{"role", std::string(core::RoleName(g.role))}};
    j["scope_org_id"] = g.scope_org_id ? nlohmann::json(*g.scope_org_id) : nlohmann::json(nullptr);
    out.push_back(std::move(j));
  }
  return out;
}

nlohmann::json PrincipalJson(const app::Principal& p) {
  nlohmann::json j{{"id", p.user_id},
                   {"username", p.username},
                   {"display_name", p.display_name},
                   {"kind", std::string(core::PrincipalKindName(p.kind))},
                   {"grants", GrantsJson(p.grants)},
                   {"permissions", p.Permissions()}};
  j["org_id"] = p.org_id ? nlohmann::json(*p.org_id) : nlohmann::json(nullptr);
  std::vector<std::string> roles;
  for (auto r : p.Roles()) roles.emplace_back(core::RoleName(r));
  j["roles"] = roles;
  return j;
}

nlohmann::json UserJson(const app::UserView& u) {
  nlohmann::json j{{"id", u.id},
                   {"username", u.username},
                   {"display_name", u.display_name},
                   {"kind", std::string(core::PrincipalKindName(u.kind))},
                   {"org_name", u.org_name},
                   {"post_title", u.post_title},
                   {"phone", u.phone},
                   {"id_number", u.id_number},
                   {"pii_visible", u.pii_visible},
                   {"credit_code", u.credit_code},
                   {"grants", GrantsJson(u.grants)},
                   {"active", u.active},
                   {"failed_logins", u.failed_logins},
                   {"created_at", FormatIso(u.created_at)},
                   {"warnings", u.warnings}};
  j["org_id"] = u.org_id ? nlohmann::json(*u.org_id) : nlohmann::json(nullptr);
  j["post_id"] = u.post_id ? nlohmann::json(*u.post_id) : nlohmann::json(nullptr);
  j["locked_until"] =
      u.locked_until ? nlohmann::json(FormatIso(*u.locked_until)) : nlohmann::json(nullptr);
  return j;
}

nlohmann::json OrgJson(const app::Org& o) {
  nlohmann::json j{{"id", o.id},           {"code", o.code},     {"name", o.name},
                   {"name_en", o.name_en}, {"kind", o.kind},     {"path", o.path},
                   {"phone", o.phone},     {"active", o.active}, {"depth", o.depth}};
  j["parent_id"] = o.parent_id ? nlohmann::json(*o.parent_id) : nlohmann::json(nullptr);
  j["region_code"] = o.region_code ? nlohmann::json(*o.region_code) : nlohmann::json(nullptr);
  return j;
}

namespace {

Result<int64_t> ParseVersionText(std::string_view v, std::string_view field) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int64_t out = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || r.ec != std::errc{} || r.ptr != v.data() + v.size() || out < 1) {
    return FieldInvalid(std::string(field), "must be the version number you read, e.g. 3");
  }
  return out;
}

}  // namespace

Result<std::optional<int64_t>> VersionOf(const http::Request& req, const nlohmann::json* body) {
  if (body != nullptr && body->contains("version")) {
    HUIYIN_ASSIGN_OR_RETURN(int64_t v, http::GetInt(*body, "version", true, 1));
    return std::optional<int64_t>(v);
  }
  if (auto q = req.QueryParam("version")) {
    HUIYIN_ASSIGN_OR_RETURN(int64_t v, ParseVersionText(*q, "version"));
    return std::optional<int64_t>(v);
  }
  if (req.HasHeader("if-match")) {
    HUIYIN_ASSIGN_OR_RETURN(int64_t v, ParseVersionText(req.Header("if-match"), "If-Match"));
    return std::optional<int64_t>(v);
  }
  return std::optional<int64_t>();
}

Result<int> IntQuery(const http::Request& req, std::string_view name, int fallback) {
  auto v = req.QueryParam(name);
  if (!v || v->empty()) return fallback;
  int out = 0;
  auto r = std::from_chars(v->data(), v->data() + v->size(), out);
  if (r.ec != std::errc{} || r.ptr != v->data() + v->size()) {
    return FieldInvalid(std::string(name), "must be a whole number");
  }
  return out;
}

Result<int64_t> IdParam(const http::Request& req, std::string_view name) {
  std::string_view v = req.Param(name);
  int64_t id = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), id);
  if (v.empty() || r.ec != std::errc{} || r.ptr != v.data() + v.size() || id <= 0) {
    return MakeError(ErrorCode::kNotFound, "no " + std::string(name) + " '" + std::string(v) + "'");
  }
  return id;
}

}  // namespace huiyin::api
