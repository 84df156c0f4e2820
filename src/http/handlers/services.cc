// The service catalogue (事项清单): the public service guide (search by name, department, life
// event, level) and one item by code; editors register and change items, the approval office
// publishes and abolishes them (app/services.h).
#include "huiyin/app/services.h"

#include "huiyin/app/calendar_service.h"

#include "http/handlers/api.h"
#include "http/handlers/json_views.h"
#include "http/json_util.h"

namespace huiyin::api {
namespace {

using nlohmann::json;

json ItemJson(const app::ServiceItem& i) {
  json j{{"code", i.code},
         {"name", i.name},
         {"org_id", i.org_id},
         {"org_name", i.org_name},
         {"level", i.level},
         {"item_type", i.item_type},
         {"handling_kind", i.handling_kind},
         {"status", std::string(app::ItemStatusName(i.status))},
         {"version", i.version},
         {"legal_limit_wd", i.legal_limit_wd},
         {"committed_limit_wd", i.committed_limit_wd},
         {"life_events", i.life_events},
         {"updated_at", FormatIso(i.updated_at)}};
  j["main_code"] = i.main_code.empty() ? json(nullptr) : json(i.main_code);
  j["published_version"] = i.published_version ? json(*i.published_version) : json(nullptr);
  j["published_at"] = i.published_at ? json(FormatIso(*i.published_at)) : json(nullptr);
  j["abolished_at"] = i.abolished_at ? json(FormatIso(*i.abolished_at)) : json(nullptr);
  if (!i.body.empty()) {
    j["content_version"] = i.body_version;
    j["content"] = json::parse(i.body);
  }
  return j;
}

http::Response ItemResponse(int status, const app::ServiceItem& i) {
  auto r = http::JsonResponse(status, ItemJson(i));
  r.SetHeader("ETag", "\"" + std::to_string(i.version) + "\"");
  return r;
}

http::Response Search(ApiContext& ctx, http::Request& req) {
  app::ServiceQuery q;
  q.q = req.QueryParam("q").value_or("");
  q.org_code = req.QueryParam("org").value_or("");
  q.life_event = req.QueryParam("life_event").value_or("");
  q.level = req.QueryParam("level").value_or("");
  q.item_type = req.QueryParam("item_type").value_or("");
  q.cursor = req.QueryParam("cursor").value_or("");
  if (auto s = req.QueryParam("status"); s && !s->empty()) {
    q.status = app::ParseItemStatus(*s);
    if (!q.status) {
      return http::Response::Problem(
          FieldInvalid("status", "must be published, abolished or draft"), req);
    }
  }
  HUIYIN_API_ASSIGN(q.limit, IntQuery(req, "limit", 20), req);
  app::ServiceCatalogue catalogue(ctx.db, &ctx.guide);
  HUIYIN_API_ASSIGN(app::ServicePage page, catalogue.Search(CallerOf(req), q), req);
  json items = json::array();
  for (const auto& i : page.items) items.push_back(ItemJson(i));
  json out{{"items", items}};
  out["next_cursor"] = page.next_cursor.empty() ? json(nullptr) : json(page.next_cursor);
  return http::JsonResponse(200, out);
}

http::Response Get(ApiContext& ctx, http::Request& req) {
  std::optional<int64_t> version;
  if (req.QueryParam("version")) {
    HUIYIN_API_ASSIGN(int v, IntQuery(req, "version", 0), req);
    version = v;
  }
  app::ServiceCatalogue catalogue(ctx.db, &ctx.guide);
  HUIYIN_API_ASSIGN(app::ServiceItem i,
                    catalogue.Get(CallerOf(req), std::string(req.Param("code")), version), req);
  return ItemResponse(200, i);
}

http::Response Create(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  app::ServiceCatalogue catalogue(ctx.db, &ctx.guide);
  HUIYIN_API_ASSIGN(app::ServiceItem i, catalogue.Create(*CallerOf(req), body.dump(), MetaOf(req)),
                    req);
  auto r = ItemResponse(201, i);
  r.SetHeader("Location", "/api/v1/services/" + i.code);
  return r;
}

Result<int64_t> RequiredVersion(const http::Request& req, const json* body) {
  HUIYIN_ASSIGN_OR_RETURN(auto version, VersionOf(req, body));
  if (!version) {
    return MakeError(ErrorCode::kPreconditionRequired,
                     "send the version you read (\"version\" in the body or an If-Match header) so "
                     "that nobody's change is overwritten");
  }
  return *version;
}

// PUT {"version": N, "content": {...item...}}
http::Response Change(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_CHECK(http::RejectUnknownFields(body, {"version", "content"}), req);
  HUIYIN_API_ASSIGN(int64_t version, RequiredVersion(req, &body), req);
  if (!body.contains("content") || !body["content"].is_object()) {
    return http::Response::Problem(
        FieldInvalid("content", "is required: the whole item as an object"), req);
  }
  app::ServiceCatalogue catalogue(ctx.db, &ctx.guide);
  HUIYIN_API_ASSIGN(app::ServiceItem i,
                    catalogue.Change(*CallerOf(req), std::string(req.Param("code")), version,
                                     body["content"].dump(), MetaOf(req)),
                    req);
  return ItemResponse(200, i);
}

http::Response Lifecycle(ApiContext& ctx, http::Request& req, bool publish) {
  std::optional<json> body;
  if (!req.body.empty()) {
    HUIYIN_API_ASSIGN(body, http::ParseJsonBody(req), req);
    HUIYIN_API_CHECK(http::RejectUnknownFields(*body, {"version", "reason"}), req);
  }
  HUIYIN_API_ASSIGN(int64_t version, RequiredVersion(req, body ? &*body : nullptr), req);
  app::ServiceCatalogue catalogue(ctx.db, &ctx.guide);
  const std::string code(req.Param("code"));
  if (publish) {
    HUIYIN_API_ASSIGN(app::ServiceItem i,
                      catalogue.Publish(*CallerOf(req), code, version, MetaOf(req)), req);
    return ItemResponse(200, i);
  }
  std::string reason;
  if (body) {
    HUIYIN_API_ASSIGN(reason, http::GetString(*body, "reason", true, 2000), req);
  }
  HUIYIN_API_ASSIGN(app::ServiceItem i,
                    catalogue.Abolish(*CallerOf(req), code, version, reason, MetaOf(req)), req);
  return ItemResponse(200, i);
}

json CountsJson(const app::ApplicationCounts& c) {
  return {{"applications", c.applications},
          {"accepted", c.accepted},
          {"not_accepted", c.not_accepted},
          {"acceptance_rate", c.acceptance_rate},
          {"decided", c.decided},
          {"decided_on_time", c.decided_on_time},
          {"on_time_rate", c.on_time_rate},
          {"avg_working_days", c.avg_working_days},
          {"rated", c.rated},
          {"good", c.good},
          {"good_rate", c.good_rate}};
}

// GET /api/v1/service-statistics?from&to (default: the last 365 days).
http::Response Statistics(ApiContext& ctx, http::Request& req) {
  Timestamp to = StartOfLocalDay(LocalDate(Now()) + std::chrono::days{1});
  Timestamp from = to - std::chrono::days{365};
  for (auto [name, slot] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    if (auto v = req.QueryParam(name)) {
      auto t = ParseIso(*v);
      if (!t.ok()) return http::Response::Problem(FieldInvalid(name, t.error().detail), req);
      *slot = *t;
    }
  }
  app::ServiceCatalogue catalogue(ctx.db, &ctx.guide);
  auto cal = ctx.calendar.Current();
  HUIYIN_API_ASSIGN(app::CatalogueStatistics st,
                    catalogue.Statistics(*CallerOf(req), from, to, *cal), req);
  json items = json::array();
  for (const auto& i : st.items) {
    json j = CountsJson(i.counts);
    j["code"] = i.code;
    j["name"] = i.name;
    j["org_name"] = i.org_name;
    j["status"] = std::string(app::ItemStatusName(i.status));
    j["committed_limit_wd"] = i.committed_limit_wd;
    j["visits"] = i.visits;
    items.push_back(std::move(j));
  }
  json orgs = json::array();
  for (const auto& o : st.orgs) {
    json j = CountsJson(o.counts);
    j["org_name"] = o.org_name;
    j["items"] = o.items;
    orgs.push_back(std::move(j));
  }
  return http::JsonResponse(
      200, {{"from", FormatIso(from)},
            {"to", FormatIso(to)},
            {"items", items},
            {"orgs", orgs},
            {"never_applied", st.never_applied},
            {"definitions",
             {{"acceptance_rate", "受理率 = accepted (by the window or deemed, Art. 32) ÷ filed"},
              {"on_time_rate",
               "按时办结率 = decided by the decision deadline (committed limit, extensions "
               "and Art. 45 pauses counted) ÷ decided"},
              {"avg_working_days",
               "平均用时 = working days from acceptance to decision ÷ decided (pauses included)"},
              {"good_rate", "好评率 = ratings 4-5 ÷ ratings"},
              {"never_applied",
               "published items with no application in the period: review or abolish them"}}}});
}

}  // namespace

void RegisterServiceRoutes(http::Router& router, ApiContext& ctx) {
  const std::string edit(app::kCatalogueEditPermission);
  const std::string publish(app::kCataloguePublishPermission);
  router.Add("GET", "/api/v1/services", [&ctx](http::Request& r) { return Search(ctx, r); },
             {.name = "", .run_inline = false, .access = kPublic});
  router.Add("GET", "/api/v1/services/{code}", [&ctx](http::Request& r) { return Get(ctx, r); },
             {.name = "", .run_inline = false, .access = kPublic});
  router.Add("POST", "/api/v1/services", [&ctx](http::Request& r) { return Create(ctx, r); },
             {.name = "", .run_inline = false, .access = edit});
  router.Add("PUT", "/api/v1/services/{code}", [&ctx](http::Request& r) { return Change(ctx, r); },
             {.name = "", .run_inline = false, .access = edit});
  router.Add("GET", "/api/v1/service-statistics",
             [&ctx](http::Request& r) { return Statistics(ctx, r); },
             {.name = "", .run_inline = false, .access = "dashboard:indicator:view"});
  router.Add("POST", "/api/v1/services/{code}/publish",
             [&ctx](http::Request& r) { return Lifecycle(ctx, r, true); },
             {.name = "", .run_inline = false, .access = publish});
  router.Add("POST", "/api/v1/services/{code}/abolish",
             [&ctx](http::Request& r) { return Lifecycle(ctx, r, false); },
             {.name = "", .run_inline = false, .access = publish});
}

}  // namespace huiyin::api
