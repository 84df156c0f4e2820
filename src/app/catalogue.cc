#include "huiyin/app/catalogue.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "huiyin/app/audit.h"
#include "huiyin/app/crypto.h"
#include "huiyin/app/knowledge.h"
#include "huiyin/app/orgs.h"
#include "huiyin/common/text.h"

namespace huiyin::app {
namespace {

using nlohmann::json;

constexpr size_t kMaxCodeLength = 64;
constexpr size_t kMaxAttributes = 50;
constexpr size_t kMaxListValues = 200;
constexpr size_t kMaxCoUnits = 10;
constexpr size_t kMaxStringValue = 200;
constexpr size_t kMaxTextValue = 5000;

// ---- small helpers ------------------------------------------------------------------------------

std::string Trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::vector<std::string> SplitComma(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

bool ValidSegmentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// "urban.road": segments of a-z, 0-9, '_' and '-' separated by single dots.
bool ValidCategoryCode(std::string_view code) {
  if (code.empty() || code.size() > kMaxCodeLength || code.front() == '.' || code.back() == '.') {
    return false;
  }
  for (size_t i = 0; i < code.size(); ++i) {
    if (code[i] == '.') {
      if (code[i - 1] == '.') return false;
    } else if (!ValidSegmentChar(code[i])) {
      return false;
    }
  }
  return true;
}

bool ValidAttributeCode(std::string_view code) {
  return !code.empty() && code.size() <= kMaxCodeLength &&
         std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

bool IsRegionCode(std::string_view code) {
  return code.size() == 6 && AllDigits(code);
}

std::optional<std::string> ParentCode(std::string_view code) {
  size_t dot = code.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  return std::string(code.substr(0, dot));
}

bool IsList(AttributeType t) {
  return t == AttributeType::kSingleValueList || t == AttributeType::kMultiValueList;
}

Error FieldErrors(std::vector<FieldError> errors) {
  std::string detail = errors.front().field + ": " + errors.front().message;
  if (errors.size() > 1) detail += " (and " + std::to_string(errors.size() - 1) + " more)";
  return Error(ErrorCode::kInvalidArgument, std::move(detail), std::move(errors));
}

std::optional<int64_t> ActorId(const Principal& actor) {
  return actor.user_id != 0 ? std::optional<int64_t>(actor.user_id) : std::nullopt;
}

Status Audit(storage::Tx& tx, const Principal& actor, const RequestMeta& meta, std::string action,
             std::string object_type, std::string object_id, const std::string& summary) {
  AuditRecord rec =
      AuditOf(actor, meta, std::move(action), std::move(object_type), std::move(object_id));
  rec.digest = Crypto::Sha256Hex(summary);
  auto seq = AppendAudit(tx, rec, meta.now);
  if (!seq.ok()) return std::move(seq).error();
  return Status::Ok();
}

// ---- categories ---------------------------------------------------------------------------------

std::string ValuesJson(const std::vector<AttributeValue>& values) {
  json out = json::array();
  for (const auto& v : values) out.push_back({{"key", v.key}, {"name", v.name}});
  return out.dump();
}

std::vector<AttributeValue> ValuesOf(std::string_view text) {
  std::vector<AttributeValue> out;
  json j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (!v.is_object()) continue;
    out.push_back({v.value("key", std::string()), v.value("name", std::string())});
  }
  return out;
}

std::string CategorySummary(const Category& c) {
  std::string s = "category|" + c.code + "|" + std::to_string(c.version) + "|" + c.name + "|" +
                  c.name_en + "|" + c.group + "|" + (c.is_public ? "1" : "0") +
                  (c.active ? "1" : "0") + "|" + Join(c.keywords, ",") + "|" + c.description;
  for (const auto& a : c.attributes) {
    s += "|" + a.code + ":" + std::string(AttributeTypeName(a.datatype)) + ":" +
         (a.required ? "1" : "0") + ":" + a.description + ":" + ValuesJson(a.values);
  }
  return s;
}

Status ValidateCategoryInput(CategoryInput& in, bool creating) {
  std::vector<FieldError> errors;
  if (creating && !ValidCategoryCode(in.code)) {
    errors.push_back({"code",
                      "must be dot-separated segments of a-z, 0-9, '_' or '-' (at most 64 "
                      "characters), e.g. urban.road"});
  }
  in.name = Trim(in.name);
  if (in.name.empty() || CodePoints(in.name) > 100) {
    errors.push_back({"name", "must be 1–100 characters"});
  }
  if (CodePoints(in.name_en) > 200) errors.push_back({"name_en", "at most 200 characters"});
  if (CodePoints(in.description) > 2000) {
    errors.push_back({"description", "at most 2000 characters"});
  }
  if (CodePoints(in.group) > 100) errors.push_back({"group", "at most 100 characters"});
  if (in.keywords.size() > 20) errors.push_back({"keywords", "at most 20 keywords"});
  for (size_t i = 0; i < in.keywords.size(); ++i) {
    in.keywords[i] = Trim(in.keywords[i]);
    if (in.keywords[i].empty() || CodePoints(in.keywords[i]) > 50 ||
        in.keywords[i].find_first_of(",\n") != std::string::npos) {
      errors.push_back(
          {"keywords/" + std::to_string(i), "must be 1–50 characters without ',' or line breaks"});
    }
  }
  if (in.attributes.size() > kMaxAttributes) {
    errors.push_back({"attributes", "at most 50 attributes"});
  }
  std::set<std::string> codes;
  for (size_t i = 0; i < in.attributes.size(); ++i) {
    AttributeDef& a = in.attributes[i];
    const std::string at = "attributes/" + std::to_string(i);
    if (!ValidAttributeCode(a.code)) {
      errors.push_back({at + "/code", "must be 1–64 characters of a-z, 0-9 and '_'"});
    } else if (!codes.insert(a.code).second) {
      errors.push_back({at + "/code", "'" + a.code + "' appears twice"});
    }
    a.description = Trim(a.description);
    if (a.description.empty() || CodePoints(a.description) > 500) {
      errors.push_back({at + "/description", "must be 1–500 characters (the question asked)"});
    }
    if (CodePoints(a.datatype_description) > 500) {
      errors.push_back({at + "/datatype_description", "at most 500 characters"});
    }
    if (!a.variable && a.required) {
      errors.push_back({at + "/required",
                        "an informational attribute (variable false) takes "
                        "no value, so it cannot be required"});
    }
    if (IsList(a.datatype)) {
      if (a.values.empty() || a.values.size() > kMaxListValues) {
        errors.push_back({at + "/values", "a list attribute needs 1–200 values {key, name}"});
      }
      std::set<std::string> keys;
      for (size_t j = 0; j < a.values.size(); ++j) {
        const std::string vat = at + "/values/" + std::to_string(j);
        if (a.values[j].key.empty() || CodePoints(a.values[j].key) > 100) {
          errors.push_back({vat + "/key", "must be 1–100 characters"});
        } else if (!keys.insert(a.values[j].key).second) {
          errors.push_back({vat + "/key", "'" + a.values[j].key + "' appears twice"});
        }
        if (a.values[j].name.empty() || CodePoints(a.values[j].name) > 200) {
          errors.push_back({vat + "/name", "must be 1–200 characters"});
        }
      }
    } else if (!a.values.empty()) {
      errors.push_back({at + "/values", "only singlevaluelist and multivaluelist take values"});
    }
  }
  if (!errors.empty()) return FieldErrors(std::move(errors));
  std::stable_sort(in.attributes.begin(), in.attributes.end(),
                   [](const AttributeDef& a, const AttributeDef& b) {
                     return a.order != b.order ? a.order < b.order : a.code < b.code;
                   });
  return Status::Ok();
}

constexpr std::string_view kCategoryColumns =
    "id, code, parent_code, name, name_en, description, keywords, group_name, public, active, "
    "sort_order, version, updated_at";

Category CategoryOf(const storage::Row& row) {
  Category c;
  c.id = row.Int(0);
  c.code = row.String(1);
  c.parent_code = row.OptString(2);
  c.name = row.String(3);
  c.name_en = row.String(4);
  c.description = row.String(5);
  c.keywords = SplitComma(row.Text(6));
  c.group = row.String(7);
  c.is_public = row.Int(8) != 0;
  c.active = row.Int(9) != 0;
  c.order = static_cast<int>(row.Int(10));
  c.version = row.Int(11);
  c.updated_at = FromMillis(row.Int(12));
  return c;
}

// Loads the attributes of the categories in `cats` (all when `only_id` is unset).
Status LoadAttributes(storage::Tx& tx, std::vector<Category>& cats,
                      std::optional<int64_t> only_id) {
  std::map<int64_t, Category*> by_id;
  for (auto& c : cats) by_id[c.id] = &c;
  std::string sql =
      "SELECT category_id, code, datatype, required, variable, sort_order, description, "
      "datatype_description, values_json FROM category_attributes";
  if (only_id) sql += " WHERE category_id = ?";
  sql += " ORDER BY category_id, sort_order, code";
  auto fn = [&](const storage::Row& row) {
    auto it = by_id.find(row.Int(0));
    if (it == by_id.end()) return;
    AttributeDef a;
    a.code = row.String(1);
    a.datatype = ParseAttributeType(row.Text(2)).value_or(AttributeType::kString);
    a.required = row.Int(3) != 0;
    a.variable = row.Int(4) != 0;
    a.order = static_cast<int>(row.Int(5));
    a.description = row.String(6);
    a.datatype_description = row.String(7);
    a.values = ValuesOf(row.Text(8));
    it->second->attributes.push_back(std::move(a));
  };
  if (only_id) return tx.Query(sql, {*only_id}, fn);
  return tx.Query(sql, {}, fn);
}

Result<std::optional<Category>> LoadCategory(storage::Tx& tx, std::string_view code) {
  std::vector<Category> found;
  HUIYIN_TRY(tx.Query("SELECT " + std::string(kCategoryColumns) + " FROM categories WHERE code = ?",
                      {code}, [&](const storage::Row& row) { found.push_back(CategoryOf(row)); }));
  if (found.empty()) return std::optional<Category>();
  HUIYIN_TRY(LoadAttributes(tx, found, found.front().id));
  return std::optional<Category>(std::move(found.front()));
}

Error CategoryNotFound(std::string_view code) {
  return MakeError(ErrorCode::kNotFound, "no category '" + std::string(code) +
                                             "': see GET /api/v1/categories for the catalogue");
}

Status InsertAttributes(storage::Tx& tx, int64_t category_id,
                        const std::vector<AttributeDef>& attributes) {
  for (const auto& a : attributes) {
    HUIYIN_TRY(
        tx.Exec("INSERT INTO category_attributes (category_id, code, datatype, required, variable, "
                "sort_order, description, datatype_description, values_json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {category_id, a.code, AttributeTypeName(a.datatype), a.required, a.variable,
                 a.order, a.description, a.datatype_description, ValuesJson(a.values)}));
  }
  return Status::Ok();
}

// Inserts a validated category (the parent must exist). Returns it as stored.
Result<Category> InsertCategory(storage::Tx& tx, CategoryInput in, std::optional<int64_t> actor,
                                Timestamp now) {
  HUIYIN_TRY(ValidateCategoryInput(in, true));
  std::optional<std::string> parent = ParentCode(in.code);
  if (parent) {
    HUIYIN_ASSIGN_OR_RETURN(auto p, LoadCategory(tx, *parent));
    if (!p) {
      return FieldInvalid("code",
                          "the parent category '" + *parent + "' does not exist: create it first");
    }
    if (in.group.empty()) in.group = p->group;
  }
  if (in.group.empty()) in.group = in.name;
  HUIYIN_ASSIGN_OR_RETURN(auto dup,
                          tx.QueryInt("SELECT COUNT(*) FROM categories WHERE code = ?", {in.code}));
  if (dup.value_or(0) > 0) {
    return MakeError(ErrorCode::kConflict,
                     "a category with code " + in.code + " exists: change it with PUT instead");
  }
  const int64_t ms = ToMillis(now);
  HUIYIN_ASSIGN_OR_RETURN(
      auto id,
      tx.QueryInt("INSERT INTO categories (code, parent_code, name, name_en, description, "
                  "keywords, group_name, public, active, sort_order, version, created_at, "
                  "created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  "?, 1, ?, ?, ?, ?) RETURNING id",
                  {in.code, parent, in.name, in.name_en, in.description, Join(in.keywords, ","),
                   in.group, in.is_public, in.active, in.order, ms, actor, ms, actor}));
  if (!id) return MakeError(ErrorCode::kInternal, "category id not returned");
  HUIYIN_TRY(InsertAttributes(tx, *id, in.attributes));
  HUIYIN_ASSIGN_OR_RETURN(auto created, LoadCategory(tx, in.code));
  return std::move(*created);
}

Status RequireCityWideEditor(const Principal& actor) {
  if (!actor.CanOnCityWide(kDispatchRuleEditPermission)) {
    return MakeError(ErrorCode::kForbidden,
                     "editing the dispatch catalogue needs dispatch:rule:edit over the whole city");
  }
  return Status::Ok();
}

// ---- attribute values ---------------------------------------------------------------------------

bool ParseNumber(std::string_view text, double& out) {
  if (text.empty()) return false;
  if (text.front() == '+') text.remove_prefix(1);
  auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc{} && r.ptr == text.data() + text.size() && std::isfinite(out);
}

std::string KeysOf(const AttributeDef& def) {
  std::vector<std::string> keys;
  for (const auto& v : def.values) keys.push_back(v.key);
  return Join(keys, ", ");
}

void CheckOneValue(const AttributeDef& def, const std::string& value, const std::string& field,
                   std::vector<FieldError>& errors) {
  switch (def.datatype) {
    case AttributeType::kString:
      if (CodePoints(value) > kMaxStringValue) {
        errors.push_back({field, "at most 200 characters"});
      }
      break;
    case AttributeType::kText:
      if (CodePoints(value) > kMaxTextValue) errors.push_back({field, "at most 5000 characters"});
      break;
    case AttributeType::kNumber: {
      double d = 0;
      if (!ParseNumber(value, d)) {
        errors.push_back({field, "'" + value + "' is not a number (write e.g. 16 or 16.5)"});
      }
      break;
    }
    case AttributeType::kDatetime:
      if (!ParseIso(value).ok()) {
        errors.push_back({field, "'" + value +
                                     "' is not an ISO 8601 date-time (e.g. "
                                     "2026-01-05T09:30:00+08:00)"});
      }
      break;
    case AttributeType::kSingleValueList:
    case AttributeType::kMultiValueList:
      if (std::none_of(def.values.begin(), def.values.end(),
                       [&](const AttributeValue& v) { return v.key == value; })) {
        errors.push_back({field, "'" + value + "' is not one of: " + KeysOf(def)});
      }
      break;
  }
}

// ---- rules --------------------------------------------------------------------------------------

constexpr std::string_view kRuleColumns =
    "r.id, r.category_code, r.region_code, r.lead_org_id, o.code, o.name, r.priority, r.note, "
    "r.active, r.version, r.updated_at, o.path";

struct LoadedRule {
  DispatchRule rule;
  std::vector<std::string> paths;  // lead's and co-units' org paths (scope checks)
};

LoadedRule RuleOf(const storage::Row& row) {
  LoadedRule l;
  DispatchRule& r = l.rule;
  r.id = row.Int(0);
  r.category_code = row.String(1);
  r.region_code = row.OptString(2);
  r.lead = {row.Int(3), row.String(4), row.String(5)};
  r.priority = static_cast<int>(row.Int(6));
  r.note = row.String(7);
  r.active = row.Int(8) != 0;
  r.version = row.Int(9);
  r.updated_at = FromMillis(row.Int(10));
  l.paths.push_back(row.String(11));
  return l;
}

Status LoadCoUnits(storage::Tx& tx, std::vector<LoadedRule>& rules) {
  if (rules.empty()) return Status::Ok();
  std::map<int64_t, LoadedRule*> by_id;
  std::string in;
  std::vector<storage::Param> params;
  for (auto& r : rules) {
    by_id[r.rule.id] = &r;
    in += in.empty() ? "?" : ", ?";
    params.emplace_back(r.rule.id);
  }
  return tx.Query(
      "SELECT c.rule_id, c.org_id, o.code, o.name, o.path FROM dispatch_rule_co_units c JOIN orgs "
      "o ON o.id = c.org_id WHERE c.rule_id IN (" +
          in + ") ORDER BY c.rule_id, c.seq",
      storage::ParamSpan(params.data(), params.size()), [&](const storage::Row& row) {
        LoadedRule* r = by_id.at(row.Int(0));
        r->rule.co_units.push_back({row.Int(1), row.String(2), row.String(3)});
        r->paths.push_back(row.String(4));
      });
}

Result<std::optional<LoadedRule>> LoadRule(storage::Tx& tx, int64_t id) {
  std::vector<LoadedRule> found;
  HUIYIN_TRY(tx.Query("SELECT " + std::string(kRuleColumns) +
                          " FROM dispatch_rules r JOIN orgs o ON o.id = r.lead_org_id "
                          "WHERE r.id = ?",
                      {id}, [&](const storage::Row& row) { found.push_back(RuleOf(row)); }));
  HUIYIN_TRY(LoadCoUnits(tx, found));
  if (found.empty()) return std::optional<LoadedRule>();
  return std::optional<LoadedRule>(std::move(found.front()));
}

Error RuleNotFound(int64_t id) {
  return MakeError(ErrorCode::kNotFound, "no dispatch rule " + std::to_string(id));
}

std::string RuleSummary(const DispatchRule& r) {
  std::string s = "rule|" + std::to_string(r.id) + "|" + std::to_string(r.version) + "|" +
                  r.category_code + "|" + r.region_code.value_or("*") + "|" +
                  std::to_string(r.lead.org_id) + "|";
  for (const auto& c : r.co_units) s += std::to_string(c.org_id) + ",";
  s += "|" + std::to_string(r.priority) + "|" + (r.active ? "1" : "0") + "|" + r.note;
  return s;
}

bool IsStaffLike(const Principal& p) {
  return p.kind == PrincipalKind::kStaff || p.kind == PrincipalKind::kIntegration;
}

// Validates a rule's input against the database; returns the org paths it names.
Result<std::vector<std::string>> CheckRuleInput(storage::Tx& tx, RuleInput& in) {
  std::vector<FieldError> errors;
  HUIYIN_ASSIGN_OR_RETURN(auto cat, LoadCategory(tx, in.category_code));
  if (!cat) {
    errors.push_back({"category", "no category '" + in.category_code + "'"});
  }
  if (in.region_code && in.region_code->empty()) in.region_code.reset();
  if (in.region_code) {
    HUIYIN_ASSIGN_OR_RETURN(
        auto n, tx.QueryInt("SELECT COUNT(*) FROM regions WHERE code = ?", {*in.region_code}));
    if (n.value_or(0) == 0) {
      errors.push_back({"region_code", "no region '" + *in.region_code +
                                           "' (a GB/T 2260 code from GET /api/v1/regions, or "
                                           "null for any region)"});
    }
  }
  if (in.priority < 1 || in.priority > 10000) {
    errors.push_back({"priority", "must be between 1 and 10000 (smaller is preferred)"});
  }
  in.note = Trim(in.note);
  if (CodePoints(in.note) > 500) errors.push_back({"note", "at most 500 characters"});
  if (in.co_org_ids.size() > kMaxCoUnits) errors.push_back({"co_org_ids", "at most 10 co-units"});
  std::vector<std::string> paths;
  auto org_path = [&](int64_t id, const std::string& field) {
    auto org = OrgService::LoadOrg(tx, id);
    if (!org.ok() || !org->active) {
      errors.push_back({field, "no active organisation " + std::to_string(id)});
      return;
    }
    paths.push_back(org->path);
  };
  org_path(in.lead_org_id, "lead_org_id");
  std::set<int64_t> seen{in.lead_org_id};
  for (size_t i = 0; i < in.co_org_ids.size() && i < kMaxCoUnits; ++i) {
    const std::string field = "co_org_ids/" + std::to_string(i);
    if (!seen.insert(in.co_org_ids[i]).second) {
      errors.push_back({field, "names the lead unit or another co-unit again"});
      continue;
    }
    org_path(in.co_org_ids[i], field);
  }
  if (!errors.empty()) return FieldErrors(std::move(errors));
  return paths;
}

Status RequireRuleScope(const Principal& actor, const std::vector<std::string>& paths) {
  for (const auto& p : paths) {
    if (!actor.CanOn(kDispatchRuleEditPermission, p)) {
      return MakeError(ErrorCode::kForbidden,
                       "a unit named by this rule is outside your dispatch:rule:edit scope");
    }
  }
  return Status::Ok();
}

Status WriteCoUnits(storage::Tx& tx, int64_t rule_id, const std::vector<int64_t>& co) {
  HUIYIN_TRY(tx.Exec("DELETE FROM dispatch_rule_co_units WHERE rule_id = ?", {rule_id}));
  for (size_t i = 0; i < co.size(); ++i) {
    HUIYIN_TRY(tx.Exec("INSERT INTO dispatch_rule_co_units (rule_id, org_id, seq) VALUES (?, ?, ?)",
                       {rule_id, co[i], static_cast<int64_t>(i)}));
  }
  return Status::Ok();
}

Result<int64_t> InsertRule(storage::Tx& tx, const RuleInput& in, std::optional<int64_t> actor,
                           Timestamp now) {
  const int64_t ms = ToMillis(now);
  HUIYIN_ASSIGN_OR_RETURN(
      auto id, tx.QueryInt("INSERT INTO dispatch_rules (category_code, region_code, lead_org_id, "
                           "priority, note, active, version, created_at, created_by, updated_at, "
                           "updated_by) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) RETURNING id",
                           {in.category_code, in.region_code, in.lead_org_id, in.priority, in.note,
                            in.active, ms, actor, ms, actor}));
  if (!id) return MakeError(ErrorCode::kInternal, "rule id not returned");
  HUIYIN_TRY(WriteCoUnits(tx, *id, in.co_org_ids));
  return *id;
}

// The region and its ancestors, nearest first: from the regions table, or (for a code it does not
// know) by the GB/T 2260 structure 220502 → 220500 → 220000.
Result<std::vector<std::pair<std::string, std::string>>> RegionChain(storage::Tx& tx,
                                                                     std::string code) {
  std::vector<std::pair<std::string, std::string>> chain;  // (code, name)
  while (!code.empty() && chain.size() < 6) {
    if (std::any_of(chain.begin(), chain.end(), [&](const auto& c) { return c.first == code; })) {
      break;
    }
    std::optional<std::optional<std::string>> parent;
    std::string name;
    HUIYIN_TRY(tx.Query("SELECT parent_code, name FROM regions WHERE code = ?", {code},
                        [&](const storage::Row& row) {
                          parent = row.OptString(0);
                          name = row.String(1);
                        }));
    chain.emplace_back(code, name);
    if (parent) {
      code = parent->value_or("");
    } else if (IsRegionCode(code) && code.substr(4) != "00") {
      code = code.substr(0, 4) + "00";
    } else if (IsRegionCode(code) && code.substr(2) != "0000") {
      code = code.substr(0, 2) + "0000";
    } else {
      code.clear();
    }
  }
  return chain;
}

std::string RegionLabel(const std::string& code, const std::string& name) {
  return (name.empty() ? std::string("区划") : name) + "(" + code + ")";
}

}  // namespace

