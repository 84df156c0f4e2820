#include "huiyin/app/services.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "app/service_rows.h"
#include "huiyin/app/audit.h"
#include "huiyin/app/crypto.h"
#include "huiyin/app/knowledge.h"
#include "huiyin/app/orgs.h"
#include "huiyin/common/text.h"
#include "huiyin/core/access.h"

namespace huiyin::app {

LoadedItem ItemOf(const storage::Row& r) {
  LoadedItem l;
  ServiceItem& i = l.item;
  i.id = r.Int(0);
  i.code = r.String(1);
  i.main_code = r.String(2);
  i.name = r.String(3);
  i.org_id = r.Int(4);
  i.org_name = r.String(5);
  i.level = r.String(6);
  i.item_type = r.String(7);
  i.handling_kind = r.String(8);
  i.status = ParseItemStatus(r.Text(9)).value_or(ItemStatus::kDraft);
  i.version = r.Int(10);
  i.published_version = r.OptInt(11);
  i.legal_limit_wd = static_cast<int>(r.Int(12));
  i.committed_limit_wd = static_cast<int>(r.Int(13));
  std::string_view events = r.Text(14);
  while (!events.empty()) {
    const size_t sp = events.find(' ');
    if (sp != 0) i.life_events.emplace_back(events.substr(0, sp));
    if (sp == std::string_view::npos) break;
    events.remove_prefix(sp + 1);
  }
  i.created_at = FromMillis(r.Int(15));
  i.updated_at = FromMillis(r.Int(16));
  if (!r.IsNull(17)) i.published_at = FromMillis(r.Int(17));
  if (!r.IsNull(18)) i.abolished_at = FromMillis(r.Int(18));
  l.org_path = r.String(19);
  return l;
}

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr int kMaxLimit = 100;
constexpr int kMaxLimitWorkingDays = 1000;

const std::set<std::string, std::less<>> kHandlingKinds = {"new", "change", "renew", "cancel"};
const std::set<std::string, std::less<>> kItemTypes = {"licensing", "public_service",
                                                       "confirmation", "filing", "other"};
const std::set<std::string, std::less<>> kLevels = {"city", "county", "township"};
const std::set<std::string, std::less<>> kForms = {"original", "copy", "electronic"};
const std::set<std::string, std::less<>> kLifeEvents = {
    "birth",      "schooling", "employment", "business", "housing",         "marriage",
    "retirement", "elderly",   "vehicle",    "health",   "social_security", "construction"};

std::string Joined(const std::set<std::string, std::less<>>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
  return out;
}

// Reads a document field by field, naming the element in every error ("materials[2].form").
class Reader {
 public:
  Result<std::string> Text(const json& o, const std::string& at, const char* key, size_t max,
                           bool required = true) {
    const std::string where = at + key;
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
      if (required) return FieldInvalid(where, "is required");
      return std::string();
    }
    if (!it->is_string()) return FieldInvalid(where, "must be a string");
    std::string v = it->get<std::string>();
    if (required && v.empty()) return FieldInvalid(where, "must not be empty");
    if (CodePoints(v) > max) {
      return FieldInvalid(where, "is longer than " + std::to_string(max) + " characters");
    }
    return v;
  }
  Result<std::string> Enum(const json& o, const std::string& at, const char* key,
                           const std::set<std::string, std::less<>>& allowed) {
    HUIYIN_ASSIGN_OR_RETURN(std::string v, Text(o, at, key, 40));
    if (!allowed.contains(v)) {
      return FieldInvalid(at + key, "must be one of " + Joined(allowed) + ", got \"" + v + "\"");
    }
    return v;
  }
  Result<int> Int(const json& o, const std::string& at, const char* key, int lo, int hi) {
    auto it = o.find(key);
    if (it == o.end() || !it->is_number_integer()) {
      return FieldInvalid(at + key, "must be a whole number");
    }
    const int64_t v = it->get<int64_t>();
    if (v < lo || v > hi) {
      return FieldInvalid(at + key, "must be between " + std::to_string(lo) + " and " +
                                        std::to_string(hi) + ", got " + std::to_string(v));
    }
    return static_cast<int>(v);
  }
  Result<bool> Bool(const json& o, const std::string& at, const char* key) {
    auto it = o.find(key);
    if (it == o.end() || !it->is_boolean()) return FieldInvalid(at + key, "must be true or false");
    return it->get<bool>();
  }
  Result<const json*> Array(const json& o, const char* key, size_t min, size_t max) {
    auto it = o.find(key);
    if (it == o.end() || !it->is_array()) return FieldInvalid(key, "must be an array");
    if (it->size() < min || it->size() > max) {
      return FieldInvalid(key, "must have " + std::to_string(min) + " to " + std::to_string(max) +
                                   " entries, got " + std::to_string(it->size()));
    }
    return &*it;
  }
  static Status Known(const json& o, const std::string& at,
                      std::initializer_list<std::string_view> keys) {
    if (!o.is_object()) return FieldInvalid(at.empty() ? "item" : at, "must be an object");
    for (const auto& [k, v] : o.items()) {
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
        return FieldInvalid(at + k, "is not an element of a catalogue item; remove it");
      }
    }
    return Status::Ok();
  }
};

