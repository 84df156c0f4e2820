// The audit trail for the audit administrator: read (newest first, cursor by seq) and verify.
#include <algorithm>
#include <charconv>

#include "http/handlers/api.h"
#include "http/handlers/json_views.h"
#include "http/json_util.h"
#include "huiyin/app/audit.h"

namespace huiyin::api {
namespace {

using nlohmann::json;

Result<std::optional<int64_t>> IntQuery(const http::Request& req, std::string_view name) {
  auto v = req.QueryParam(name);
  if (!v) return std::optional<int64_t>();
  int64_t n = 0;
  auto r = std::from_chars(v->data(), v->data() + v->size(), n);
  if (r.ec != std::errc{} || r.ptr != v->data() + v->size()) {
    return FieldInvalid(std::string(name), "must be a whole number");
  }
  return std::optional<int64_t>(n);
}

http::Response List(ApiContext& ctx, http::Request& req) {
  app::AuditFilter f;
  HUIYIN_API_ASSIGN(f.actor_id, IntQuery(req, "actor_id"), req);
  HUIYIN_API_ASSIGN(f.before_seq, IntQuery(req, "before_seq"), req);
  HUIYIN_API_ASSIGN(f.after_seq, IntQuery(req, "after_seq"), req);
  HUIYIN_API_ASSIGN(auto limit, IntQuery(req, "limit"), req);
  if (limit) f.limit = static_cast<int>(std::clamp<int64_t>(*limit, 1, 1000));
  f.action = req.QueryParam("action").value_or("");
  for (auto [name, slot] : {std::pair{"from", &f.from}, std::pair{"to", &f.to}}) {
    if (auto v = req.QueryParam(name)) {
      auto t = ParseIso(*v);
      if (!t.ok()) return http::Response::Problem(FieldInvalid(name, t.error().detail), req);
      *slot = *t;
    }
  }
  HUIYIN_API_ASSIGN(auto rows, app::ListAudit(ctx.db, *CallerOf(req), f), req);
  json items = json::array();
  for (const auto& e : rows) {
    const auto& r = e.record;
    json j{{"seq", e.seq},
           {"at", FormatIso(e.at)},
           {"actor_name", r.actor_name},
           {"role", r.role},
           {"source_addr", r.source_addr},
           {"action", r.action},
           {"object_type", r.object_type},
           {"object_id", r.object_id},
           {"outcome", r.outcome},
           {"digest", r.digest},
           {"hash", e.hash}};
    j["actor_id"] = r.actor_id ? json(*r.actor_id) : json(nullptr);
    j["org_id"] = r.org_id ? json(*r.org_id) : json(nullptr);
    items.push_back(std::move(j));
  }
  return http::JsonResponse(200, {{"items", items}});
}

http::Response Verify(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(app::AuditVerifyReport r, app::VerifyAuditAs(ctx.db, *CallerOf(req)), req);
  json j{{"ok", r.ok},
         {"rows_checked", r.rows_checked},
         {"last_seq", r.last_seq},
         {"detail", r.detail}};
  j["broken_seq"] = r.ok ? json(nullptr) : json(r.broken_seq);
  return http::JsonResponse(200, j);
}

}  // namespace

void RegisterAuditRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/v1/audit", [&ctx](http::Request& r) { return List(ctx, r); },
             {.name = "", .run_inline = false, .access = "audit:log:list"});
  router.Add("POST", "/api/v1/audit/verify", [&ctx](http::Request& r) { return Verify(ctx, r); },
             {.name = "", .run_inline = false, .access = "audit:log:verify"});
}

}  // namespace huiyin::api