// ---- names --------------------------------------------------------------------------------------

std::string_view AttributeTypeName(AttributeType type) {
  switch (type) {
    case AttributeType::kString:
      return "string";
    case AttributeType::kNumber:
      return "number";
    case AttributeType::kDatetime:
      return "datetime";
    case AttributeType::kText:
      return "text";
    case AttributeType::kSingleValueList:
      return "singlevaluelist";
    case AttributeType::kMultiValueList:
      return "multivaluelist";
  }
  return "string";
}

std::optional<AttributeType> ParseAttributeType(std::string_view name) {
  for (auto t :
       {AttributeType::kString, AttributeType::kNumber, AttributeType::kDatetime,
        AttributeType::kText, AttributeType::kSingleValueList, AttributeType::kMultiValueList}) {
    if (AttributeTypeName(t) == name) return t;
  }
  return std::nullopt;
}

std::string_view RuleMatchName(RuleMatch match) {
  switch (match) {
    case RuleMatch::kRegion:
      return "region";
    case RuleMatch::kParentRegion:
      return "parent_region";
    case RuleMatch::kAnyRegion:
      return "any_region";
  }
  return "any_region";
}

// ---- categories ---------------------------------------------------------------------------------

Result<std::vector<Category>> CatalogueService::ListCategories(bool public_only,
                                                               bool include_inactive) {
  HUIYIN_ASSIGN_OR_RETURN(
      auto all,
      db_.ReadValue<std::vector<Category>>([&](storage::Tx& tx) -> Result<std::vector<Category>> {
        std::vector<Category> out;
        std::string sql = "SELECT " + std::string(kCategoryColumns) + " FROM categories";
        if (public_only) {
          sql += " WHERE active = 1 AND public = 1";
        } else if (!include_inactive) {
          sql += " WHERE active = 1";
        }
        sql += " ORDER BY sort_order, code";
        HUIYIN_TRY(
            tx.Query(sql, {}, [&](const storage::Row& row) { out.push_back(CategoryOf(row)); }));
        HUIYIN_TRY(LoadAttributes(tx, out, std::nullopt));
        return out;
      }));
  // Parents before children, siblings by (order, code): depth-first.
  std::map<std::string, std::vector<size_t>> children;  // "" = roots
  std::set<std::string> present;
  for (const auto& c : all) present.insert(c.code);
  for (size_t i = 0; i < all.size(); ++i) {
    std::string parent = all[i].parent_code.value_or("");
    if (!parent.empty() && !present.count(parent)) parent.clear();
    children[parent].push_back(i);
  }
  std::vector<Category> out;
  out.reserve(all.size());
  std::vector<size_t> stack;
  auto push_children = [&](const std::string& parent) {
    auto it = children.find(parent);
    if (it == children.end()) return;
    for (auto c = it->second.rbegin(); c != it->second.rend(); ++c) stack.push_back(*c);
  };
  push_children("");
  while (!stack.empty()) {
    size_t i = stack.back();
    stack.pop_back();
    out.push_back(all[i]);
    push_children(all[i].code);
  }
  return out;
}

