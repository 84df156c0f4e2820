// Licences (the holder's own, or those issued in a staff member's scope) and the signed-in
// account's notifications (renewal reminders, replies). app/licences.h.
#include "huiyin/app/licences.h"

#include "http/handlers/api.h"
#include "http/handlers/json_views.h"
#include "http/json_util.h"

namespace huiyin::api {
namespace {

using nlohmann::json;

json OptTime(const std::optional<Timestamp>& t) {
  return t ? json(FormatIso(*t)) : json(nullptr);
}

http::Response List(ApiContext& ctx, http::Request& req) {
  app::LicenceQuery q;
  if (req.QueryParam("expiring_within_days")) {
    HUIYIN_API_ASSIGN(int days, IntQuery(req, "expiring_within_days", 0), req);
    q.expiring_within_days = days;
  }
  HUIYIN_API_ASSIGN(q.limit, IntQuery(req, "limit", q.limit), req);
  app::LicenceService licences(ctx.db, ctx.config.licences.reminder_days);
  HUIYIN_API_ASSIGN(auto list, licences.List(*CallerOf(req), q, MetaOf(req).now), req);
  json items = json::array();
  for (const auto& l : list) {
    items.push_back({{"number", l.number},
                     {"item_code", l.item_code},
                     {"item_name", l.item_name},
                     {"org_name", l.org_name},
                     {"holder_name", l.holder_name},
                     {"case_number", l.case_number},
                     {"renewed_by", l.renewed_by.empty() ? json(nullptr) : json(l.renewed_by)},
                     {"renewals", l.renewals},
                     {"granted_at", FormatIso(l.granted_at)},
                     {"expires_at", FormatIso(l.expires_at)},
                     {"expires_on", FormatDate(LocalDate(l.expires_at))},
                     {"days_left", l.days_left},
                     {"reminded_at", OptTime(l.reminded_at)},
                     {"status", l.status}});
  }
  return http::JsonResponse(200, {{"items", items}});
}

http::Response Notifications(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(int limit, IntQuery(req, "limit", 50), req);
  const bool unread = req.QueryParam("unread").value_or("") == "true";
  app::LicenceService service(ctx.db, ctx.config.licences.reminder_days);
  HUIYIN_API_ASSIGN(auto list, service.Notifications(*CallerOf(req), unread, limit), req);
  json items = json::array();
  for (const auto& n : list) {
    items.push_back({{"id", n.id},
                     {"kind", n.kind},
                     {"subject", n.subject},
                     {"body", n.body},
                     {"link", n.link},
                     {"created_at", FormatIso(n.created_at)},
                     {"read_at", OptTime(n.read_at)}});
  }
  return http::JsonResponse(200, {{"items", items}});
}

http::Response MarkRead(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(int64_t id, IdParam(req, "id"), req);
  app::LicenceService service(ctx.db, ctx.config.licences.reminder_days);
  HUIYIN_API_CHECK(service.MarkRead(*CallerOf(req), id, MetaOf(req).now), req);
  return http::Response::Empty(204);
}

}  // namespace

void RegisterLicenceRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/v1/licences", [&ctx](http::Request& r) { return List(ctx, r); },
             {.name = "", .run_inline = false, .access = kAuthenticated});
  router.Add("GET", "/api/v1/notifications",
             [&ctx](http::Request& r) { return Notifications(ctx, r); },
             {.name = "", .run_inline = false, .access = kAuthenticated});
  router.Add("POST", "/api/v1/notifications/{id}/read",
             [&ctx](http::Request& r) { return MarkRead(ctx, r); },
             {.name = "", .run_inline = false, .access = kAuthenticated});
}

}  // namespace huiyin::api
