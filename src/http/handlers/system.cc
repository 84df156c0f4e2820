// /healthz (the process answers), /readyz (the database answers), /metrics (Prometheus text).
#include "http/handlers/api.h"
#include "http/json_util.h"

namespace huiyin::api {

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
}

}  // namespace huiyin::api