// GB/T 39554.1 layout: 12-digit basic code, 12-digit division code (GB/T 2260), the implementing
// body's 18-character unified social credit code (GB 32100 characters), 2-3 digit handling item.
bool CodeLayoutOk(std::string_view code) {
  auto credit = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
      return (c >= '0' && c <= '9') ||
             (c >= 'A' && c <= 'Y' && c != 'I' && c != 'O' && c != 'S' && c != 'V' && c != 'Z');
    });
  };
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= code.size(); ++i) {
    if (i == code.size() || code[i] == '-') {
      parts.push_back(code.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts.size() == 4 && parts[0].size() == 12 && AllDigits(parts[0]) &&
         parts[1].size() == 12 && AllDigits(parts[1]) && parts[2].size() == 18 &&
         credit(parts[2]) && (parts[3].size() == 2 || parts[3].size() == 3) && AllDigits(parts[3]);
}

Result<ordered_json> Normalise(const json& in) {
  Reader r;
  HUIYIN_TRY(Reader::Known(
      in, "", {"code",       "name",        "name_en",     "main_code",       "handling_kind",
               "item_type",  "legal_basis", "org",         "level",           "delegated_from",
               "conditions", "materials",   "steps",       "legal_limit_wd",  "committed_limit_wd",
               "fees",       "place",       "hours",       "visits",          "online",
               "phones",     "faq",         "life_events", "validity_months", "status"}));
  ordered_json out;
  HUIYIN_ASSIGN_OR_RETURN(std::string code, r.Text(in, "", "code", 60));
  if (!CodeLayoutOk(code)) {
    return FieldInvalid("code",
                        "must follow GB/T 39554.1: basic code (12 digits) - division code (12 "
                        "digits) - unified social credit code (18) - item number (2-3 digits), "
                        "e.g. 000101001000-220500000000-11220500MB1234567X-01; got \"" +
                            code + "\"");
  }
  out["code"] = code;
  HUIYIN_ASSIGN_OR_RETURN(out["name"], r.Text(in, "", "name", 200));
  HUIYIN_ASSIGN_OR_RETURN(out["name_en"], r.Text(in, "", "name_en", 300, false));
  HUIYIN_ASSIGN_OR_RETURN(std::string main_code, r.Text(in, "", "main_code", 60, false));
  if (main_code == code) return FieldInvalid("main_code", "an item cannot be its own main item");
  out["main_code"] = main_code.empty() ? ordered_json(nullptr) : ordered_json(main_code);
  HUIYIN_ASSIGN_OR_RETURN(out["handling_kind"], r.Enum(in, "", "handling_kind", kHandlingKinds));
  HUIYIN_ASSIGN_OR_RETURN(out["item_type"], r.Enum(in, "", "item_type", kItemTypes));
  HUIYIN_ASSIGN_OR_RETURN(out["legal_basis"], r.Text(in, "", "legal_basis", 4000));
  HUIYIN_ASSIGN_OR_RETURN(out["org"], r.Text(in, "", "org", 100));
  HUIYIN_ASSIGN_OR_RETURN(out["level"], r.Enum(in, "", "level", kLevels));
  HUIYIN_ASSIGN_OR_RETURN(std::string delegated, r.Text(in, "", "delegated_from", 100, false));
  out["delegated_from"] = delegated.empty() ? ordered_json(nullptr) : ordered_json(delegated);

  HUIYIN_ASSIGN_OR_RETURN(const json* conditions, r.Array(in, "conditions", 1, 50));
  out["conditions"] = ordered_json::array();
  for (size_t i = 0; i < conditions->size(); ++i) {
    const json& c = (*conditions)[i];
    if (!c.is_string() || c.get<std::string>().empty()) {
      return FieldInvalid("conditions[" + std::to_string(i) + "]", "must be a non-empty string");
    }
    out["conditions"].push_back(c.get<std::string>());
  }

  HUIYIN_ASSIGN_OR_RETURN(const json* materials, r.Array(in, "materials", 1, 100));
  out["materials"] = ordered_json::array();
  for (size_t i = 0; i < materials->size(); ++i) {
    const json& m = (*materials)[i];
    const std::string at = "materials[" + std::to_string(i) + "].";
    HUIYIN_TRY(
        Reader::Known(m, at, {"name", "form", "copies", "required", "condition", "template"}));
    ordered_json x;
    HUIYIN_ASSIGN_OR_RETURN(x["name"], r.Text(m, at, "name", 200));
    HUIYIN_ASSIGN_OR_RETURN(x["form"], r.Enum(m, at, "form", kForms));
    HUIYIN_ASSIGN_OR_RETURN(x["copies"], r.Int(m, at, "copies", 0, 20));
    HUIYIN_ASSIGN_OR_RETURN(bool required, r.Bool(m, at, "required"));
    x["required"] = required;
    HUIYIN_ASSIGN_OR_RETURN(std::string condition, r.Text(m, at, "condition", 500, false));
    x["condition"] = condition.empty() ? ordered_json(nullptr) : ordered_json(condition);
    HUIYIN_ASSIGN_OR_RETURN(std::string tmpl, r.Text(m, at, "template", 300, false));
    if (tmpl.find("..") != std::string::npos || (!tmpl.empty() && tmpl.front() == '/')) {
      return FieldInvalid(at + "template", "must be a relative path without \"..\"");
    }
    x["template"] = tmpl.empty() ? ordered_json(nullptr) : ordered_json(tmpl);
    out["materials"].push_back(std::move(x));
  }

  HUIYIN_ASSIGN_OR_RETURN(const json* steps, r.Array(in, "steps", 1, 30));
  out["steps"] = ordered_json::array();
  int counted = 0;
  for (size_t i = 0; i < steps->size(); ++i) {
    const json& s = (*steps)[i];
    const std::string at = "steps[" + std::to_string(i) + "].";
    HUIYIN_TRY(Reader::Known(s, at, {"name", "working_days", "counts"}));
    ordered_json x;
    HUIYIN_ASSIGN_OR_RETURN(x["name"], r.Text(s, at, "name", 100));
    HUIYIN_ASSIGN_OR_RETURN(int days, r.Int(s, at, "working_days", 0, kMaxLimitWorkingDays));
    HUIYIN_ASSIGN_OR_RETURN(bool counts, r.Bool(s, at, "counts"));
    x["working_days"] = days;
    x["counts"] = counts;
    if (counts) counted += days;
    out["steps"].push_back(std::move(x));
  }
  HUIYIN_ASSIGN_OR_RETURN(int legal, r.Int(in, "", "legal_limit_wd", 1, kMaxLimitWorkingDays));
  HUIYIN_ASSIGN_OR_RETURN(int committed,
                          r.Int(in, "", "committed_limit_wd", 0, kMaxLimitWorkingDays));
  if (committed > legal) {
    return FieldInvalid("committed_limit_wd",
                        std::to_string(committed) + " is above the legal limit " +
                            std::to_string(legal) + ": a commitment may only shorten the law's");
  }
  if (counted > committed) {
    return FieldInvalid("steps", "the steps that count toward the limit take " +
                                     std::to_string(counted) + " working days, more than the " +
                                     "committed limit of " + std::to_string(committed));
  }
  out["legal_limit_wd"] = legal;
  out["committed_limit_wd"] = committed;

  HUIYIN_ASSIGN_OR_RETURN(const json* fees, r.Array(in, "fees", 0, 20));
  out["fees"] = ordered_json::array();
  for (size_t i = 0; i < fees->size(); ++i) {
    const json& f = (*fees)[i];
    const std::string at = "fees[" + std::to_string(i) + "].";
    HUIYIN_TRY(Reader::Known(f, at, {"name", "amount_yuan", "basis"}));
    ordered_json x;
    HUIYIN_ASSIGN_OR_RETURN(x["name"], r.Text(f, at, "name", 200));
    auto amount = f.find("amount_yuan");
    if (amount == f.end() || !amount->is_number() || amount->get<double>() < 0) {
      return FieldInvalid(at + "amount_yuan", "must be a number of yuan, 0 or more");
    }
    x["amount_yuan"] = amount->get<double>();
    auto basis = r.Text(f, at, "basis", 1000);
    if (!basis.ok()) {
      return FieldInvalid(at + "basis",
                          "is required: no fee may be charged without a law or regulation that "
                          "provides for it (Administrative Licensing Law Art. 58)");
    }
    x["basis"] = *basis;
    out["fees"].push_back(std::move(x));
  }
  HUIYIN_ASSIGN_OR_RETURN(out["place"], r.Text(in, "", "place", 500));
  HUIYIN_ASSIGN_OR_RETURN(out["hours"], r.Text(in, "", "hours", 500));
  HUIYIN_ASSIGN_OR_RETURN(out["visits"], r.Int(in, "", "visits", 0, 10));
  HUIYIN_ASSIGN_OR_RETURN(bool online, r.Bool(in, "", "online"));
  out["online"] = online;
  auto phones = in.find("phones");
  if (phones == in.end() || !phones->is_object()) {
    return FieldInvalid("phones", "must be an object with consult and complaint numbers");
  }
  HUIYIN_TRY(Reader::Known(*phones, "phones.", {"consult", "complaint"}));
  HUIYIN_ASSIGN_OR_RETURN(out["phones"]["consult"], r.Text(*phones, "phones.", "consult", 40));
  HUIYIN_ASSIGN_OR_RETURN(out["phones"]["complaint"], r.Text(*phones, "phones.", "complaint", 40));
  HUIYIN_ASSIGN_OR_RETURN(const json* faq, r.Array(in, "faq", 0, 50));
  out["faq"] = ordered_json::array();
  for (size_t i = 0; i < faq->size(); ++i) {
    const json& f = (*faq)[i];
    const std::string at = "faq[" + std::to_string(i) + "].";
    HUIYIN_TRY(Reader::Known(f, at, {"q", "a"}));
    ordered_json x;
    HUIYIN_ASSIGN_OR_RETURN(x["q"], r.Text(f, at, "q", 500));
    HUIYIN_ASSIGN_OR_RETURN(x["a"], r.Text(f, at, "a", 4000));
    out["faq"].push_back(std::move(x));
  }
  HUIYIN_ASSIGN_OR_RETURN(const json* events, r.Array(in, "life_events", 0, 12));
  out["life_events"] = ordered_json::array();
  for (size_t i = 0; i < events->size(); ++i) {
    const json& e = (*events)[i];
    if (!e.is_string() || !kLifeEvents.contains(e.get<std::string>())) {
      return FieldInvalid("life_events[" + std::to_string(i) + "]",
                          "must be one of " + Joined(kLifeEvents));
    }
    out["life_events"].push_back(e.get<std::string>());
  }
  auto validity = in.find("validity_months");
  if (validity == in.end() || validity->is_null()) {
    out["validity_months"] = nullptr;
  } else {
    HUIYIN_ASSIGN_OR_RETURN(out["validity_months"], r.Int(in, "", "validity_months", 1, 1200));
  }
  return out;
}

Result<std::optional<LoadedItem>> LoadItem(storage::Tx& tx, std::string_view code) {
  std::optional<LoadedItem> out;
  HUIYIN_TRY(tx.Query("SELECT " + std::string(kItemColumns) +
                          " FROM service_items i JOIN orgs o ON o.id = i.org_id WHERE i.code = ?",
                      {code}, [&](const storage::Row& r) { out = ItemOf(r); }));
  return out;
}

Result<std::string> LoadBody(storage::Tx& tx, int64_t item_id, int64_t version) {
  HUIYIN_ASSIGN_OR_RETURN(
      auto body, tx.QueryText("SELECT body FROM service_item_versions WHERE item_id = ? AND "
                              "version = ?",
                              {item_id, version}));
  if (!body) {
    return MakeError(ErrorCode::kNotFound, "the item has no version " + std::to_string(version));
  }
  return std::move(*body);
}

// The denormalised columns of an item version: what lists, filters and search read.
struct Columns {
  std::string code, main_code, name, org_code, level, item_type, handling_kind, life_events,
      search_text, delegated_from;
  int legal = 0;
  int committed = 0;
  int visits = 0;
};

Columns ColumnsOf(const ordered_json& doc, std::string_view org_name) {
  Columns c;
  c.code = doc["code"].get<std::string>();
  if (doc["main_code"].is_string()) c.main_code = doc["main_code"].get<std::string>();
  c.name = doc["name"].get<std::string>();
  c.org_code = doc["org"].get<std::string>();
  if (doc["delegated_from"].is_string())
    c.delegated_from = doc["delegated_from"].get<std::string>();
  c.level = doc["level"].get<std::string>();
  c.item_type = doc["item_type"].get<std::string>();
  c.handling_kind = doc["handling_kind"].get<std::string>();
  c.legal = doc["legal_limit_wd"].get<int>();
  c.committed = doc["committed_limit_wd"].get<int>();
  c.visits = doc["visits"].get<int>();
  c.life_events = " ";
  for (const auto& e : doc["life_events"]) c.life_events += e.get<std::string>() + " ";
  std::string text =
      c.name + " " + doc["name_en"].get<std::string>() + " " + c.code + " " + std::string(org_name);
  for (const auto& m : doc["materials"]) text += " " + m["name"].get<std::string>();
  for (const auto& f : doc["faq"]) text += " " + f["q"].get<std::string>();
  c.search_text = AsciiLower(text);
  return c;
}

Error StaleVersion(std::string_view code, int64_t given, int64_t current) {
  return MakeError(ErrorCode::kVersionConflict,
                   "item " + std::string(code) + " is at version " + std::to_string(current) +
                       ", not " + std::to_string(given) +
                       ": someone changed it meanwhile; reload it and apply your change again");
}

Status Audit(storage::Tx& tx, const Principal& actor, const RequestMeta& meta, std::string action,
             const ServiceItem& item, const std::string& body) {
  AuditRecord rec = AuditOf(actor, meta, std::move(action), "service_item", item.code);
  rec.digest = Crypto::Sha256Hex("service_item|" + item.code + "|" + std::to_string(item.version) +
                                 "|" + std::string(ItemStatusName(item.status)) + "|" + body);
  auto seq = AppendAudit(tx, rec, meta.now);
  if (!seq.ok()) return std::move(seq).error();
  return Status::Ok();
}

std::optional<int64_t> ActorId(const Principal& actor) {
  return actor.user_id != 0 ? std::optional<int64_t>(actor.user_id) : std::nullopt;
}

// Parses and checks a document, resolving its organisations; returns the normalised document,
// its columns and the implementing organisation.
struct Checked {
  ordered_json doc;
  Columns columns;
  Org org;
};

Result<Checked> Check(storage::Tx& tx, std::string_view document) {
  json in = json::parse(document, nullptr, false);
  if (in.is_discarded()) return FieldInvalid("item", "is not valid JSON");
  HUIYIN_ASSIGN_OR_RETURN(ordered_json doc, Normalise(in));
  HUIYIN_ASSIGN_OR_RETURN(auto org_id, tx.QueryInt("SELECT id FROM orgs WHERE code = ?",
                                                   {doc["org"].get<std::string>()}));
  if (!org_id) {
    return FieldInvalid("org", "no organisation has the code \"" + doc["org"].get<std::string>() +
                                   "\" (GET /api/v1/orgs lists them)");
  }
  HUIYIN_ASSIGN_OR_RETURN(Org o, OrgService::LoadOrg(tx, *org_id));
  Columns c = ColumnsOf(doc, o.name);
  if (!c.delegated_from.empty()) {
    HUIYIN_ASSIGN_OR_RETURN(auto d,
                            tx.QueryInt("SELECT id FROM orgs WHERE code = ?", {c.delegated_from}));
    if (!d) return FieldInvalid("delegated_from", "no organisation has that code");
  }
  return Checked{std::move(doc), std::move(c), std::move(o)};
}

Status WriteVersion(storage::Tx& tx, int64_t item_id, int64_t version, const std::string& body,
                    std::optional<int64_t> actor, Timestamp now) {
  HUIYIN_TRY(
      tx.Exec("INSERT INTO service_item_versions (item_id, version, body, created_at, created_by) "
              "VALUES (?, ?, ?, ?, ?)",
              {item_id, version, body, ToMillis(now), actor}));
  return Status::Ok();
}

// Inserts an item (version 1, content `body`: c.doc as text) with `status`; the main item, if
// named, must exist.
Result<int64_t> InsertItem(storage::Tx& tx, const Checked& c, const std::string& body,
                           ItemStatus status, std::optional<int64_t> actor, Timestamp now) {
  const Columns& k = c.columns;
  if (!k.main_code.empty()) {
    HUIYIN_ASSIGN_OR_RETURN(
        auto main, tx.QueryInt("SELECT id FROM service_items WHERE code = ?", {k.main_code}));
    if (!main) return FieldInvalid("main_code", "no item has the code " + k.main_code);
  }
  HUIYIN_ASSIGN_OR_RETURN(auto exists,
                          tx.QueryInt("SELECT id FROM service_items WHERE code = ?", {k.code}));
  if (exists) return MakeError(ErrorCode::kConflict, "an item with code " + k.code + " exists");
  const bool published = status != ItemStatus::kDraft;
  std::optional<int64_t> when;
  if (published) when = ToMillis(now);
  std::optional<int64_t> abolished;
  if (status == ItemStatus::kAbolished) abolished = ToMillis(now);
  std::optional<int64_t> published_version;
  if (published) published_version = 1;
  HUIYIN_ASSIGN_OR_RETURN(
      auto id,
      tx.QueryInt("INSERT INTO service_items (code, main_code, name, org_id, level, item_type, "
                  "handling_kind, status, version, published_version, legal_limit_wd, "
                  "committed_limit_wd, life_events, search_text, created_at, updated_at, "
                  "published_at, abolished_at, visits) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, "
                  "?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {k.code, k.main_code.empty() ? std::optional<std::string>() : k.main_code, k.name,
                   c.org.id, k.level, k.item_type, k.handling_kind, ItemStatusName(status),
                   published_version, k.legal, k.committed, k.life_events, k.search_text,
                   ToMillis(now), ToMillis(now), when, abolished, k.visits}));
  HUIYIN_TRY(WriteVersion(tx, id.value_or(0), 1, body, actor, now));
  return id.value_or(0);
}

Status RequireOn(const Principal& actor, std::string_view permission, const LoadedItem& item) {
  if (!actor.CanOn(permission, item.org_path)) {
    return MakeError(
        ErrorCode::kForbidden,
        "you may not " +
            std::string(permission == kCataloguePublishPermission ? "publish or abolish"
                                                                  : "change") +
            " items of " + item.item.org_name + ": " + std::string(permission) +
            " does not cover it in your roles");
  }
  return Status::Ok();
}

// The item `code` for a change by `actor` holding `permission`, at `version` (the latest).
Result<LoadedItem> LoadForChange(storage::Tx& tx, const Principal& actor, std::string_view code,
                                 std::string_view permission, int64_t version) {
  HUIYIN_ASSIGN_OR_RETURN(auto loaded, LoadItem(tx, code));
  // A draft is seen only by those who may edit its unit's items (as Get): to anyone else it
  // does not exist, so a refusal must not name it or its unit.
  if (!loaded || (!loaded->item.published_version &&
                  !actor.CanOn(kCatalogueEditPermission, loaded->org_path))) {
    return MakeError(ErrorCode::kNotFound, "no item has the code " + std::string(code));
  }
  HUIYIN_TRY(RequireOn(actor, permission, *loaded));
  if (version != loaded->item.version) return StaleVersion(code, version, loaded->item.version);
  return std::move(*loaded);
}

// Writes the listed columns of a checked document to item `id`.
Status WriteColumns(storage::Tx& tx, int64_t id, const Checked& c, Timestamp now) {
  const Columns& k = c.columns;
  HUIYIN_TRY(tx.Exec(
      "UPDATE service_items SET main_code = ?, name = ?, org_id = ?, level = ?, item_type = ?, "
      "handling_kind = ?, legal_limit_wd = ?, committed_limit_wd = ?, life_events = ?, "
      "search_text = ?, visits = ?, updated_at = ? WHERE id = ?",
      {k.main_code.empty() ? std::optional<std::string>() : k.main_code, k.name, c.org.id, k.level,
       k.item_type, k.handling_kind, k.legal, k.committed, k.life_events, k.search_text, k.visits,
       ToMillis(now), id}));
  return Status::Ok();
}

// Reloads item `code` after a change, with `body` as its content, and audits `action` with a
// digest over the body (or over `audited` when given, e.g. an abolition's reason).
Result<ServiceItem> Finish(storage::Tx& tx, const Principal& actor, const RequestMeta& meta,
                           std::string action, std::string_view code, std::string body,
                           int64_t body_version, const std::string* audited = nullptr) {
  HUIYIN_ASSIGN_OR_RETURN(auto after, LoadItem(tx, code));
  ServiceItem item = std::move(after->item);
  item.body = std::move(body);
  item.body_version = body_version;
  HUIYIN_TRY(Audit(tx, actor, meta, std::move(action), item, audited ? *audited : item.body));
  return item;
}

}  // namespace

