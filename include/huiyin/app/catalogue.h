// The hotline's dispatch catalogue (派单目录, RULES.md §3): a tree of demand categories, each with
// optional extra questions (Open311 GeoReport v2 attribute definitions), and dispatch rules
// category × region → lead unit + co-units that tell the dispatcher who is responsible. It is data
// that administrators change over time (STYLE.md habit 7), never code.
//
// Categories: code "urban.road" = the parent's code + "." + a segment of a-z, 0-9, '_' or '-'.
// Editing categories needs dispatch:rule:edit city-wide; editing a rule needs it over the lead
// unit and every co-unit. Every change is versioned (a stale version is kVersionConflict) and
// audited in the same transaction ("catalogue.category_create", "catalogue.category_update",
// "dispatch.rule_create", "dispatch.rule_update", "dispatch.rule_deactivate"). Nothing is deleted:
// categories and rules are deactivated.
//
// CatalogueService is thread-safe (it holds only the Database reference). Open311 (issue 5) and
// intake read ListCategories / GetCategory and call ValidateAttributes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huiyin/app/context.h"
#include "huiyin/common/result.h"
#include "huiyin/common/time.h"
#include "huiyin/storage/database.h"

namespace huiyin::app {

// The permission that edits categories (city-wide) and dispatch rules (over their units).
inline constexpr std::string_view kDispatchRuleEditPermission = "dispatch:rule:edit";
// The permission that asks for dispatch suggestions (the dispatcher's).
inline constexpr std::string_view kDispatchPermission = "hotline:case:dispatch";

// Open311 GeoReport v2 attribute datatypes.
enum class AttributeType {
  kString,           // one line
  kNumber,           // a decimal number
  kDatetime,         // ISO 8601
  kText,             // several lines
  kSingleValueList,  // one key of `values`
  kMultiValueList,   // one or more keys of `values`
};
// "string", "number", "datetime", "text", "singlevaluelist", "multivaluelist".
std::string_view AttributeTypeName(AttributeType type);
// The type named `name`, or nullopt.
std::optional<AttributeType> ParseAttributeType(std::string_view name);

// One choice of a list attribute.
struct AttributeValue {
  std::string key;   // sent by clients ("central")
  std::string name;  // shown ("集中供热")
};

// An extra question of a category (Open311 "attribute").
struct AttributeDef {
  std::string code;  // a-z, 0-9, '_' ; unique within the category
  AttributeType datatype = AttributeType::kString;
  bool required = false;
  bool variable = true;  // false: informational text, takes no value
  int order = 0;
  std::string description;  // the question ("室内温度(摄氏度)")
  std::string datatype_description;
  std::vector<AttributeValue> values;  // list types only (at least one)
};

struct Category {
  int64_t id = 0;
  std::string code;
  std::optional<std::string> parent_code;
  std::string name;  // zh
  std::string name_en;
  std::string description;
  std::vector<std::string> keywords;
  std::string group;      // Open311 group: the heading it is listed under
  bool is_public = true;  // offered to citizens (portal, Open311)
  bool active = true;
  int order = 0;
  int64_t version = 1;
  Timestamp updated_at{};
  std::vector<AttributeDef> attributes;  // by order, then code
};

// The editable content of a category (create and update). Update replaces the attribute set.
struct CategoryInput {
  std::string code;  // create only (update takes it from the path)
  std::string name;
  std::string name_en;
  std::string description;
  std::vector<std::string> keywords;
  std::string group;  // default: the top-level ancestor's name
  bool is_public = true;
  bool active = true;
  int order = 0;
  std::vector<AttributeDef> attributes;
};

// A unit named by a rule.
struct RuleUnit {
  int64_t org_id = 0;
  std::string code;
  std::string name;
};

struct DispatchRule {
  int64_t id = 0;
  std::string category_code;
  std::optional<std::string> region_code;  // null: any region
  RuleUnit lead;
  std::vector<RuleUnit> co_units;
  int priority = 100;  // smaller first among rules of the same region level
  std::string note;
  bool active = true;
  int64_t version = 1;
  Timestamp updated_at{};
};

struct RuleInput {
  std::string category_code;
  std::optional<std::string> region_code;  // GB/T 2260 code of a known region, or null
  int64_t lead_org_id = 0;
  std::vector<int64_t> co_org_ids;  // distinct, not the lead
  int priority = 100;               // 1..10000
  std::string note;                 // ≤ 500 characters
  bool active = true;               // update: false deactivates, true (re)activates
};

struct RuleFilter {
  std::optional<std::string> category_code;
  std::optional<std::string> region_code;  // rules of exactly this region
  bool include_inactive = false;
};

// How a suggestion was found, most specific first.
enum class RuleMatch { kRegion, kParentRegion, kAnyRegion };
// "region", "parent_region", "any_region".
std::string_view RuleMatchName(RuleMatch match);

// One candidate unit for a demand, best first.
struct UnitSuggestion {
  RuleUnit unit;
  std::string role;  // "lead" or "co"
  int64_t rule_id = 0;
  std::string rule_category;               // the category whose rule matched (maybe an ancestor)
  std::optional<std::string> rule_region;  // the rule's region (null: any)
  RuleMatch match = RuleMatch::kAnyRegion;
  int priority = 100;
  std::string reason;  // for the dispatcher, in Chinese ("东昌区(220502)的规则 #3: 道路破损 → …")
};

// Values of a demand's attributes by attribute code (several values only for multivaluelist).
using AttributeValues = std::map<std::string, std::vector<std::string>>;

class CatalogueService {
 public:
  // `db` must outlive the service.
  explicit CatalogueService(storage::Database& db) : db_(db) {}

