// Regions, organisations and posts: public reads, administrator writes.
#include "huiyin/app/orgs.h"
#include "http/handlers/api.h"
#include "http/handlers/json_views.h"
#include "http/json_util.h"

namespace huiyin::api {
namespace {

using nlohmann::json;

http::Response Regions(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(auto regions, ctx.orgs.ListRegions(), req);
  json out = json::array();
  for (const auto& r : regions) {
    json j{{"code", r.code}, {"name", r.name}, {"name_en", r.name_en}, {"level", r.level}};
    j["parent_code"] = r.parent_code ? json(*r.parent_code) : json(nullptr);
    out.push_back(std::move(j));
  }
  return http::JsonResponse(200, {{"items", out}});
}

http::Response Orgs(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(auto orgs, ctx.orgs.ListOrgs(), req);
  json out = json::array();
  for (const auto& o : orgs) out.push_back(OrgJson(o));
  return http::JsonResponse(200, {{"items", out}});
}

http::Response GetOrg(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(int64_t id, IdParam(req, "id"), req);
  HUIYIN_API_ASSIGN(app::Org org, ctx.orgs.GetOrg(id), req);
  HUIYIN_API_ASSIGN(auto posts, ctx.orgs.ListPosts(id), req);
  json j = OrgJson(org);
  json p = json::array();
  for (const auto& post : posts) {
    p.push_back({{"id", post.id},
                 {"title", post.title},
                 {"title_en", post.title_en},
                 {"key_post", post.key_post}});
  }
  j["posts"] = p;
  return http::JsonResponse(200, j);
}

http::Response CreateOrg(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_CHECK(http::RejectUnknownFields(body, {"code", "name", "name_en", "kind", "parent_id",
                                                    "region_code", "phone"}),
                   req);
  app::NewOrg o;
  HUIYIN_API_ASSIGN(o.code, http::GetString(body, "code", true, 64), req);
  HUIYIN_API_ASSIGN(o.name, http::GetString(body, "name", true, 100), req);
  HUIYIN_API_ASSIGN(o.name_en, http::GetString(body, "name_en", false, 200), req);
  HUIYIN_API_ASSIGN(o.kind, http::GetString(body, "kind", true, 32), req);
  HUIYIN_API_ASSIGN(o.parent_id, http::GetOptionalInt(body, "parent_id", 1), req);
  HUIYIN_API_ASSIGN(o.region_code, http::GetOptionalString(body, "region_code", 12), req);
  HUIYIN_API_ASSIGN(o.phone, http::GetString(body, "phone", false, 40), req);
  HUIYIN_API_ASSIGN(app::Org org, ctx.orgs.CreateOrg(*CallerOf(req), o, MetaOf(req)), req);
  return http::JsonResponse(201, OrgJson(org));
}

}  // namespace

void RegisterOrgRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/v1/regions", [&ctx](http::Request& r) { return Regions(ctx, r); },
             {.name = "", .run_inline = false, .access = kPublic});
  router.Add("GET", "/api/v1/orgs", [&ctx](http::Request& r) { return Orgs(ctx, r); },
             {.name = "", .run_inline = false, .access = kPublic});
  router.Add("GET", "/api/v1/orgs/{id}", [&ctx](http::Request& r) { return GetOrg(ctx, r); },
             {.name = "", .run_inline = false, .access = kPublic});
  router.Add("POST", "/api/v1/orgs", [&ctx](http::Request& r) { return CreateOrg(ctx, r); },
             {.name = "", .run_inline = false, .access = "system:org:edit"});
}

}  // namespace huiyin::api