Result<Category> CatalogueService::GetCategory(std::string_view code, bool public_only) {
  return db_.ReadValue<Category>([&](storage::Tx& tx) -> Result<Category> {
    HUIYIN_ASSIGN_OR_RETURN(auto c, LoadCategory(tx, code));
    if (!c || (public_only && (!c->active || !c->is_public))) return CategoryNotFound(code);
    return std::move(*c);
  });
}

Result<Category> CatalogueService::CreateCategory(const Principal& actor,
                                                  const CategoryInput& input,
                                                  const RequestMeta& meta) {
  HUIYIN_TRY(RequireCityWideEditor(actor));
  return db_.WriteValue<Category>([&](storage::Tx& tx) -> Result<Category> {
    HUIYIN_ASSIGN_OR_RETURN(Category c, InsertCategory(tx, input, ActorId(actor), meta.now));
    HUIYIN_TRY(Audit(tx, actor, meta, "catalogue.category_create", "category", c.code,
                     CategorySummary(c)));
    return c;
  });
}

Result<Category> CatalogueService::UpdateCategory(const Principal& actor, std::string_view code,
                                                  int64_t version, const CategoryInput& input,
                                                  const RequestMeta& meta) {
  HUIYIN_TRY(RequireCityWideEditor(actor));
  CategoryInput in = input;
  HUIYIN_TRY(ValidateCategoryInput(in, false));
  return db_.WriteValue<Category>([&](storage::Tx& tx) -> Result<Category> {
    HUIYIN_ASSIGN_OR_RETURN(auto cur, LoadCategory(tx, code));
    if (!cur) return CategoryNotFound(code);
    if (cur->version != version) {
      return MakeError(ErrorCode::kVersionConflict, "category " + cur->code + " is at version " +
                                                        std::to_string(cur->version) + ", not " +
                                                        std::to_string(version) +
                                                        ": reload it and apply your change again");
    }
    if (in.group.empty()) in.group = cur->group;
    HUIYIN_ASSIGN_OR_RETURN(
        int64_t changed,
        tx.Exec(
            "UPDATE categories SET name = ?, name_en = ?, description = ?, keywords = ?, "
            "group_name = ?, public = ?, active = ?, sort_order = ?, version = version + 1, "
            "updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
            {in.name, in.name_en, in.description, Join(in.keywords, ","), in.group, in.is_public,
             in.active, in.order, ToMillis(meta.now), ActorId(actor), cur->id, version}));
    if (changed != 1) {
      return MakeError(ErrorCode::kVersionConflict,
                       "category " + cur->code + " changed meanwhile: reload it");
    }
    HUIYIN_TRY(tx.Exec("DELETE FROM category_attributes WHERE category_id = ?", {cur->id}));
    HUIYIN_TRY(InsertAttributes(tx, cur->id, in.attributes));
    HUIYIN_ASSIGN_OR_RETURN(auto after, LoadCategory(tx, code));
    HUIYIN_TRY(Audit(tx, actor, meta, "catalogue.category_update", "category", after->code,
                     CategorySummary(*after)));
    return std::move(*after);
  });
}

