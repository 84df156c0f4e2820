// Staff accounts for administrators: list and read (personal identifiers masked unless the role
// needs them; out-of-scope users are 404), create, reset passwords, unlock, issue API tokens.
#include "http/handlers/api.h"
#include "http/handlers/json_views.h"
#include "http/json_util.h"
#include "huiyin/app/accounts.h"

namespace huiyin::api {
namespace {

using nlohmann::json;

http::Response ListUsers(ApiContext& ctx, http::Request& req) {
  auto org = req.QueryParam("org_id");
  const app::Principal& caller = *CallerOf(req);
  int64_t org_id = caller.org_id.value_or(0);
  if (org) {
    try {
      org_id = std::stoll(*org);
    } catch (const std::exception&) {
      return http::Response::Problem(FieldInvalid("org_id", "must be an organisation id"), req);
    }
  }
  HUIYIN_API_ASSIGN(auto users, ctx.accounts.ListUsers(caller, org_id), req);
  json out = json::array();
  for (const auto& u : users) out.push_back(UserJson(u));
  return http::JsonResponse(200, {{"items", out}});
}

http::Response GetUser(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(int64_t id, IdParam(req, "id"), req);
  HUIYIN_API_ASSIGN(app::UserView u, ctx.accounts.GetUser(*CallerOf(req), id), req);
  return http::JsonResponse(200, UserJson(u));
}

Result<std::vector<app::RoleSpec>> ReadRoles(const json& body) {
  std::vector<app::RoleSpec> roles;
  auto it = body.find("roles");
  if (it == body.end() || it->is_null()) return roles;
  if (!it->is_array()) return FieldInvalid("roles", "must be an array of {role, scope_org_id}");
  for (size_t i = 0; i < it->size(); ++i) {
    const json& r = (*it)[i];
    std::string field = "roles/" + std::to_string(i);
    if (!r.is_object()) return FieldInvalid(field, "must be an object {role, scope_org_id}");
    HUIYIN_ASSIGN_OR_RETURN(std::string name, http::GetString(r, "role", true, 32));
    auto role = core::ParseRole(name);
    if (!role) return FieldInvalid(field + "/role", "'" + name + "' is not a role");
    HUIYIN_ASSIGN_OR_RETURN(auto scope, http::GetOptionalInt(r, "scope_org_id", 1));
    roles.push_back({*role, scope});
  }
  return roles;
}

http::Response CreateUser(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_CHECK(
      http::RejectUnknownFields(body, {"username", "display_name", "kind", "org_id", "post_id",
                                       "password", "phone", "id_number", "credit_code", "roles"}),
      req);
  app::NewUser u;
  HUIYIN_API_ASSIGN(u.username, http::GetString(body, "username", true, 64), req);
  HUIYIN_API_ASSIGN(u.display_name, http::GetString(body, "display_name", true, 100), req);
  HUIYIN_API_ASSIGN(std::string kind, http::GetString(body, "kind", false, 20), req);
  if (!kind.empty()) {
    auto k = core::ParsePrincipalKind(kind);
    if (!k)
      return http::Response::Problem(FieldInvalid("kind", "must be staff or integration"), req);
    u.kind = *k;
  }
  HUIYIN_API_ASSIGN(u.org_id, http::GetOptionalInt(body, "org_id", 1), req);
  HUIYIN_API_ASSIGN(u.post_id, http::GetOptionalInt(body, "post_id", 1), req);
  HUIYIN_API_ASSIGN(u.password, http::GetString(body, "password", true, 256), req);
  HUIYIN_API_ASSIGN(u.phone, http::GetString(body, "phone", false, 20), req);
  HUIYIN_API_ASSIGN(u.id_number, http::GetString(body, "id_number", false, 18), req);
  HUIYIN_API_ASSIGN(u.credit_code, http::GetString(body, "credit_code", false, 18), req);
  HUIYIN_API_ASSIGN(u.roles, ReadRoles(body), req);
  HUIYIN_API_ASSIGN(app::UserView v, ctx.accounts.CreateUser(*CallerOf(req), u, MetaOf(req)), req);
  return http::JsonResponse(201, UserJson(v));
}

http::Response ResetPassword(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_ASSIGN(std::string pw, http::GetString(body, "password", true, 256), req);
  HUIYIN_API_CHECK(
      ctx.accounts.ResetPassword(*CallerOf(req), req.Param("username"), pw, MetaOf(req)), req);
  return http::Response::Empty(204);
}

http::Response Unlock(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_CHECK(ctx.accounts.UnlockUser(*CallerOf(req), req.Param("username"), MetaOf(req)),
                   req);
  return http::Response::Empty(204);
}

http::Response IssueToken(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_ASSIGN(std::string name, http::GetString(body, "name", true, 100), req);
  HUIYIN_API_ASSIGN(auto days, http::GetOptionalInt(body, "expires_in_days", 1, 3650), req);
  std::optional<Timestamp> expires;
  if (days) expires = Now() + std::chrono::days(*days);
  HUIYIN_API_ASSIGN(
      app::IssuedToken t,
      ctx.accounts.IssueApiToken(*CallerOf(req), req.Param("username"), name, expires, MetaOf(req)),
      req);
  json j{{"id", t.id}, {"token", t.token}};
  j["expires_at"] = t.expires_at ? json(FormatIso(*t.expires_at)) : json(nullptr);
  auto r = http::JsonResponse(201, j);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace

void RegisterUserRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/v1/users", [&ctx](http::Request& r) { return ListUsers(ctx, r); },
             {.name = "", .run_inline = false, .access = "system:user:list"});
  router.Add("GET", "/api/v1/users/{id}", [&ctx](http::Request& r) { return GetUser(ctx, r); },
             {.name = "", .run_inline = false, .access = "system:user:list"});
  router.Add("POST", "/api/v1/users", [&ctx](http::Request& r) { return CreateUser(ctx, r); },
             {.name = "", .run_inline = false, .access = "system:user:edit"});
  router.Add("POST", "/api/v1/users/{username}/password-reset",
             [&ctx](http::Request& r) { return ResetPassword(ctx, r); },
             {.name = "", .run_inline = false, .access = "system:user:reset_password"});
  router.Add("POST", "/api/v1/users/{username}/unlock",
             [&ctx](http::Request& r) { return Unlock(ctx, r); },
             {.name = "", .run_inline = false, .access = "system:user:unlock"});
  router.Add("POST", "/api/v1/users/{username}/tokens",
             [&ctx](http::Request& r) { return IssueToken(ctx, r); },
             {.name = "", .run_inline = false, .access = "system:token:issue"});
}

}  // namespace huiyin::api
