// The dispatch catalogue (派单目录): the public category tree with its Open311 attribute
// definitions, attribute validation, dispatch rules for staff, and unit suggestions for the
// dispatcher.
#include <charconv>
#include <functional>
#include <map>
#include <set>

#include "http/handlers/api.h"
#include "http/handlers/json_views.h"
#include "http/json_util.h"
#include "huiyin/app/catalogue.h"

namespace huiyin::api {
namespace {

using nlohmann::json;

json AttributeJson(const app::AttributeDef& a) {
  json values = json::array();
  for (const auto& v : a.values) values.push_back({{"key", v.key}, {"name", v.name}});
  return {{"code", a.code},
          {"datatype", std::string(app::AttributeTypeName(a.datatype))},
          {"required", a.required},
          {"variable", a.variable},
          {"order", a.order},
          {"description", a.description},
          {"datatype_description", a.datatype_description},
          {"values", values}};
}

json CategoryJson(const app::Category& c) {
  json attrs = json::array();
  for (const auto& a : c.attributes) attrs.push_back(AttributeJson(a));
  json j{{"code", c.code},
         {"name", c.name},
         {"name_en", c.name_en},
         {"description", c.description},
         {"keywords", c.keywords},
         {"group", c.group},
         {"public", c.is_public},
         {"active", c.active},
         {"order", c.order},
         {"version", c.version},
         {"updated_at", FormatIso(c.updated_at)},
         {"attributes", attrs}};
  j["parent_code"] = c.parent_code ? json(*c.parent_code) : json(nullptr);
  return j;
}

json UnitJson(const app::RuleUnit& u) {
  return {{"org_id", u.org_id}, {"code", u.code}, {"name", u.name}};
}

json RuleJson(const app::DispatchRule& r) {
  json co = json::array();
  for (const auto& u : r.co_units) co.push_back(UnitJson(u));
  json j{
      {"id", r.id},         {"category", r.category_code}, {"lead", UnitJson(r.lead)},
      {"co_units", co},     {"priority", r.priority},      {"note", r.note},
      {"active", r.active}, {"version", r.version},        {"updated_at", FormatIso(r.updated_at)}};
  j["region_code"] = r.region_code ? json(*r.region_code) : json(nullptr);
  return j;
}

// Staff see non-public categories too; the public only active public ones.
bool SeesAllCategories(const app::Principal* caller) {
  return caller != nullptr && (caller->kind == app::PrincipalKind::kStaff ||
                               caller->kind == app::PrincipalKind::kIntegration);
}

Error VersionRequired() {
  return MakeError(ErrorCode::kPreconditionRequired,
                   "send the version you read (\"version\" in the body or an If-Match header) so "
                   "that nobody's change is overwritten");
}

Result<std::vector<app::AttributeDef>> ReadAttributes(const json& body) {
  std::vector<app::AttributeDef> out;
  auto it = body.find("attributes");
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) return FieldInvalid("attributes", "must be an array of attribute objects");
  if (it->size() > 50) return FieldInvalid("attributes", "at most 50 attributes");
  for (size_t i = 0; i < it->size(); ++i) {
    const json& a = (*it)[i];
    const std::string at = "attributes/" + std::to_string(i);
    if (!a.is_object()) return FieldInvalid(at, "must be an object {code, datatype, ...}");
    auto prefixed = [&](Error e) {
      for (auto& f : e.fields) f.field = at + "/" + f.field;
      if (!e.fields.empty()) e.detail = e.fields.front().field + ": " + e.fields.front().message;
      return e;
    };
    if (auto s = http::RejectUnknownFields(a, {"code", "datatype", "required", "variable", "order",
                                               "description", "datatype_description", "values"});
        !s.ok()) {
      return prefixed(s.error());
    }
    app::AttributeDef d;
    auto code = http::GetString(a, "code", true, 64);
    if (!code.ok()) return prefixed(code.error());
    d.code = *code;
    auto type = http::GetString(a, "datatype", true, 32);
    if (!type.ok()) return prefixed(type.error());
    auto parsed = app::ParseAttributeType(*type);
    if (!parsed) {
      return FieldInvalid(at + "/datatype",
                          "must be string, number, datetime, text, singlevaluelist or "
                          "multivaluelist");
    }
    d.datatype = *parsed;
    auto required = http::GetBool(a, "required", false);
    if (!required.ok()) return prefixed(required.error());
    d.required = *required;
    auto variable = http::GetOptionalBool(a, "variable");
    if (!variable.ok()) return prefixed(variable.error());
    d.variable = variable->value_or(true);
    auto order = http::GetOptionalInt(a, "order", -100000, 100000);
    if (!order.ok()) return prefixed(order.error());
    d.order = static_cast<int>(order->value_or(static_cast<int64_t>(i + 1)));
    auto description = http::GetString(a, "description", true, 500);
    if (!description.ok()) return prefixed(description.error());
    d.description = *description;
    auto dd = http::GetString(a, "datatype_description", false, 500);
    if (!dd.ok()) return prefixed(dd.error());
    d.datatype_description = *dd;
    auto values = a.find("values");
    if (values != a.end() && !values->is_null()) {
      if (!values->is_array())
        return FieldInvalid(at + "/values", "must be an array of {key, name}");
      for (size_t j = 0; j < values->size(); ++j) {
        const json& v = (*values)[j];
        const std::string vat = at + "/values/" + std::to_string(j);
        if (!v.is_object() || !v.contains("key") || !v["key"].is_string() || !v.contains("name") ||
            !v["name"].is_string()) {
          return FieldInvalid(vat, "must be an object {\"key\": string, \"name\": string}");
        }
        d.values.push_back({v["key"].get<std::string>(), v["name"].get<std::string>()});
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

Result<app::CategoryInput> ReadCategory(const json& body, bool creating) {
  if (creating) {
    HUIYIN_TRY(
        http::RejectUnknownFields(body, {"code", "name", "name_en", "description", "keywords",
                                         "group", "public", "active", "order", "attributes"}));
  } else {
    HUIYIN_TRY(
        http::RejectUnknownFields(body, {"name", "name_en", "description", "keywords", "group",
                                         "public", "active", "order", "attributes", "version"}));
  }
  app::CategoryInput in;
  if (creating) {
    HUIYIN_ASSIGN_OR_RETURN(in.code, http::GetString(body, "code", true, 64));
  }
  HUIYIN_ASSIGN_OR_RETURN(in.name, http::GetString(body, "name", true, 100));
  HUIYIN_ASSIGN_OR_RETURN(in.name_en, http::GetString(body, "name_en", false, 200));
  HUIYIN_ASSIGN_OR_RETURN(in.description, http::GetString(body, "description", false, 2000));
  HUIYIN_ASSIGN_OR_RETURN(in.keywords, http::GetStringArray(body, "keywords", false, 20, 50));
  HUIYIN_ASSIGN_OR_RETURN(in.group, http::GetString(body, "group", false, 100));
  HUIYIN_ASSIGN_OR_RETURN(auto is_public, http::GetOptionalBool(body, "public"));
  in.is_public = is_public.value_or(true);
  HUIYIN_ASSIGN_OR_RETURN(auto active, http::GetOptionalBool(body, "active"));
  in.active = active.value_or(true);
  HUIYIN_ASSIGN_OR_RETURN(auto order, http::GetOptionalInt(body, "order", -100000, 100000));
  in.order = static_cast<int>(order.value_or(0));
  HUIYIN_ASSIGN_OR_RETURN(in.attributes, ReadAttributes(body));
  return in;
}

http::Response ListCategories(ApiContext& ctx, http::Request& req) {
  const app::Principal* caller = CallerOf(req);
  const bool all = SeesAllCategories(caller);
  const bool inactive = all && req.QueryParam("include_inactive").value_or("") == "true";
  app::CatalogueService catalogue(ctx.db);
  HUIYIN_API_ASSIGN(auto cats, catalogue.ListCategories(!all, inactive), req);
  // Nest children under their parents (codes are at most 64 characters: shallow recursion).
  std::map<std::string, std::vector<size_t>> children;  // "" = roots
  std::set<std::string> present;
  for (const auto& c : cats) present.insert(c.code);
  for (size_t i = 0; i < cats.size(); ++i) {
    const auto& p = cats[i].parent_code;
    children[p && present.count(*p) ? *p : std::string()].push_back(i);
  }
  std::function<json(size_t)> build = [&](size_t i) {
    json j = CategoryJson(cats[i]);
    json kids = json::array();
    for (size_t k : children[cats[i].code]) kids.push_back(build(k));
    j["children"] = std::move(kids);
    return j;
  };
  json roots = json::array();
  for (size_t i : children[std::string()]) roots.push_back(build(i));
  return http::JsonResponse(200, {{"items", roots}, {"count", cats.size()}});
}

http::Response GetCategory(ApiContext& ctx, http::Request& req) {
  app::CatalogueService catalogue(ctx.db);
  HUIYIN_API_ASSIGN(app::Category c,
                    catalogue.GetCategory(req.Param("code"), !SeesAllCategories(CallerOf(req))),
                    req);
  auto r = http::JsonResponse(200, CategoryJson(c));
  r.SetHeader("ETag", "\"" + std::to_string(c.version) + "\"");
  return r;
}

http::Response CreateCategory(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_ASSIGN(app::CategoryInput in, ReadCategory(body, true), req);
  app::CatalogueService catalogue(ctx.db);
  HUIYIN_API_ASSIGN(app::Category c, catalogue.CreateCategory(*CallerOf(req), in, MetaOf(req)),
                    req);
  auto r = http::JsonResponse(201, CategoryJson(c));
  r.SetHeader("Location", "/api/v1/categories/" + c.code);
  return r;
}

http::Response UpdateCategory(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_ASSIGN(app::CategoryInput in, ReadCategory(body, false), req);
  HUIYIN_API_ASSIGN(auto version, VersionOf(req, &body), req);
  if (!version) return http::Response::Problem(VersionRequired(), req);
  app::CatalogueService catalogue(ctx.db);
  HUIYIN_API_ASSIGN(
      app::Category c,
      catalogue.UpdateCategory(*CallerOf(req), req.Param("code"), *version, in, MetaOf(req)), req);
  return http::JsonResponse(200, CategoryJson(c));
}

// Body {"attributes": {"code": "value" | ["v1", "v2"] | number}}: 204 when valid, else 400 with
// one error per attribute.
http::Response ValidateAttributes(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_CHECK(http::RejectUnknownFields(body, {"attributes"}), req);
  HUIYIN_API_ASSIGN(const json* attrs, http::GetObject(body, "attributes", false), req);
  app::AttributeValues values;
  if (attrs != nullptr) {
    for (const auto& [code, v] : attrs->items()) {
      auto& out = values[code];
      auto scalar = [&](const json& x) -> bool {
        if (x.is_string()) {
          out.push_back(x.get<std::string>());
        } else if (x.is_number()) {
          out.push_back(x.dump());
        } else {
          return false;
        }
        return true;
      };
      bool ok = true;
      if (v.is_array()) {
        for (const auto& x : v) ok = ok && scalar(x);
      } else if (!v.is_null()) {
        ok = scalar(v);
      }
      if (!ok) {
        return http::Response::Problem(
            FieldInvalid("attribute[" + code + "]", "must be a string, a number or a list of them"),
            req);
      }
    }
  }
  app::CatalogueService catalogue(ctx.db);
  HUIYIN_API_CHECK(catalogue.ValidateAttributes(req.Param("code"), values), req);
  return http::Response::Empty(204);
}

Result<app::RuleInput> ReadRule(const json& body, bool updating) {
  if (updating) {
    HUIYIN_TRY(
        http::RejectUnknownFields(body, {"category", "region_code", "lead_org_id", "co_org_ids",
                                         "priority", "note", "active", "version"}));
  } else {
    HUIYIN_TRY(http::RejectUnknownFields(
        body, {"category", "region_code", "lead_org_id", "co_org_ids", "priority", "note"}));
  }
  app::RuleInput in;
  HUIYIN_ASSIGN_OR_RETURN(in.category_code, http::GetString(body, "category", true, 64));
  HUIYIN_ASSIGN_OR_RETURN(in.region_code, http::GetOptionalString(body, "region_code", 12));
  HUIYIN_ASSIGN_OR_RETURN(in.lead_org_id, http::GetInt(body, "lead_org_id", true, 1));
  auto co = body.find("co_org_ids");
  if (co != body.end() && !co->is_null()) {
    if (!co->is_array()) return FieldInvalid("co_org_ids", "must be an array of organisation ids");
    for (const auto& v : *co) {
      if (!v.is_number_integer() || v.get<int64_t>() < 1) {
        return FieldInvalid("co_org_ids", "must be an array of organisation ids");
      }
      in.co_org_ids.push_back(v.get<int64_t>());
    }
  }
  HUIYIN_ASSIGN_OR_RETURN(auto priority, http::GetOptionalInt(body, "priority", 1, 10000));
  in.priority = static_cast<int>(priority.value_or(100));
  HUIYIN_ASSIGN_OR_RETURN(in.note, http::GetString(body, "note", false, 500));
  HUIYIN_ASSIGN_OR_RETURN(auto active, http::GetOptionalBool(body, "active"));
  in.active = active.value_or(true);
  return in;
}

http::Response ListRules(ApiContext& ctx, http::Request& req) {
  app::RuleFilter f;
  if (auto c = req.QueryParam("category"); c && !c->empty()) f.category_code = *c;
  if (auto r = req.QueryParam("region_code"); r && !r->empty()) f.region_code = *r;
  f.include_inactive = req.QueryParam("include_inactive").value_or("") == "true";
  app::CatalogueService catalogue(ctx.db);
  HUIYIN_API_ASSIGN(auto rules, catalogue.ListRules(*CallerOf(req), f), req);
  json items = json::array();
  for (const auto& r : rules) items.push_back(RuleJson(r));
  return http::JsonResponse(200, {{"items", items}});
}

http::Response GetRule(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(int64_t id, IdParam(req, "id"), req);
  app::CatalogueService catalogue(ctx.db);
  HUIYIN_API_ASSIGN(app::DispatchRule r, catalogue.GetRule(*CallerOf(req), id), req);
  return http::JsonResponse(200, RuleJson(r));
}

http::Response CreateRule(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_ASSIGN(app::RuleInput in, ReadRule(body, false), req);
  app::CatalogueService catalogue(ctx.db);
  HUIYIN_API_ASSIGN(app::DispatchRule r, catalogue.CreateRule(*CallerOf(req), in, MetaOf(req)),
                    req);
  auto resp = http::JsonResponse(201, RuleJson(r));
  resp.SetHeader("Location", "/api/v1/dispatch-rules/" + std::to_string(r.id));
  return resp;
}

http::Response UpdateRule(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(int64_t id, IdParam(req, "id"), req);
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_ASSIGN(app::RuleInput in, ReadRule(body, true), req);
  HUIYIN_API_ASSIGN(auto version, VersionOf(req, &body), req);
  if (!version) return http::Response::Problem(VersionRequired(), req);
  app::CatalogueService catalogue(ctx.db);
  HUIYIN_API_ASSIGN(app::DispatchRule r,
                    catalogue.UpdateRule(*CallerOf(req), id, *version, in, MetaOf(req)), req);
  return http::JsonResponse(200, RuleJson(r));
}

http::Response DeactivateRule(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(int64_t id, IdParam(req, "id"), req);
  HUIYIN_API_ASSIGN(auto version, VersionOf(req, nullptr), req);
  app::CatalogueService catalogue(ctx.db);
  HUIYIN_API_ASSIGN(app::DispatchRule r,
                    catalogue.DeactivateRule(*CallerOf(req), id, version, MetaOf(req)), req);
  return http::JsonResponse(200, RuleJson(r));
}

http::Response Suggest(ApiContext& ctx, http::Request& req) {
  auto category = req.QueryParam("category");
  if (!category || category->empty()) {
    return http::Response::Problem(
        FieldInvalid("category", "is required: a category code such as urban.road"), req);
  }
  std::string region = req.QueryParam("region_code").value_or("");
  app::CatalogueService catalogue(ctx.db);
  HUIYIN_API_ASSIGN(auto suggestions, catalogue.SuggestUnits(*CallerOf(req), *category, region),
                    req);
  json items = json::array();
  for (const auto& s : suggestions) {
    json j{{"unit", UnitJson(s.unit)},
           {"role", s.role},
           {"rule_id", s.rule_id},
           {"rule_category", s.rule_category},
           {"match", std::string(app::RuleMatchName(s.match))},
           {"priority", s.priority},
           {"reason", s.reason}};
    j["rule_region_code"] = s.rule_region ? json(*s.rule_region) : json(nullptr);
    items.push_back(std::move(j));
  }
  json out{{"category", *category}, {"items", items}};
  out["region_code"] = region.empty() ? json(nullptr) : json(region);
  return http::JsonResponse(200, out);
}

}  // namespace

void RegisterCatalogueRoutes(http::Router& router, ApiContext& ctx) {
  const std::string edit(app::kDispatchRuleEditPermission);
  const std::string dispatch(app::kDispatchPermission);
  auto route = [&](const char* method, const char* pattern,
                   http::Response (*fn)(ApiContext&, http::Request&), const std::string& access) {
    router.Add(method, pattern, [&ctx, fn](http::Request& r) { return fn(ctx, r); },
               {.name = "", .run_inline = false, .access = access});
  };
  route("GET", "/api/v1/categories", ListCategories, kPublic);
  route("GET", "/api/v1/categories/{code}", GetCategory, kPublic);
  route("POST", "/api/v1/categories", CreateCategory, edit);
  route("PUT", "/api/v1/categories/{code}", UpdateCategory, edit);
  route("POST", "/api/v1/categories/{code}/validate", ValidateAttributes, kPublic);
  route("GET", "/api/v1/dispatch-rules", ListRules, kAuthenticated);
  route("GET", "/api/v1/dispatch-rules/{id}", GetRule, kAuthenticated);
  route("POST", "/api/v1/dispatch-rules", CreateRule, edit);
  route("PUT", "/api/v1/dispatch-rules/{id}", UpdateRule, edit);
  route("DELETE", "/api/v1/dispatch-rules/{id}", DeactivateRule, edit);
  route("GET", "/api/v1/dispatch/suggest", Suggest, dispatch);
}

}  // namespace huiyin::api