// ---- attribute values ---------------------------------------------------------------------------

Status ValidateAttributeValues(const std::vector<AttributeDef>& defs,
                               const AttributeValues& values) {
  std::vector<FieldError> errors;
  auto field_of = [](const std::string& code) { return "attribute[" + code + "]"; };
  for (const auto& [code, given] : values) {
    auto def = std::find_if(defs.begin(), defs.end(),
                            [&](const AttributeDef& d) { return d.code == code; });
    if (def == defs.end()) {
      errors.push_back({field_of(code), "is not a question of this category"});
    } else if (!def->variable) {
      bool any = std::any_of(given.begin(), given.end(),
                             [](const std::string& v) { return !Trim(v).empty(); });
      if (any) errors.push_back({field_of(code), "is informational and takes no value"});
    }
  }
  for (const auto& def : defs) {
    if (!def.variable) continue;
    const std::string field = field_of(def.code);
    std::vector<std::string> given;
    if (auto it = values.find(def.code); it != values.end()) {
      for (const auto& v : it->second) {
        std::string t = def.datatype == AttributeType::kText ? v : Trim(v);
        if (!Trim(t).empty()) given.push_back(std::move(t));
      }
    }
    if (given.empty()) {
      if (def.required) errors.push_back({field, "is required: " + def.description});
      continue;
    }
    if (def.datatype != AttributeType::kMultiValueList && given.size() > 1) {
      errors.push_back({field, "takes one value, not " + std::to_string(given.size())});
      continue;
    }
    std::set<std::string> seen;
    for (const auto& v : given) {
      if (!seen.insert(v).second) {
        errors.push_back({field, "'" + v + "' is given twice"});
        continue;
      }
      CheckOneValue(def, v, field, errors);
    }
  }
  if (!errors.empty()) return FieldErrors(std::move(errors));
  return Status::Ok();
}

