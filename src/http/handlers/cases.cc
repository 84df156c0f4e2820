// Cases: intake (idempotent), reading, one operation per workflow transition, queues, workflow
// definitions and the hotline's indicators. Every kind of case uses these same endpoints.
#include <charconv>

#include "http/handlers/api.h"
#include "http/handlers/json_views.h"
#include "http/json_util.h"
#include "http/json_writer.h"
#include "huiyin/app/cases.h"

namespace huiyin::api {
namespace {

using nlohmann::json;

json Opt(const std::optional<Timestamp>& t) {
  return t ? json(FormatIso(*t)) : json(nullptr);
}

// The case page, streamed (http::JsonWriter): the most read answer of the API.
void WriteCase(http::JsonWriter& w, const app::CaseView& v) {
  w.BeginObject();
  w.Field("number", v.number).Field("kind", v.kind).Field("type", v.type);
  w.Field("type_label", v.type_label).Field("channel", v.channel).Field("state", v.state);
  w.Field("state_label", v.state_label).Field("title", v.title).Field("content", v.content);
  w.Field("category", v.category).Field("region_code", v.region_code);
  w.Field("address", v.address).Field("lat", v.lat).Field("lng", v.lng);
  w.Key("requester").BeginObject();
  w.Field("name", v.requester_name).Field("phone", v.requester_phone);
  w.Field("confidential", v.requester_confidential).Field("anonymous", v.anonymous);
  w.EndObject();
  w.Key("lead_org");
  if (v.lead_org) {
    w.BeginObject().Field("id", v.lead_org->id).Field("name", v.lead_org->name).EndObject();
  } else {
    w.Null();
  }
  w.Key("co_orgs").BeginArray();
  for (const auto& o : v.co_orgs)
    w.BeginObject().Field("id", o.id).Field("name", o.name).EndObject();
  w.EndArray();
  w.Field("reply", v.reply).Field("merged_into", v.merged_into);
  // Stored attributes are an object written by this server; anything else reads as {}.
  w.Key("attributes");
  if (!v.attributes_json.empty() && v.attributes_json.front() == '{' &&
      json::accept(v.attributes_json)) {
    w.Raw(v.attributes_json);
  } else {
    w.BeginObject().EndObject();
  }
  w.Field("satisfaction", v.satisfaction ? std::optional<int64_t>(*v.satisfaction) : std::nullopt);
  w.Field("resolved", v.resolved);
  w.Field("version", v.version).Field("created_at", FormatIso(v.created_at));
  w.Field("updated_at", FormatIso(v.updated_at)).Key("closed_at");
  v.closed_at ? w.String(FormatIso(*v.closed_at)) : w.Null();
  w.Key("clocks").BeginArray();
  for (const auto& c : v.clocks) {
    w.BeginObject().Field("name", c.name).Field("label", c.label).Field("unit", c.unit);
    w.Field("length", c.length).Field("extended", c.extended);
    w.Field("start", FormatIso(c.start)).Field("deadline", FormatIso(c.deadline));
    w.Field("level", c.level).Field("window", c.window).Field("provisional", c.provisional);
    w.Field("remaining", c.remaining).Field("paused", c.paused).Field("stopped", c.stopped);
    w.EndObject();
  }
  w.EndArray().Key("timeline").BeginArray();
  for (const auto& e : v.timeline) {
    w.BeginObject().Field("id", e.id).Field("at", FormatIso(e.at));
    w.Field("actor_name", e.actor_name).Field("role", e.role).Field("action", e.action);
    w.Field("label", e.label).Field("from_state", e.from_state).Field("to_state", e.to_state);
    w.Field("note", e.note).Field("public", e.is_public).EndObject();
  }
  w.EndArray().Key("transitions").BeginArray();
  for (const auto& t : v.transitions) {
    w.BeginObject().Field("name", t.name).Field("label", t.label).Key("required").BeginArray();
    for (const auto& f : t.required) w.String(f);
    w.EndArray().EndObject();
  }
  w.EndArray().Key("related").BeginArray();
  for (const auto& r : v.related) {
    w.BeginObject().Field("number", r.number).Field("kind", r.kind);
    w.Field("state_label", r.state_label).Field("relation", r.relation).EndObject();
  }
  w.EndArray().Field("public_view", v.public_view).EndObject();
}

http::Response CaseResponse(int status, const app::CaseView& v) {
  http::JsonWriter w(4096);
  WriteCase(w, v);
  return http::Response::Json(status, w.Take());
}

http::Response WithVersion(http::Response r, int64_t version) {
  r.SetHeader("ETag", "\"" + std::to_string(version) + "\"");
  return r;
}

http::Response Intake(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_CHECK(
      http::RejectUnknownFields(body, {"kind", "type", "channel", "title", "content", "category",
                                       "region_code", "address", "lat", "lng", "anonymous",
                                       "confidential", "requester", "attributes", "licence"}),
      req);
  app::NewCase c;
  HUIYIN_API_ASSIGN(std::string kind, http::GetString(body, "kind", false, 32), req);
  if (!kind.empty()) c.kind = kind;
  HUIYIN_API_ASSIGN(c.type, http::GetString(body, "type", true, 32), req);
  HUIYIN_API_ASSIGN(c.channel, http::GetString(body, "channel", true, 64), req);
  HUIYIN_API_ASSIGN(c.title, http::GetString(body, "title", true, 100), req);
  HUIYIN_API_ASSIGN(c.content, http::GetString(body, "content", true, 4000), req);
  HUIYIN_API_ASSIGN(c.category, http::GetString(body, "category", false, 64), req);
  HUIYIN_API_ASSIGN(c.region_code, http::GetString(body, "region_code", false, 12), req);
  HUIYIN_API_ASSIGN(c.address, http::GetString(body, "address", false, 200), req);
  HUIYIN_API_ASSIGN(c.licence, http::GetString(body, "licence", false, 40), req);
  HUIYIN_API_ASSIGN(c.lat, http::GetOptionalNumber(body, "lat"), req);
  HUIYIN_API_ASSIGN(c.lng, http::GetOptionalNumber(body, "lng"), req);
  HUIYIN_API_ASSIGN(c.anonymous, http::GetBool(body, "anonymous", false), req);
  HUIYIN_API_ASSIGN(c.confidential, http::GetBool(body, "confidential", false), req);
  HUIYIN_API_ASSIGN(const json* requester, http::GetObject(body, "requester", false), req);
  if (requester) {
    HUIYIN_API_ASSIGN(c.requester_name, http::GetString(*requester, "name", false, 50), req);
    HUIYIN_API_ASSIGN(c.requester_phone, http::GetString(*requester, "phone", false, 20), req);
  }
  HUIYIN_API_ASSIGN(const json* attributes, http::GetObject(body, "attributes", false), req);
  if (attributes) c.attributes_json = attributes->dump();
  std::string key(req.Header("idempotency-key"));
  if (key.size() > 200) {
    return http::Response::Problem(
        FieldInvalid("Idempotency-Key", "must be at most 200 characters"), req);
  }
  HUIYIN_API_ASSIGN(
      app::IntakeResult r,
      ctx.cases.Intake(CallerOf(req), c, key, app::Crypto::Sha256Hex(req.body), MetaOf(req)), req);
  http::JsonWriter w(4096);
  w.BeginObject().Key("case");
  WriteCase(w, r.view);
  w.Field("check_code", r.check_code).EndObject();
  auto resp = WithVersion(http::Response::Json(201, w.Take()), r.view.version);
  resp.SetHeader("Location", "/api/v1/cases/" + r.view.number);
  if (r.replayed) resp.SetHeader("Idempotent-Replayed", "true");
  resp.SetHeader("Cache-Control", "no-store");
  return resp;
}

http::Response Get(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(
      app::CaseView v,
      ctx.cases.Get(CallerOf(req), req.Param("number"), req.QueryParam("check_code"), Now()), req);
  return WithVersion(CaseResponse(200, v), v.version);
}

Result<std::optional<std::string>> OptText(const json& body, std::string_view field) {
  return http::GetOptionalString(body, field, 4000);
}

http::Response Transition(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_CHECK(http::RejectUnknownFields(body, {"version", "reply", "reason", "note", "channel",
                                                    "target", "lead_org_id", "co_org_ids", "days",
                                                    "resolved", "satisfaction", "reasons"}),
                   req);
  app::TransitionInput in;
  HUIYIN_API_ASSIGN(in.version, VersionOf(req, &body), req);
  HUIYIN_API_ASSIGN(in.reply, OptText(body, "reply"), req);
  HUIYIN_API_ASSIGN(in.reason, OptText(body, "reason"), req);
  HUIYIN_API_ASSIGN(in.note, OptText(body, "note"), req);
  HUIYIN_API_ASSIGN(in.channel, OptText(body, "channel"), req);
  HUIYIN_API_ASSIGN(in.target, http::GetOptionalString(body, "target", 32), req);
  HUIYIN_API_ASSIGN(in.lead_org_id, http::GetOptionalInt(body, "lead_org_id", 1), req);
  if (auto it = body.find("co_org_ids"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) {
      return http::Response::Problem(FieldInvalid("co_org_ids", "must be an array of ids"), req);
    }
    for (const auto& x : *it) {
      if (!x.is_number_integer()) {
        return http::Response::Problem(FieldInvalid("co_org_ids", "must be an array of ids"), req);
      }
      in.co_org_ids.push_back(x.get<int64_t>());
    }
  }
  HUIYIN_API_ASSIGN(auto days, http::GetOptionalInt(body, "days", 1, 365), req);
  if (days) in.days = static_cast<int>(*days);
  HUIYIN_API_ASSIGN(in.resolved, http::GetOptionalBool(body, "resolved"), req);
  HUIYIN_API_ASSIGN(auto sat, http::GetOptionalInt(body, "satisfaction", 1, 5), req);
  if (sat) in.satisfaction = static_cast<int>(*sat);
  HUIYIN_API_ASSIGN(in.reasons, http::GetString(body, "reasons", false, 1000), req);
  HUIYIN_API_ASSIGN(
      app::CaseView v,
      ctx.cases.Transition(*CallerOf(req), req.Param("number"), req.Param("name"), in, MetaOf(req)),
      req);
  return WithVersion(CaseResponse(200, v), v.version);
}

http::Response List(ApiContext& ctx, http::Request& req) {
  app::CaseQuery q;
  q.queue = req.QueryParam("queue").value_or("all");
  q.kind = req.QueryParam("kind").value_or("");
  q.type = req.QueryParam("type").value_or("");
  q.state = req.QueryParam("state").value_or("");
  q.channel = req.QueryParam("channel").value_or("");
  q.region_code = req.QueryParam("region_code").value_or("");
  q.q = req.QueryParam("q").value_or("");
  q.category = req.QueryParam("category").value_or("");
  q.level = req.QueryParam("level").value_or("");
  for (auto [name, slot] :
       {std::pair{"created_from", &q.created_from}, std::pair{"created_to", &q.created_to}}) {
    if (auto v = req.QueryParam(name)) {
      auto t = ParseIso(*v);
      if (!t.ok()) return http::Response::Problem(FieldInvalid(name, t.error().detail), req);
      *slot = *t;
    }
  }
  q.cursor = req.QueryParam("cursor").value_or("");
  if (auto org = req.QueryParam("org_id")) {
    int64_t id = 0;
    if (std::from_chars(org->data(), org->data() + org->size(), id).ec != std::errc{}) {
      return http::Response::Problem(FieldInvalid("org_id", "must be an organisation id"), req);
    }
    q.org_id = id;
  }
  if (auto limit = req.QueryParam("limit")) {
    int n = 0;
    if (std::from_chars(limit->data(), limit->data() + limit->size(), n).ec != std::errc{} ||
        n < 1) {
      return http::Response::Problem(FieldInvalid("limit", "must be 1 to 200"), req);
    }
    q.limit = n;
  }
  HUIYIN_API_ASSIGN(app::CasePage page, ctx.cases.List(*CallerOf(req), q, Now()), req);
  json items = json::array();
  for (const auto& s : page.items) {
    items.push_back({{"number", s.number},
                     {"kind", s.kind},
                     {"type", s.type},
                     {"title", s.title},
                     {"state", s.state},
                     {"state_label", s.state_label},
                     {"lead_org_name", s.lead_org_name},
                     {"channel", s.channel},
                     {"created_at", FormatIso(s.created_at)},
                     {"updated_at", FormatIso(s.updated_at)},
                     {"deadline", Opt(s.deadline)},
                     {"level", s.level},
                     {"provisional", s.provisional}});
  }
  json out{{"items", items}};
  out["next_cursor"] = page.next_cursor.empty() ? json(nullptr) : json(page.next_cursor);
  return http::JsonResponse(200, out);
}

http::Response Queues(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(auto counts, ctx.cases.Queues(*CallerOf(req), Now()), req);
  json items = json::array();
  for (const auto& q : counts) {
    items.push_back({{"queue", q.queue}, {"label", q.label}, {"count", q.count}});
  }
  return http::JsonResponse(200, {{"items", items}});
}

http::Response Workflow(ApiContext& ctx, http::Request& req) {
  const std::string& src = ctx.cases.workflows().Source(req.Param("kind"));
  if (src.empty()) {
    return http::Response::Problem(
        MakeError(ErrorCode::kNotFound, "no case kind '" + std::string(req.Param("kind")) + "'"),
        req);
  }
  return http::Response::Json(200, src);
}

http::Response Workflows(ApiContext& ctx, http::Request&) {
  json items = json::array();
  for (const auto& [kind, def] : ctx.cases.workflows().all()) {
    items.push_back({{"kind", kind}, {"label", def.label}, {"prefix", def.prefix}});
  }
  return http::JsonResponse(200, {{"items", items}});
}

http::Response IndicatorsHandler(ApiContext& ctx, http::Request& req) {
  Timestamp now = Now();
  Timestamp to = StartOfLocalDay(LocalDate(now) + std::chrono::days{1});
  Timestamp from = to - std::chrono::days{30};
  for (auto [name, slot] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    if (auto v = req.QueryParam(name)) {
      auto t = ParseIso(*v);
      if (!t.ok()) return http::Response::Problem(FieldInvalid(name, t.error().detail), req);
      *slot = *t;
    }
  }
  HUIYIN_API_ASSIGN(app::Indicators ind,
                    ctx.cases.ComputeIndicators(*CallerOf(req), from, to,
                                                req.QueryParam("region_code").value_or(""), now),
                    req);
  json units = json::array();
  for (const auto& u : ind.units) {
    units.push_back({{"org_id", u.org_id},
                     {"org_name", u.org_name},
                     {"dispatched", u.dispatched},
                     {"signed_on_time", u.signed_on_time},
                     {"response_rate", u.response_rate},
                     {"called_back", u.called_back},
                     {"resolved", u.resolved},
                     {"resolution_rate", u.resolution_rate},
                     {"rated", u.rated},
                     {"satisfied", u.satisfied},
                     {"satisfaction_rate", u.satisfaction_rate},
                     {"handled", u.handled},
                     {"handled_on_time", u.handled_on_time},
                     {"on_time_rate", u.on_time_rate},
                     {"overdue", u.overdue},
                     {"returns", u.returns},
                     {"improper_returns", u.improper_returns},
                     {"extensions", u.extensions},
                     {"redo", u.redo},
                     {"avg_handling_hours", u.avg_handling_hours}});
  }
  json by_day = json::array();
  for (const auto& [d, ch, n] : ind.by_day)
    by_day.push_back({{"date", d}, {"channel", ch}, {"count", n}});
  auto pairs = [](const auto& v, const char* key) {
    json a = json::array();
    for (const auto& [k, n] : v) a.push_back({{key, k}, {"count", n}});
    return a;
  };
  json out{
      {"from", FormatIso(from)},
      {"to", FormatIso(to)},
      {"units", units},
      {"by_day", by_day},
      {"by_state", pairs(ind.by_state, "state")},
      {"by_category", pairs(ind.by_category, "category")},
      {"by_region", pairs(ind.by_region, "region_code")},
      {"definitions",
       {{"response_rate",
         "响应率 = orders signed for within the sign-for limit ÷ orders dispatched"},
        {"resolution_rate", "解决率 = orders the citizen confirms resolved ÷ orders called back"},
        {"satisfaction_rate", "满意率 = ratings satisfied or very satisfied ÷ orders rated"},
        {"on_time_rate",
         "按期办结率 = handling clocks stopped by their deadline ÷ handling clocks stopped"},
        {"avg_handling_hours", "average hours from dispatch to the approved reply"}}}};
  return http::JsonResponse(200, out);
}

}  // namespace

void RegisterCaseRoutes(http::Router& router, ApiContext& ctx) {
  auto add = [&](const char* method, const char* pattern, auto fn, const char* access) {
    router.Add(method, pattern, [&ctx, fn](http::Request& r) { return fn(ctx, r); },
               {.name = "", .run_inline = false, .access = access});
  };
  add("POST", "/api/v1/cases", Intake, kPublic);
  add("GET", "/api/v1/cases", List, kAuthenticated);
  add("GET", "/api/v1/cases/{number}", Get, kPublic);
  add("POST", "/api/v1/cases/{number}/transitions/{name}", Transition, kAuthenticated);
  add("GET", "/api/v1/queues", Queues, kAuthenticated);
  add("GET", "/api/v1/workflows", Workflows, kPublic);
  add("GET", "/api/v1/workflows/{kind}", Workflow, kPublic);
  add("GET", "/api/v1/indicators", IndicatorsHandler, "dashboard:indicator:view");
}

}  // namespace huiyin::api