std::string_view ItemStatusName(ItemStatus status) {
  switch (status) {
    case ItemStatus::kDraft:
      return "draft";
    case ItemStatus::kPublished:
      return "published";
    case ItemStatus::kAbolished:
      return "abolished";
  }
  return "draft";
}

std::optional<ItemStatus> ParseItemStatus(std::string_view name) {
  for (ItemStatus s : {ItemStatus::kDraft, ItemStatus::kPublished, ItemStatus::kAbolished}) {
    if (ItemStatusName(s) == name) return s;
  }
  return std::nullopt;
}

Result<std::string> NormaliseItemDocument(std::string_view document) {
  json in = json::parse(document, nullptr, false);
  if (in.is_discarded()) return FieldInvalid("item", "is not valid JSON");
  HUIYIN_ASSIGN_OR_RETURN(ordered_json doc, Normalise(in));
  return doc.dump();
}

Result<ServicePage> ServiceCatalogue::Search(const Principal* viewer, const ServiceQuery& query) {
  if (query.limit < 1 || query.limit > kMaxLimit) {
    return FieldInvalid("limit", "must be between 1 and 100");
  }
  if (!query.level.empty() && !kLevels.contains(query.level)) {
    return FieldInvalid("level", "must be one of " + Joined(kLevels));
  }
  if (!query.item_type.empty() && !kItemTypes.contains(query.item_type)) {
    return FieldInvalid("item_type", "must be one of " + Joined(kItemTypes));
  }
  if (!query.life_event.empty() && !kLifeEvents.contains(query.life_event)) {
    return FieldInvalid("life_event", "must be one of " + Joined(kLifeEvents));
  }
  HUIYIN_ASSIGN_OR_RETURN(std::vector<std::string> terms, SearchTerms(query.q));
  const ItemStatus status = query.status.value_or(ItemStatus::kPublished);
  std::vector<std::string> scopes;
  if (status == ItemStatus::kDraft) {
    if (viewer != nullptr) {
      for (const auto& g : viewer->grants) {
        if (g.scope_org_id && core::RoleGrants(g.role, kCatalogueEditPermission)) {
          scopes.push_back(g.scope_path + "%");
        }
      }
    }
    if (scopes.empty()) {
      return MakeError(ErrorCode::kForbidden,
                       "only catalogue editors (catalogue:item:edit) see draft items; leave out "
                       "status to search published ones");
    }
  }
  if (guide_ != nullptr && status == ItemStatus::kPublished) {
    return guide_->Search(query, terms, Now());
  }
  return db_.ReadValue<ServicePage>([&](storage::Tx& tx) -> Result<ServicePage> {
    std::vector<std::string> keep;  // text parameters live here while the query runs
    keep.reserve(terms.size() + scopes.size() + 8);
    std::vector<storage::Param> params;
    auto bind = [&](std::string v) {
      keep.push_back(std::move(v));
      params.emplace_back(std::string_view(keep.back()));
    };
    std::string sql = "SELECT " + std::string(kItemColumns) +
                      " FROM service_items i JOIN orgs o ON o.id = i.org_id WHERE i.status = ?";
    bind(std::string(ItemStatusName(status)));
    if (!scopes.empty()) {
      sql += " AND (";
      for (size_t i = 0; i < scopes.size(); ++i) {
        sql += i > 0 ? " OR o.path LIKE ?" : "o.path LIKE ?";
        bind(scopes[i]);
      }
      sql += ")";
    }
    if (!query.org_code.empty()) {
      HUIYIN_ASSIGN_OR_RETURN(
          auto path, tx.QueryText("SELECT path FROM orgs WHERE code = ?", {query.org_code}));
      if (!path) return FieldInvalid("org", "no organisation has the code " + query.org_code);
      sql += " AND o.path LIKE ?";
      bind(*path + "%");
    }
    if (!query.level.empty()) {
      sql += " AND i.level = ?";
      bind(query.level);
    }
    if (!query.item_type.empty()) {
      sql += " AND i.item_type = ?";
      bind(query.item_type);
    }
    if (!query.life_event.empty()) {
      sql += " AND i.life_events LIKE ?";
      bind("% " + query.life_event + " %");
    }
    // Terms are lower-cased like search_text. SQLite: a plain substring test (instr), cheaper
    // than LIKE's per-character matching; PostgreSQL: LIKE, which its trigram index serves.
    const bool sqlite = tx.dialect() == storage::Dialect::kSqlite;
    for (const auto& t : terms) {
      if (sqlite) {
        sql += " AND instr(i.search_text, ?) > 0";
        bind(t);
      } else {
        sql += " AND i.search_text LIKE ? ESCAPE '\\'";
        bind("%" + EscapeLike(t) + "%");
      }
    }
    if (!query.cursor.empty()) {
      sql += " AND i.code > ?";
      bind(query.cursor);
    }
    sql += " ORDER BY i.code LIMIT ?";
    params.emplace_back(static_cast<int64_t>(query.limit + 1));
    ServicePage page;
    HUIYIN_TRY(tx.Query(sql, storage::ParamSpan(params),
                        [&](const storage::Row& r) { page.items.push_back(ItemOf(r).item); }));
    if (static_cast<int>(page.items.size()) > query.limit) {
      page.items.pop_back();
      page.next_cursor = page.items.back().code;
    }
    return page;
  });
}