Status CatalogueService::ValidateAttributes(std::string_view category_code,
                                            const AttributeValues& values) {
  HUIYIN_ASSIGN_OR_RETURN(Category c, GetCategory(category_code));
  return ValidateAttributeValues(c.attributes, values);
}

// ---- rules --------------------------------------------------------------------------------------

Result<std::vector<DispatchRule>> CatalogueService::ListRules(const Principal& actor,
                                                              const RuleFilter& filter) {
  if (!IsStaffLike(actor)) {
    return MakeError(ErrorCode::kForbidden, "dispatch rules are for staff accounts");
  }
  return db_.ReadValue<std::vector<DispatchRule>>(
      [&](storage::Tx& tx) -> Result<std::vector<DispatchRule>> {
        std::string sql = "SELECT " + std::string(kRuleColumns) +
                          " FROM dispatch_rules r JOIN orgs o ON o.id = r.lead_org_id WHERE 1 = 1";
        std::vector<storage::Param> params;
        if (!filter.include_inactive) sql += " AND r.active = 1";
        if (filter.category_code) {
          sql += " AND r.category_code = ?";
          params.emplace_back(std::string_view(*filter.category_code));
        }
        if (filter.region_code) {
          sql += " AND r.region_code = ?";
          params.emplace_back(std::string_view(*filter.region_code));
        }
        sql +=
            " ORDER BY r.category_code, CASE WHEN r.region_code IS NULL THEN 1 ELSE 0 END, "
            "r.region_code, r.priority, r.id";
        std::vector<LoadedRule> rules;
        HUIYIN_TRY(tx.Query(sql, storage::ParamSpan(params.data(), params.size()),
                            [&](const storage::Row& row) { rules.push_back(RuleOf(row)); }));
        HUIYIN_TRY(LoadCoUnits(tx, rules));
        std::vector<DispatchRule> out;
        out.reserve(rules.size());
        for (auto& r : rules) out.push_back(std::move(r.rule));
        return out;
      });
}

