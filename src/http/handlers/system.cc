// /healthz (the process answers), /readyz (the database answers), /metrics (Prometheus text),
// and the OpenAPI 3.1 document generated from the routing table itself, so that every route is in
// it with the access it declares (x-huiyin-access: public, auth or a permission string).
#include <mutex>

#include "http/handlers/api.h"
#include "http/json_util.h"
#include "huiyin/build_info.h"

namespace huiyin::api {
namespace {

nlohmann::json OpenApi(const http::Router& router, const Config& config) {
  using nlohmann::json;
  json paths = json::object();
  router.ForEachRoute([&](const http::Route& r) {
    if (r.method == "*" || r.pattern.empty()) return;  // the web fallback
    std::string path = r.pattern;
    json params = json::array();
    for (const auto& p : r.param_names) {
      params.push_back(
          {{"name", p}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    }
    std::string method = r.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const std::string& access = r.options.access;
    json op{{"operationId", r.Name()},
            {"summary", r.Name()},
            {"x-huiyin-access", access.empty() ? "public" : access},
            {"responses",
             {{"default",
               {{"description", "success, or an RFC 9457 problem"},
                {"content",
                 {{"application/problem+json",
                   {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}}}}}};
    if (!params.empty()) op["parameters"] = params;
    if (access != kPublic && !access.empty()) {
      op["security"] = json::array({{{"session", json::array()}}, {{"bearer", json::array()}}});
    }
    paths[path][method] = op;
  });
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "Huiyin (回音) API"},
            {"version", HUIYIN_VERSION},
            {"description", "The JSON API of " + config.city.name +
                                "'s Huiyin. Errors are application/problem+json (RFC 9457)."}}},
          {"paths", paths},
          {"components",
           {{"securitySchemes",
             {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "huiyin_session"}}},
              {"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
            {"schemas",
             {{"Problem",
               {{"type", "object"},
                {"required", json::array({"type", "title", "status", "code"})},
                {"properties",
                 {{"type", {{"type", "string"}}},
                  {"title", {{"type", "string"}}},
                  {"status", {{"type", "integer"}}},
                  {"detail", {{"type", "string"}}},
                  {"code", {{"type", "string"}}},
                  {"instance", {{"type", "string"}}},
                  {"request_id", {{"type", "string"}}},
                  {"errors",
                   {{"type", "array"},
                    {"items",
                     {{"type", "object"},
                      {"properties",
                       {{"field", {{"type", "string"}}},
                        {"message", {{"type", "string"}}}}}}}}}}}}}}}}}};
}

}  // namespace

void RegisterSystemRoutes(http::Router& router, ApiContext& ctx) {
  http::RouteOptions inline_public{.name = "", .run_inline = true, .access = kPublic};
  router.Add(
      "GET", "/healthz",
      [](http::Request&) { return http::Response::Json(200, R"({"status":"ok"})"); },
      inline_public);
  router.Add("GET", "/readyz",
             [&ctx](http::Request& req) {
               Status s = ctx.db.Ping();
               if (!s.ok()) {
                 return http::Response::Problem(
                     MakeError(ErrorCode::kUnavailable,
                               "the database does not answer: " + s.error().detail),
                     req);
               }
               return http::Response::Json(200, R"({"status":"ready"})");
             },
             {.name = "", .run_inline = false, .access = kPublic});
  router.Add(
      "GET", "/metrics",
      [&ctx](http::Request&) {
        auto r = http::Response::Text(200, ctx.metrics.RenderPrometheus());
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        return r;
      },
      inline_public);
  router.Add("GET", "/api/v1",
             [&ctx](http::Request&) {
               return http::JsonResponse(200,
                                         {{"name", "huiyin"},
                                          {"city", ctx.config.city.name},
                                          {"jurisdiction_id", ctx.config.city.jurisdiction_id}});
             },
             {.name = "", .run_inline = true, .access = kPublic});
  router.Add("GET", "/api/v1/openapi.json",
             [&ctx, &router](http::Request&) {
               static std::once_flag once;
               static std::string doc;
               std::call_once(once, [&] { doc = OpenApi(router, ctx.config).dump(); });
               return http::Response::Json(200, doc);
             },
             {.name = "", .run_inline = false, .access = kPublic});
}

}  // namespace huiyin::api