Result<ServiceItem> ServiceCatalogue::Get(const Principal* viewer, std::string_view code,
                                          std::optional<int64_t> version) {
  return db_.ReadValue<ServiceItem>([&](storage::Tx& tx) -> Result<ServiceItem> {
    HUIYIN_ASSIGN_OR_RETURN(auto loaded, LoadItem(tx, code));
    const bool editor =
        loaded && viewer != nullptr && viewer->CanOn(kCatalogueEditPermission, loaded->org_path);
    if (!loaded || (!editor && !loaded->item.published_version)) {
      return MakeError(ErrorCode::kNotFound, "no published item has the code " + std::string(code) +
                                                 " (GET /api/v1/services searches the catalogue)");
    }
    ServiceItem item = std::move(loaded->item);
    int64_t want = editor ? item.version : *item.published_version;
    if (version) {
      if (*version < 1 || *version > (editor ? item.version : *item.published_version)) {
        return MakeError(ErrorCode::kNotFound, "item " + item.code + " has no version " +
                                                   std::to_string(*version) + " you may read");
      }
      want = *version;
    }
    HUIYIN_ASSIGN_OR_RETURN(item.body, LoadBody(tx, item.id, want));
    item.body_version = want;
    return item;
  });
}

Result<ServiceItem> ServiceCatalogue::Written(Result<ServiceItem> r) {
  if (r.ok() && guide_ != nullptr) guide_->Invalidate();
  return r;
}