Result<DispatchRule> CatalogueService::GetRule(const Principal& actor, int64_t id) {
  if (!IsStaffLike(actor)) {
    return MakeError(ErrorCode::kForbidden, "dispatch rules are for staff accounts");
  }
  return db_.ReadValue<DispatchRule>([&](storage::Tx& tx) -> Result<DispatchRule> {
    HUIYIN_ASSIGN_OR_RETURN(auto r, LoadRule(tx, id));
    if (!r) return RuleNotFound(id);
    return std::move(r->rule);
  });
}

Result<DispatchRule> CatalogueService::CreateRule(const Principal& actor, const RuleInput& input,
                                                  const RequestMeta& meta) {
  if (!actor.HasPermission(kDispatchRuleEditPermission)) {
    return MakeError(ErrorCode::kForbidden, "editing dispatch rules needs dispatch:rule:edit");
  }
  return db_.WriteValue<DispatchRule>([&](storage::Tx& tx) -> Result<DispatchRule> {
    RuleInput in = input;
    HUIYIN_ASSIGN_OR_RETURN(auto paths, CheckRuleInput(tx, in));
    HUIYIN_TRY(RequireRuleScope(actor, paths));
    HUIYIN_ASSIGN_OR_RETURN(int64_t id, InsertRule(tx, in, ActorId(actor), meta.now));
    HUIYIN_ASSIGN_OR_RETURN(auto created, LoadRule(tx, id));
    HUIYIN_TRY(Audit(tx, actor, meta, "dispatch.rule_create", "dispatch_rule", std::to_string(id),
                     RuleSummary(created->rule)));
    return std::move(created->rule);
  });
}

Result<DispatchRule> CatalogueService::UpdateRule(const Principal& actor, int64_t id,
                                                  int64_t version, const RuleInput& input,
                                                  const RequestMeta& meta) {
  if (!actor.HasPermission(kDispatchRuleEditPermission)) {
    return MakeError(ErrorCode::kForbidden, "editing dispatch rules needs dispatch:rule:edit");
  }
  return db_.WriteValue<DispatchRule>([&](storage::Tx& tx) -> Result<DispatchRule> {
    HUIYIN_ASSIGN_OR_RETURN(auto cur, LoadRule(tx, id));
    if (!cur) return RuleNotFound(id);
    HUIYIN_TRY(RequireRuleScope(actor, cur->paths));
    if (cur->rule.version != version) {
      return MakeError(ErrorCode::kVersionConflict,
                       "dispatch rule " + std::to_string(id) + " is at version " +
                           std::to_string(cur->rule.version) + ", not " + std::to_string(version) +
                           ": reload it and apply your change again");
    }
    RuleInput in = input;
    HUIYIN_ASSIGN_OR_RETURN(auto paths, CheckRuleInput(tx, in));
    HUIYIN_TRY(RequireRuleScope(actor, paths));
    HUIYIN_ASSIGN_OR_RETURN(
        int64_t changed,
        tx.Exec("UPDATE dispatch_rules SET category_code = ?, region_code = ?, lead_org_id = ?, "
                "priority = ?, note = ?, active = ?, version = version + 1, updated_at = ?, "
                "updated_by = ? WHERE id = ? AND version = ?",
                {in.category_code, in.region_code, in.lead_org_id, in.priority, in.note, in.active,
                 ToMillis(meta.now), ActorId(actor), id, version}));
    if (changed != 1) {
      return MakeError(ErrorCode::kVersionConflict,
                       "dispatch rule " + std::to_string(id) + " changed meanwhile: reload it");
    }
    HUIYIN_TRY(WriteCoUnits(tx, id, in.co_org_ids));
    HUIYIN_ASSIGN_OR_RETURN(auto after, LoadRule(tx, id));
    HUIYIN_TRY(Audit(tx, actor, meta, "dispatch.rule_update", "dispatch_rule", std::to_string(id),
                     RuleSummary(after->rule)));
    return std::move(after->rule);
  });
}

Result<DispatchRule> CatalogueService::DeactivateRule(const Principal& actor, int64_t id,
                                                      std::optional<int64_t> version,
                                                      const RequestMeta& meta) {
  if (!actor.HasPermission(kDispatchRuleEditPermission)) {
    return MakeError(ErrorCode::kForbidden, "editing dispatch rules needs dispatch:rule:edit");
  }
  return db_.WriteValue<DispatchRule>([&](storage::Tx& tx) -> Result<DispatchRule> {
    HUIYIN_ASSIGN_OR_RETURN(auto cur, LoadRule(tx, id));
    if (!cur) return RuleNotFound(id);
    HUIYIN_TRY(RequireRuleScope(actor, cur->paths));
    if (version && cur->rule.version != *version) {
      return MakeError(ErrorCode::kVersionConflict,
                       "dispatch rule " + std::to_string(id) + " is at version " +
                           std::to_string(cur->rule.version) + ", not " + std::to_string(*version) +
                           ": reload it");
    }
    if (!cur->rule.active) return std::move(cur->rule);  // already inactive: nothing to do
    HUIYIN_TRY(
        tx.Exec("UPDATE dispatch_rules SET active = 0, version = version + 1, updated_at = ?, "
                "updated_by = ? WHERE id = ?",
                {ToMillis(meta.now), ActorId(actor), id}));
    HUIYIN_ASSIGN_OR_RETURN(auto after, LoadRule(tx, id));
    HUIYIN_TRY(Audit(tx, actor, meta, "dispatch.rule_deactivate", "dispatch_rule",
                     std::to_string(id), RuleSummary(after->rule)));
    return std::move(after->rule);
  });
}

