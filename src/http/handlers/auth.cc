// Sign-in, sign-out, the current account, password change and citizen sign-up.
#include "http/handlers/api.h"
#include "http/handlers/json_views.h"
#include "http/json_util.h"
#include "huiyin/app/accounts.h"

namespace huiyin::api {
namespace {

using nlohmann::json;

std::string SessionCookie(const ApiContext& ctx, const std::string& token, int max_age_seconds) {
  std::string c = "huiyin_session=" + token +
                  "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age_seconds);
  if (ctx.config.security.secure_cookies) c += "; Secure";
  return c;
}

http::Response Login(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_ASSIGN(std::string username, http::GetString(body, "username", true, 64), req);
  HUIYIN_API_ASSIGN(std::string password, http::GetString(body, "password", true, 256), req);
  const app::RequestMeta meta = MetaOf(req);
  auto result = ctx.accounts.Login(username, password, meta);
  if (!result.ok()) {
    auto r = http::Response::Problem(result.error(), req);
    if (result.error().code == ErrorCode::kRateLimited) {
      if (auto until = ctx.accounts.AddressBlockedUntil(meta.remote_addr, meta.now)) {
        const auto seconds = std::chrono::ceil<std::chrono::seconds>(*until - meta.now).count();
        r.SetHeader("Retry-After", std::to_string(std::max<int64_t>(1, seconds)));
      }
    }
    return r;
  }
  app::LoginResult login = std::move(result).value();
  json out = PrincipalJson(login.principal);
  out["csrf_token"] = login.csrf_token;
  out["expires_at"] = FormatIso(login.expires_at);
  out["idle_timeout_minutes"] = ctx.accounts.policy().session_idle_minutes;
  auto r = http::JsonResponse(200, {{"user", out}, {"csrf_token", login.csrf_token}});
  int max_age = ctx.accounts.policy().session_absolute_hours * 3600;
  r.AddHeader("Set-Cookie", SessionCookie(ctx, login.session_token, max_age));
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

http::Response Logout(ApiContext& ctx, http::Request& req) {
  if (auto token = req.Cookie("huiyin_session")) {
    if (auto s = ctx.accounts.Logout(*token, MetaOf(req)); !s.ok()) {
      return http::Response::Problem(s.error(), req);
    }
  }
  auto r = http::Response::Empty(204);
  r.AddHeader("Set-Cookie", SessionCookie(ctx, "", 0));
  return r;
}

http::Response Me(http::Request& req) {
  return http::JsonResponse(200, PrincipalJson(*CallerOf(req)));
}

http::Response ChangePassword(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_ASSIGN(std::string old_pw, http::GetString(body, "old_password", true, 256), req);
  HUIYIN_API_ASSIGN(std::string new_pw, http::GetString(body, "new_password", true, 256), req);
  if (auto s = ctx.accounts.ChangePassword(*CallerOf(req), old_pw, new_pw, MetaOf(req)); !s.ok()) {
    return http::Response::Problem(s.error(), req);
  }
  return http::Response::Empty(204);
}

http::Response SignUp(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  if (auto s = http::RejectUnknownFields(body, {"username", "display_name", "kind", "password",
                                                "phone", "id_number", "credit_code"});
      !s.ok()) {
    return http::Response::Problem(s.error(), req);
  }
  app::CitizenSignUp su;
  HUIYIN_API_ASSIGN(su.username, http::GetString(body, "username", true, 64), req);
  HUIYIN_API_ASSIGN(su.display_name, http::GetString(body, "display_name", true, 100), req);
  HUIYIN_API_ASSIGN(std::string kind, http::GetString(body, "kind", false, 20), req);
  if (kind.empty() || kind == "citizen") {
    su.kind = app::PrincipalKind::kCitizen;
  } else if (kind == "enterprise") {
    su.kind = app::PrincipalKind::kEnterprise;
  } else {
    return http::Response::Problem(FieldInvalid("kind", "must be citizen or enterprise"), req);
  }
  HUIYIN_API_ASSIGN(su.password, http::GetString(body, "password", true, 256), req);
  HUIYIN_API_ASSIGN(su.phone, http::GetString(body, "phone", true, 20), req);
  HUIYIN_API_ASSIGN(su.id_number, http::GetString(body, "id_number", false, 18), req);
  HUIYIN_API_ASSIGN(su.credit_code, http::GetString(body, "credit_code", false, 18), req);
  HUIYIN_API_ASSIGN(app::UserView u, ctx.accounts.RegisterCitizen(su, MetaOf(req)), req);
  return http::JsonResponse(201, UserJson(u));
}

}  // namespace

void RegisterAuthRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("POST", "/api/v1/auth/login", [&ctx](http::Request& r) { return Login(ctx, r); },
             {.name = "", .run_inline = false, .access = kPublic});
  router.Add("POST", "/api/v1/auth/logout", [&ctx](http::Request& r) { return Logout(ctx, r); },
             {.name = "", .run_inline = false, .access = kAuthenticated});
  router.Add("GET", "/api/v1/auth/me", [](http::Request& r) { return Me(r); },
             {.name = "", .run_inline = false, .access = kAuthenticated});
  router.Add("POST", "/api/v1/auth/password",
             [&ctx](http::Request& r) { return ChangePassword(ctx, r); },
             {.name = "", .run_inline = false, .access = kAuthenticated});
  router.Add("POST", "/api/v1/auth/signup", [&ctx](http::Request& r) { return SignUp(ctx, r); },
             {.name = "", .run_inline = false, .access = kPublic});
}

}  // namespace huiyin::api