Result<ServiceItem> ServiceCatalogue::Create(const Principal& actor, std::string_view document,
                                             const RequestMeta& meta) {
  return Written(db_.WriteValue<ServiceItem>([&](storage::Tx& tx) -> Result<ServiceItem> {
    HUIYIN_ASSIGN_OR_RETURN(Checked c, Check(tx, document));
    if (!actor.CanOn(kCatalogueEditPermission, c.org.path)) {
      return MakeError(ErrorCode::kForbidden,
                       "you may not register items of " + c.org.name +
                           ": catalogue:item:edit does not cover it in your roles");
    }
    std::string body = c.doc.dump();
    HUIYIN_TRY(InsertItem(tx, c, body, ItemStatus::kDraft, ActorId(actor), meta.now));
    return Finish(tx, actor, meta, "catalogue.item_create", c.columns.code, std::move(body), 1);
  }));
}

Result<ServiceItem> ServiceCatalogue::Change(const Principal& actor, std::string_view code,
                                             int64_t version, std::string_view document,
                                             const RequestMeta& meta) {
  return Written(db_.WriteValue<ServiceItem>([&](storage::Tx& tx) -> Result<ServiceItem> {
    HUIYIN_ASSIGN_OR_RETURN(LoadedItem loaded,
                            LoadForChange(tx, actor, code, kCatalogueEditPermission, version));
    const ServiceItem& cur = loaded.item;
    if (cur.status == ItemStatus::kAbolished) {
      return MakeError(ErrorCode::kIllegalTransition,
                       "item " + cur.code + " is abolished and cannot change; register a new item");
    }
    HUIYIN_ASSIGN_OR_RETURN(Checked c, Check(tx, document));
    if (c.columns.code != cur.code) {
      return FieldInvalid("code", "an item's code cannot change (register a new item instead)");
    }
    if (!actor.CanOn(kCatalogueEditPermission, c.org.path)) {
      return MakeError(ErrorCode::kForbidden, "you may not move the item to " + c.org.name);
    }
    const int64_t next = cur.version + 1;
    std::string body = c.doc.dump();
    HUIYIN_TRY(WriteVersion(tx, cur.id, next, body, ActorId(actor), meta.now));
    HUIYIN_ASSIGN_OR_RETURN(
        int64_t n, tx.Exec("UPDATE service_items SET version = ?, updated_at = ? WHERE id = ? AND "
                           "version = ?",
                           {next, ToMillis(meta.now), cur.id, cur.version}));
    if (n != 1) return StaleVersion(code, version, next);
    // A draft shows its latest content everywhere; a published item keeps its published columns
    // for the public until the new version is published.
    if (cur.status == ItemStatus::kDraft) HUIYIN_TRY(WriteColumns(tx, cur.id, c, meta.now));
    return Finish(tx, actor, meta, "catalogue.item_change", code, std::move(body), next);
  }));
}