  // Every category with its attributes, parents before children (by order, then code). Public
  // readers pass public_only (active public categories only).
  Result<std::vector<Category>> ListCategories(bool public_only, bool include_inactive = false);
  // One category by code with its attributes; kNotFound if absent (or not public/active when
  // public_only).
  Result<Category> GetCategory(std::string_view code, bool public_only = false);
  // Creates a category (dispatch:rule:edit city-wide, else kForbidden). The parent (the code up to
  // the last '.') must exist; a duplicate code is kConflict. Audited "catalogue.category_create".
  Result<Category> CreateCategory(const Principal& actor, const CategoryInput& input,
                                  const RequestMeta& meta);
  // Replaces a category's content and attributes when `version` is current (kVersionConflict
  // otherwise). Audited "catalogue.category_update".
  Result<Category> UpdateCategory(const Principal& actor, std::string_view code, int64_t version,
                                  const CategoryInput& input, const RequestMeta& meta);

  // Checks a demand's attribute values against `category_code`'s definitions: unknown codes,
  // missing required ones, numbers, datetimes, lengths, list membership, several values only for
  // multivaluelist. kInvalidArgument with one FieldError per problem, field "attribute[code]";
  // kNotFound for an unknown category.
  Status ValidateAttributes(std::string_view category_code, const AttributeValues& values);

  // Rules matching `filter`, by category, region (any-region last), priority.
  Result<std::vector<DispatchRule>> ListRules(const Principal& actor, const RuleFilter& filter);
  // One rule; kNotFound if absent.
  Result<DispatchRule> GetRule(const Principal& actor, int64_t id);
  // Creates a rule (dispatch:rule:edit over the lead and co-units, else kForbidden). Audited
  // "dispatch.rule_create".
  Result<DispatchRule> CreateRule(const Principal& actor, const RuleInput& input,
                                  const RequestMeta& meta);
  // Replaces a rule when `version` is current. The actor needs the permission over the old units
  // and the new ones. Audited "dispatch.rule_update".
  Result<DispatchRule> UpdateRule(const Principal& actor, int64_t id, int64_t version,
                                  const RuleInput& input, const RequestMeta& meta);
  // Deactivates a rule (version, when given, must be current). Audited "dispatch.rule_deactivate".
  Result<DispatchRule> DeactivateRule(const Principal& actor, int64_t id,
                                      std::optional<int64_t> version, const RequestMeta& meta);

  // The ranked candidate units for a demand of `category_code` located in `region_code` (may be
  // empty: no region known). Uses the nearest category (itself, else its closest ancestor) that
  // has an active rule applying to the region, then ranks that category's applicable rules: the
  // exact region's first, then its parent region's (and further ancestors'), then any-region
  // rules; within a level by priority, then rule id. Rules of other regions never apply. A unit
  // appears once, at its best rank (a lead before the same unit as co-unit). Needs
  // hotline:case:dispatch or dispatch:rule:edit (kForbidden). kNotFound for an unknown category;
  // an empty list when no rule applies.
  Result<std::vector<UnitSuggestion>> SuggestUnits(const Principal& actor,
                                                   std::string_view category_code,
                                                   std::string_view region_code);

 private:
  storage::Database& db_;
};

// The pure check behind ValidateAttributes: `defs` are a category's attribute definitions.
Status ValidateAttributeValues(const std::vector<AttributeDef>& defs,
                               const AttributeValues& values);

// What LoadDemoCatalogue added (all zero when everything was there already).
struct CatalogueDemoSummary {
  int categories = 0;
  int rules = 0;
  int articles = 0;
  bool already_loaded = false;  // nothing was added
  std::string message;          // one line for the CLI
};

// Loads the demo catalogue file (config/demo/catalogue.json, "huiyin-catalogue/1": categories with
// attributes, dispatch rules naming organisation codes, published knowledge articles) in one
// transaction with one "catalogue.demo_load" audit record. Idempotent: existing categories (by
// code), rules (same category, region and lead) and articles (same title and unit) are kept as
// they are. Needs the demo city's organisations (run after LoadDemo): an unknown organisation or
// region is kInvalidArgument naming the entry.
Result<CatalogueDemoSummary> LoadDemoCatalogue(storage::Database& db,
                                               const std::filesystem::path& data_file,
                                               Timestamp now = Now());
// The same from the file's content.
Result<CatalogueDemoSummary> LoadDemoCatalogueJson(storage::Database& db, std::string_view json,
                                                   Timestamp now = Now());

}  // namespace huiyin::app