Result<std::vector<UnitSuggestion>> CatalogueService::SuggestUnits(const Principal& actor,
                                                                   std::string_view category_code,
                                                                   std::string_view region_code) {
  if (!actor.HasPermission(kDispatchPermission) &&
      !actor.HasPermission(kDispatchRuleEditPermission)) {
    return MakeError(ErrorCode::kForbidden,
                     "dispatch suggestions are for dispatchers (hotline:case:dispatch)");
  }
  if (!region_code.empty() && !IsRegionCode(region_code)) {
    return FieldInvalid("region_code", "must be a 6-digit GB/T 2260 code such as 220502");
  }
  return db_.ReadValue<std::vector<UnitSuggestion>>(
      [&](storage::Tx& tx) -> Result<std::vector<UnitSuggestion>> {
        HUIYIN_ASSIGN_OR_RETURN(auto category, LoadCategory(tx, category_code));
        if (!category) return CategoryNotFound(category_code);
        std::vector<std::pair<std::string, std::string>> regions;
        if (!region_code.empty()) {
          HUIYIN_ASSIGN_OR_RETURN(regions, RegionChain(tx, std::string(region_code)));
        }
        std::vector<UnitSuggestion> out;
        std::optional<std::string> code = category->code;
        while (code && out.empty()) {
          HUIYIN_ASSIGN_OR_RETURN(auto cat, LoadCategory(tx, *code));
          std::vector<LoadedRule> rules;
          HUIYIN_TRY(tx.Query("SELECT " + std::string(kRuleColumns) +
                                  " FROM dispatch_rules r JOIN orgs o ON o.id = r.lead_org_id "
                                  "WHERE r.category_code = ? AND r.active = 1 AND o.active = 1",
                              {*code},
                              [&](const storage::Row& row) { rules.push_back(RuleOf(row)); }));
          HUIYIN_TRY(LoadCoUnits(tx, rules));
          // (level, priority, id): level = index in the region chain; any region after all.
          std::vector<std::pair<size_t, const LoadedRule*>> applicable;
          for (const auto& r : rules) {
            if (!r.rule.region_code) {
              applicable.emplace_back(regions.size(), &r);
              continue;
            }
            for (size_t i = 0; i < regions.size(); ++i) {
              if (regions[i].first == *r.rule.region_code) {
                applicable.emplace_back(i, &r);
                break;
              }
            }
          }
          std::sort(applicable.begin(), applicable.end(), [](const auto& a, const auto& b) {
            if (a.first != b.first) return a.first < b.first;
            if (a.second->rule.priority != b.second->rule.priority) {
              return a.second->rule.priority < b.second->rule.priority;
            }
            return a.second->rule.id < b.second->rule.id;
          });
          std::set<int64_t> seen;
          const std::string cat_name = cat ? cat->name : *code;
          const bool inherited = *code != category->code;
          for (const auto& [level, lr] : applicable) {
            const DispatchRule& rule = lr->rule;
            RuleMatch match = level == regions.size() ? RuleMatch::kAnyRegion
                              : level == 0            ? RuleMatch::kRegion
                                                      : RuleMatch::kParentRegion;
            std::string where;
            switch (match) {
              case RuleMatch::kRegion:
                where = RegionLabel(regions[level].first, regions[level].second) + "的规则";
                break;
              case RuleMatch::kParentRegion:
                where = "上级区划" + RegionLabel(regions[level].first, regions[level].second) +
                        "的规则";
                break;
              case RuleMatch::kAnyRegion:
                where = "不限区划的规则";
                break;
            }
            std::string base = where + " #" + std::to_string(rule.id) + "「" + cat_name + "」";
            if (inherited) base += "(按上级分类)";
            auto add = [&](const RuleUnit& unit, const std::string& role) {
              if (!seen.insert(unit.org_id).second) return;
              UnitSuggestion s;
              s.unit = unit;
              s.role = role;
              s.rule_id = rule.id;
              s.rule_category = rule.category_code;
              s.rule_region = rule.region_code;
              s.match = match;
              s.priority = rule.priority;
              s.reason = base + (role == "lead" ? ":牵头单位 " : ":协办单位 ") + unit.name;
              if (!rule.note.empty()) s.reason += "(" + rule.note + ")";
              out.push_back(std::move(s));
            };
            add(rule.lead, "lead");
            for (const auto& co : rule.co_units) add(co, "co");
          }
          code = cat ? cat->parent_code : std::nullopt;
        }
        return out;
      });
}

// ---- demo catalogue -----------------------------------------------------------------------------

namespace {

Error BadDemo(const std::string& at, const std::string& message) {
  return FieldInvalid(at, message);
}

Result<std::string> Str(const json& o, const char* key, const std::string& at, bool required) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) {
    if (required) return BadDemo(at + "/" + key, "is required");
    return std::string();
  }
  if (!it->is_string()) return BadDemo(at + "/" + key, "must be a string");
  return it->get<std::string>();
}