Result<ServiceItem> ServiceCatalogue::Publish(const Principal& actor, std::string_view code,
                                              int64_t version, const RequestMeta& meta) {
  return Written(db_.WriteValue<ServiceItem>([&](storage::Tx& tx) -> Result<ServiceItem> {
    HUIYIN_ASSIGN_OR_RETURN(LoadedItem loaded,
                            LoadForChange(tx, actor, code, kCataloguePublishPermission, version));
    const ServiceItem& cur = loaded.item;
    if (cur.status == ItemStatus::kAbolished) {
      return MakeError(ErrorCode::kIllegalTransition,
                       "item " + cur.code + " is abolished; it cannot be published again");
    }
    if (cur.published_version == cur.version) {
      return MakeError(ErrorCode::kIllegalTransition,
                       "version " + std::to_string(cur.version) + " of " + cur.code +
                           " is already published; change the item first");
    }
    HUIYIN_ASSIGN_OR_RETURN(std::string body, LoadBody(tx, cur.id, cur.version));
    HUIYIN_ASSIGN_OR_RETURN(Checked c, Check(tx, body));
    HUIYIN_TRY(
        tx.Exec("UPDATE service_items SET status = 'published', published_version = "
                "version, published_at = ? WHERE id = ?",
                {ToMillis(meta.now), cur.id}));
    HUIYIN_TRY(WriteColumns(tx, cur.id, c, meta.now));
    return Finish(tx, actor, meta, "catalogue.item_publish", code, std::move(body), cur.version);
  }));
}