Result<std::vector<std::string>> StrList(const json& o, const char* key, const std::string& at) {
  std::vector<std::string> out;
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return out;
  if (!it->is_array()) return BadDemo(at + "/" + key, "must be an array of strings");
  for (const auto& v : *it) {
    if (!v.is_string()) return BadDemo(at + "/" + key, "must be an array of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

Result<CategoryInput> DemoCategory(const json& c, const std::string& at) {
  if (!c.is_object()) return BadDemo(at, "must be an object");
  CategoryInput in;
  HUIYIN_ASSIGN_OR_RETURN(in.code, Str(c, "code", at, true));
  HUIYIN_ASSIGN_OR_RETURN(in.name, Str(c, "name", at, true));
  HUIYIN_ASSIGN_OR_RETURN(in.name_en, Str(c, "name_en", at, false));
  HUIYIN_ASSIGN_OR_RETURN(in.description, Str(c, "description", at, false));
  HUIYIN_ASSIGN_OR_RETURN(in.group, Str(c, "group", at, false));
  HUIYIN_ASSIGN_OR_RETURN(in.keywords, StrList(c, "keywords", at));
  in.is_public = c.value("public", true);
  in.order = c.value("order", 0);
  auto attrs = c.find("attributes");
  if (attrs != c.end() && !attrs->is_null()) {
    if (!attrs->is_array()) return BadDemo(at + "/attributes", "must be an array");
    for (size_t i = 0; i < attrs->size(); ++i) {
      const json& a = (*attrs)[i];
      const std::string aat = at + "/attributes/" + std::to_string(i);
      if (!a.is_object()) return BadDemo(aat, "must be an object");
      AttributeDef d;
      HUIYIN_ASSIGN_OR_RETURN(d.code, Str(a, "code", aat, true));
      HUIYIN_ASSIGN_OR_RETURN(std::string type, Str(a, "datatype", aat, true));
      auto t = ParseAttributeType(type);
      if (!t) return BadDemo(aat + "/datatype", "unknown datatype " + type);
      d.datatype = *t;
      d.required = a.value("required", false);
      d.variable = a.value("variable", true);
      d.order = a.value("order", static_cast<int>(i + 1));
      HUIYIN_ASSIGN_OR_RETURN(d.description, Str(a, "description", aat, true));
      HUIYIN_ASSIGN_OR_RETURN(d.datatype_description, Str(a, "datatype_description", aat, false));
      auto values = a.find("values");
      if (values != a.end() && values->is_array()) {
        for (const auto& v : *values) {
          if (!v.is_object()) return BadDemo(aat + "/values", "must be objects {key, name}");
          d.values.push_back({v.value("key", std::string()), v.value("name", std::string())});
        }
      }
      in.attributes.push_back(std::move(d));
    }
  }
  return in;
}

Result<int64_t> OrgIdByCode(storage::Tx& tx, const std::string& code, const std::string& at) {
  HUIYIN_ASSIGN_OR_RETURN(auto id, tx.QueryInt("SELECT id FROM orgs WHERE code = ?", {code}));
  if (!id) {
    return BadDemo(at, "unknown organisation " + code + ": load the demo city first (huiyin demo)");
  }
  return *id;
}

}  // namespace

Result<CatalogueDemoSummary> LoadDemoCatalogueJson(storage::Database& db, std::string_view text,
                                                   Timestamp now) {
  json data = json::parse(text, nullptr, false);
  if (data.is_discarded() || !data.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "the demo catalogue is not a JSON object");
  }
  if (data.value("format", std::string()) != "huiyin-catalogue/1") {
    return BadDemo("format", "must be \"huiyin-catalogue/1\"");
  }
  return db.WriteValue<CatalogueDemoSummary>([&](storage::Tx& tx) -> Result<CatalogueDemoSummary> {
    CatalogueDemoSummary s;
    const json empty = json::array();
    const json& cats = data.contains("categories") ? data["categories"] : empty;
    for (size_t i = 0; i < cats.size(); ++i) {
      const std::string at = "categories/" + std::to_string(i);
      HUIYIN_ASSIGN_OR_RETURN(CategoryInput in, DemoCategory(cats[i], at));
      HUIYIN_ASSIGN_OR_RETURN(auto existing, LoadCategory(tx, in.code));
      if (existing) continue;
      auto c = InsertCategory(tx, in, std::nullopt, now);
      if (!c.ok()) return BadDemo(at, c.error().detail);
      ++s.categories;
    }
    const json& rules = data.contains("rules") ? data["rules"] : empty;
    for (size_t i = 0; i < rules.size(); ++i) {
      const std::string at = "rules/" + std::to_string(i);
      const json& r = rules[i];
      if (!r.is_object()) return BadDemo(at, "must be an object");
      RuleInput in;
      HUIYIN_ASSIGN_OR_RETURN(in.category_code, Str(r, "category", at, true));
      HUIYIN_ASSIGN_OR_RETURN(std::string region, Str(r, "region", at, false));
      if (!region.empty()) in.region_code = region;
      HUIYIN_ASSIGN_OR_RETURN(std::string lead, Str(r, "lead", at, true));
      HUIYIN_ASSIGN_OR_RETURN(in.lead_org_id, OrgIdByCode(tx, lead, at + "/lead"));
      HUIYIN_ASSIGN_OR_RETURN(auto co, StrList(r, "co", at));
      for (const auto& c : co) {
        HUIYIN_ASSIGN_OR_RETURN(int64_t id, OrgIdByCode(tx, c, at + "/co"));
        in.co_org_ids.push_back(id);
      }
      in.priority = r.value("priority", 100);
      HUIYIN_ASSIGN_OR_RETURN(in.note, Str(r, "note", at, false));
      std::optional<int64_t> dup;
      if (in.region_code) {
        HUIYIN_ASSIGN_OR_RETURN(
            dup, tx.QueryInt("SELECT COUNT(*) FROM dispatch_rules WHERE category_code = ? AND "
                             "region_code = ? AND lead_org_id = ?",
                             {in.category_code, *in.region_code, in.lead_org_id}));
      } else {
        HUIYIN_ASSIGN_OR_RETURN(
            dup, tx.QueryInt("SELECT COUNT(*) FROM dispatch_rules WHERE category_code = ? AND "
                             "region_code IS NULL AND lead_org_id = ?",
                             {in.category_code, in.lead_org_id}));
      }
      if (dup.value_or(0) > 0) continue;
      auto checked = CheckRuleInput(tx, in);
      if (!checked.ok()) return BadDemo(at, checked.error().detail);
      HUIYIN_TRY(InsertRule(tx, in, std::nullopt, now));
      ++s.rules;
    }
    const json& articles = data.contains("articles") ? data["articles"] : empty;
    for (size_t i = 0; i < articles.size(); ++i) {
      const std::string at = "articles/" + std::to_string(i);
      const json& a = articles[i];
      if (!a.is_object()) return BadDemo(at, "must be an object");
      ArticleInput in;
      HUIYIN_ASSIGN_OR_RETURN(in.title, Str(a, "title", at, true));
      HUIYIN_ASSIGN_OR_RETURN(in.body, Str(a, "body", at, true));
      HUIYIN_ASSIGN_OR_RETURN(in.keywords, StrList(a, "keywords", at));
      HUIYIN_ASSIGN_OR_RETURN(std::string category, Str(a, "category", at, false));
      if (!category.empty()) in.category_code = category;
      HUIYIN_ASSIGN_OR_RETURN(std::string org, Str(a, "org", at, true));
      HUIYIN_ASSIGN_OR_RETURN(in.org_id, OrgIdByCode(tx, org, at + "/org"));
      HUIYIN_ASSIGN_OR_RETURN(
          auto dup, tx.QueryInt("SELECT COUNT(*) FROM kb_articles WHERE title = ? AND org_id = ?",
                                {in.title, *in.org_id}));
      if (dup.value_or(0) > 0) continue;
      auto id =
          KnowledgeService::InsertArticle(tx, in, ArticleStatus::kPublished, std::nullopt, now);
      if (!id.ok()) return BadDemo(at, id.error().detail);
      ++s.articles;
    }
    s.already_loaded = s.categories == 0 && s.rules == 0 && s.articles == 0;
    if (s.already_loaded) {
      s.message = "The demo catalogue is already loaded: nothing changed.";
      return s;
    }
    s.message = "Loaded the demo catalogue: " + std::to_string(s.categories) + " categories, " +
                std::to_string(s.rules) + " dispatch rules, " + std::to_string(s.articles) +
                " knowledge articles.";
    RequestMeta meta;
    meta.now = now;
    meta.remote_addr = "local";
    HUIYIN_TRY(
        Audit(tx, SystemPrincipal(), meta, "catalogue.demo_load", "catalogue", "demo", s.message));
    return s;
  });
}

Result<CatalogueDemoSummary> LoadDemoCatalogue(storage::Database& db,
                                               const std::filesystem::path& data_file,
                                               Timestamp now) {
  std::ifstream in(data_file, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "cannot read the demo catalogue " + data_file.string() +
                         ": run from the repository root or pass the file's path");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return LoadDemoCatalogueJson(db, text.str(), now);
}

}  // namespace huiyin::app