Result<ServiceItem> ServiceCatalogue::Abolish(const Principal& actor, std::string_view code,
                                              int64_t version, const std::string& reason,
                                              const RequestMeta& meta) {
  if (reason.empty() || CodePoints(reason) > 500) {
    return FieldInvalid("reason",
                        "say why the item is abolished (1 to 500 characters), e.g. "
                        "the State Council decision that cancelled it");
  }
  return Written(db_.WriteValue<ServiceItem>([&](storage::Tx& tx) -> Result<ServiceItem> {
    HUIYIN_ASSIGN_OR_RETURN(LoadedItem loaded,
                            LoadForChange(tx, actor, code, kCataloguePublishPermission, version));
    const ServiceItem& cur = loaded.item;
    if (cur.status != ItemStatus::kPublished) {
      return MakeError(ErrorCode::kIllegalTransition, "item " + cur.code + " is " +
                                                          std::string(ItemStatusName(cur.status)) +
                                                          ": only a published item is abolished");
    }
    HUIYIN_TRY(
        tx.Exec("UPDATE service_items SET status = 'abolished', abolished_at = ?, "
                "updated_at = ? WHERE id = ?",
                {ToMillis(meta.now), ToMillis(meta.now), cur.id}));
    return Finish(tx, actor, meta, "catalogue.item_abolish", code, "", 0, &reason);
  }));
}

namespace {

void Rates(ApplicationCounts& c) {
  auto rate = [](int64_t a, int64_t b) { return b ? static_cast<double>(a) / b : 0.0; };
  c.acceptance_rate = rate(c.accepted, c.applications);
  c.on_time_rate = rate(c.decided_on_time, c.decided);
  c.avg_working_days = rate(c.working_days, c.decided);
  c.good_rate = rate(c.good, c.rated);
}

void Add(ApplicationCounts& to, const ApplicationCounts& c) {
  to.applications += c.applications;
  to.accepted += c.accepted;
  to.not_accepted += c.not_accepted;
  to.decided += c.decided;
  to.decided_on_time += c.decided_on_time;
  to.working_days += c.working_days;
  to.rated += c.rated;
  to.good += c.good;
}

}  // namespace

Result<CatalogueStatistics> ServiceCatalogue::Statistics(const Principal& actor, Timestamp from,
                                                         Timestamp to,
                                                         const core::Calendar& calendar) {
  constexpr std::string_view kPermission = "dashboard:indicator:view";
  if (!actor.HasPermission(kPermission)) {
    return MakeError(ErrorCode::kForbidden,
                     "catalogue statistics need the dashboard:indicator:view permission");
  }
  if (to <= from) return FieldInvalid("to", "must be after from");
  const bool city_wide = actor.CanOnCityWide(kPermission);
  return db_.ReadValue<CatalogueStatistics>([&](storage::Tx& tx) -> Result<CatalogueStatistics> {
    CatalogueStatistics out;
    std::map<std::string, size_t, std::less<>> index;  // code -> position in out.items
    HUIYIN_TRY(tx.Query(
        "SELECT i.code, i.name, o.name, o.path, i.status, i.committed_limit_wd, i.visits, c.id, "
        "c.state, c.signed_at, k.start_at, k.stop_at, k.deadline_at FROM service_items i "
        "JOIN orgs o ON o.id = i.org_id LEFT JOIN case_items ci ON ci.item_id = i.id "
        "LEFT JOIN cases c ON c.id = ci.case_id AND c.created_at >= ? AND c.created_at < ? "
        "LEFT JOIN case_clocks k ON k.case_id = c.id AND k.name = 'decision' "
        "WHERE i.status <> 'draft' ORDER BY i.code",
        {ToMillis(from), ToMillis(to)}, [&](const storage::Row& r) {
          if (!city_wide && !actor.CanOn(kPermission, r.Text(3))) return;
          auto it = index.find(r.Text(0));
          if (it == index.end()) {
            ItemStatistics s;
            s.code = r.String(0);
            s.name = r.String(1);
            s.org_name = r.String(2);
            s.status = ParseItemStatus(r.Text(4)).value_or(ItemStatus::kPublished);
            s.committed_limit_wd = static_cast<int>(r.Int(5));
            s.visits = static_cast<int>(r.Int(6));
            it = index.emplace(s.code, out.items.size()).first;
            out.items.push_back(std::move(s));
          }
          if (r.IsNull(7)) return;  // no application in the period
          ApplicationCounts& c = out.items[it->second].counts;
          ++c.applications;
          const std::string_view state = r.Text(8);
          if (!r.IsNull(9)) ++c.accepted;
          if (state == "not_accepted") ++c.not_accepted;
          const bool decided =
              state == "granted" || state == "certificate_issued" || state == "denied";
          if (decided && !r.IsNull(11)) {
            ++c.decided;
            if (r.Int(11) <= r.Int(12)) ++c.decided_on_time;
            c.working_days += calendar.WorkingDaysBetween(LocalDate(FromMillis(r.Int(10))),
                                                          LocalDate(FromMillis(r.Int(11))));
          }
        }));
    HUIYIN_TRY(tx.Query(
        "SELECT i.code, count(*), sum(CASE WHEN r.satisfaction >= 4 THEN 1 ELSE 0 END) FROM "
        "case_ratings r JOIN case_items ci ON ci.case_id = r.case_id JOIN service_items i ON "
        "i.id = ci.item_id JOIN cases c ON c.id = r.case_id WHERE c.created_at >= ? AND "
        "c.created_at < ? AND r.excluded_at IS NULL GROUP BY i.code",
        {ToMillis(from), ToMillis(to)}, [&](const storage::Row& r) {
          if (auto it = index.find(r.Text(0)); it != index.end()) {
            out.items[it->second].counts.rated = r.Int(1);
            out.items[it->second].counts.good = r.Int(2);
          }
        }));
    std::map<std::string, OrgStatistics> orgs;
    for (ItemStatistics& s : out.items) {
      Rates(s.counts);
      OrgStatistics& o = orgs[s.org_name];
      o.org_name = s.org_name;
      ++o.items;
      Add(o.counts, s.counts);
      if (s.counts.applications == 0 && s.status == ItemStatus::kPublished) {
        out.never_applied.push_back(s.code);
      }
    }
    for (auto& [name, o] : orgs) {
      Rates(o.counts);
      out.orgs.push_back(std::move(o));
    }
    return out;
  });
}

Result<ServicesDemoSummary> LoadDemoServices(storage::Database& db,
                                             const std::filesystem::path& file, Timestamp now) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kInvalidArgument, "cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  json data = json::parse(text.str(), nullptr, false);
  if (data.is_discarded() || !data.contains("items") || !data["items"].is_array()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     file.string() + ": expected {\"version\": 1, \"items\": [...]}");
  }
  // Main items first, so that every sub-item finds its main item.
  std::vector<const json*> items;
  for (const auto& it : data["items"]) items.push_back(&it);
  std::stable_partition(items.begin(), items.end(), [](const json* i) {
    return !i->contains("main_code") || (*i)["main_code"].is_null();
  });
  ServicesDemoSummary summary;
  HUIYIN_TRY(db.Write([&](storage::Tx& tx) -> Status {
    HUIYIN_ASSIGN_OR_RETURN(auto n, tx.QueryInt("SELECT count(*) FROM service_items"));
    if (n && *n > 0) {
      summary.already_loaded = true;
      return Status::Ok();
    }
    for (const json* item : items) {
      const std::string code = item->value("code", std::string("?"));
      auto status = ParseItemStatus(item->value("status", std::string("published")));
      if (!status) return FieldInvalid(code + ": status", "must be draft, published or abolished");
      auto checked = Check(tx, item->dump());
      if (!checked.ok()) {
        Error e = std::move(checked).error();
        e.detail = file.filename().string() + ", item " + code + ": " + e.detail;
        return e;
      }
      HUIYIN_TRY(InsertItem(tx, *checked, checked->doc.dump(), *status, std::nullopt, now));
      ++summary.items;
    }
    AuditRecord rec;
    rec.actor_name = "system";
    rec.action = "catalogue.demo_load";
    rec.object_type = "service_item";
    rec.object_id = "*";
    rec.digest = std::to_string(summary.items) + " items from " + file.filename().string();
    auto seq = AppendAudit(tx, rec, now);
    if (!seq.ok()) return std::move(seq).error();
    return Status::Ok();
  }));
  summary.message =
      summary.already_loaded
          ? "the service catalogue already has items; nothing changed"
          : "loaded the service catalogue: " + std::to_string(summary.items) + " items";
  return summary;
}

}  // namespace huiyin::app
