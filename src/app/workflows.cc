#include "huiyin/app/workflows.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace huiyin::app {
namespace {

using nlohmann::json;

Error Bad(std::string_view origin, const std::string& what) {
  std::string d(origin);
  d.append(": ").append(what);
  return MakeError(ErrorCode::kInvalidArgument, std::move(d));
}

// The member `key` of `j`, or an empty array/null when absent (avoids temporaries in range-for).
const json& Member(const json& j, const char* key) {
  static const json kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

Result<std::string> Str(const json& j, const char* key, std::string_view origin, bool required) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) return Bad(origin, std::string("missing \"") + key + "\"");
    return std::string();
  }
  if (!it->is_string()) return Bad(origin, std::string("\"") + key + "\" must be a string");
  return it->get<std::string>();
}

Result<std::vector<core::ClockEffect>> Effects(const json& j, std::string_view origin) {
  std::vector<core::ClockEffect> out;
  if (j.is_null()) return out;
  if (!j.is_array()) return Bad(origin, "effects must be an array");
  for (const auto& e : j) {
    HUIYIN_ASSIGN_OR_RETURN(std::string op, Str(e, "op", origin, true));
    auto parsed = core::ParseClockOp(op);
    if (!parsed) return Bad(origin, "unknown clock op '" + op + "'");
    HUIYIN_ASSIGN_OR_RETURN(std::string clock, Str(e, "clock", origin, true));
    HUIYIN_ASSIGN_OR_RETURN(std::string reason, Str(e, "reason", origin, false));
    HUIYIN_ASSIGN_OR_RETURN(std::string from_start_of, Str(e, "from_start_of", origin, false));
    out.push_back({*parsed, clock, reason, from_start_of});
  }
  return out;
}

Result<core::WarningPolicy> Warning(const json& j, std::string_view origin) {
  if (j.is_null()) return core::WarningPolicy{};
  if (auto it = j.find("share_left"); it != j.end()) {
    if (!it->is_array() || it->size() != 2 || !(*it)[0].is_number_integer() ||
        !(*it)[1].is_number_integer()) {
      return Bad(origin, "warning.share_left must be [numerator, denominator]");
    }
    return core::WarningPolicy::ShareLeft((*it)[0].get<int>(), (*it)[1].get<int>());
  }
  if (auto it = j.find("last_units"); it != j.end()) {
    if (!it->is_number_integer()) return Bad(origin, "warning.last_units must be an integer");
    return core::WarningPolicy::LastUnits(it->get<int>());
  }
  return Bad(origin, "warning must have share_left or last_units");
}

Result<core::WorkflowDef> Parse(const json& j, std::string_view origin) {
  core::WorkflowDef d;
  if (!j.is_object()) return Bad(origin, "a workflow must be a JSON object");
  HUIYIN_ASSIGN_OR_RETURN(d.kind, Str(j, "kind", origin, true));
  HUIYIN_ASSIGN_OR_RETURN(d.label, Str(j, "label", origin, false));
  HUIYIN_ASSIGN_OR_RETURN(d.prefix, Str(j, "prefix", origin, true));
  HUIYIN_ASSIGN_OR_RETURN(d.initial, Str(j, "initial", origin, true));
  d.catalogue_item = j.value("catalogue_item", false);
  d.spawned_only = j.value("spawned_only", false);
  for (const auto& t : Member(j, "types")) {
    core::CaseTypeDef type;
    HUIYIN_ASSIGN_OR_RETURN(type.name, Str(t, "name", origin, true));
    HUIYIN_ASSIGN_OR_RETURN(type.label, Str(t, "label", origin, false));
    type.confidential_requester = t.value("confidential_requester", false);
    d.types.push_back(std::move(type));
  }
  for (const auto& s : Member(j, "states")) {
    core::StateDef st;
    HUIYIN_ASSIGN_OR_RETURN(st.name, Str(s, "name", origin, true));
    HUIYIN_ASSIGN_OR_RETURN(st.label, Str(s, "label", origin, false));
    st.terminal = s.value("terminal", false);
    d.states.push_back(std::move(st));
  }
  for (const auto& c : Member(j, "clocks")) {
    core::ClockSpec spec;
    HUIYIN_ASSIGN_OR_RETURN(spec.name, Str(c, "name", origin, true));
    std::string where = std::string(origin) + " clock '" + spec.name + "'";
    HUIYIN_ASSIGN_OR_RETURN(spec.label, Str(c, "label", where, false));
    HUIYIN_ASSIGN_OR_RETURN(std::string unit, Str(c, "unit", where, true));
    HUIYIN_ASSIGN_OR_RETURN(spec.unit, core::ParseClockUnit(unit));
    spec.length = c.value("length", 0);
    for (const auto& [type, len] : Member(c, "type_length").items()) {
      if (!len.is_number_integer()) return Bad(where, "type_length values must be integers");
      spec.type_length[type] = len.get<int>();
    }
    HUIYIN_ASSIGN_OR_RETURN(spec.warning, Warning(Member(c, "warning"), where));
    spec.max_extension = c.value("max_extension", 0);
    spec.window = c.value("window", false);
    HUIYIN_ASSIGN_OR_RETURN(spec.length_from, Str(c, "length_from", where, false));
    d.clocks.push_back(std::move(spec));
  }
  HUIYIN_ASSIGN_OR_RETURN(d.intake_effects, Effects(Member(j, "intake"), origin));
  for (const auto& t : Member(j, "transitions")) {
    core::TransitionDef x;
    HUIYIN_ASSIGN_OR_RETURN(x.name, Str(t, "name", origin, true));
    std::string where = std::string(origin) + " transition '" + x.name + "'";
    HUIYIN_ASSIGN_OR_RETURN(x.label, Str(t, "label", where, false));
    for (const auto& f : Member(t, "from")) x.from.insert(f.get<std::string>());
    HUIYIN_ASSIGN_OR_RETURN(x.to, Str(t, "to", where, false));
    for (const auto& r : Member(t, "roles")) {
      auto role = core::ParseRole(r.get<std::string>());
      if (!role) return Bad(where, "unknown role '" + r.get<std::string>() + "'");
      x.roles.push_back(*role);
    }
    HUIYIN_ASSIGN_OR_RETURN(std::string scope, Str(t, "scope", where, false));
    if (!scope.empty()) {
      auto s = core::ParseScope(scope);
      if (!s) return Bad(where, "unknown scope '" + scope + "'");
      x.scope = *s;
    }
    for (const auto& f : Member(t, "required")) x.required.push_back(f.get<std::string>());
    HUIYIN_ASSIGN_OR_RETURN(x.effects, Effects(Member(t, "effects"), where));
    x.public_event = t.value("public", true);
    x.public_note = t.value("public_note", false);
    for (const auto& f : Member(t, "types")) x.types.insert(f.get<std::string>());
    HUIYIN_ASSIGN_OR_RETURN(x.before_clock, Str(t, "before_clock", where, false));
    HUIYIN_ASSIGN_OR_RETURN(x.within_clock, Str(t, "within_clock", where, false));
    x.publishes_reply = t.value("publishes_reply", false);
    HUIYIN_ASSIGN_OR_RETURN(x.counter, Str(t, "counter", where, false));
    HUIYIN_ASSIGN_OR_RETURN(x.mark, Str(t, "mark", where, false));
    x.automatic = t.value("automatic", false);
    HUIYIN_ASSIGN_OR_RETURN(x.after_clock, Str(t, "after_clock", where, false));
    const json& fixed = Member(t, "fixed");
    for (const auto& [field, value] : fixed.items()) {
      if (field == "satisfaction" && value.is_number_integer() && value.get<int>() >= 1 &&
          value.get<int>() <= 5) {
        x.fixed_satisfaction = value.get<int>();
      } else if (field == "reply" && value.is_string() && !value.get<std::string>().empty()) {
        x.fixed_reply = value.get<std::string>();
      } else {
        return Bad(where, "fixed." + field +
                              " is not a fixed value Huiyin can record (satisfaction 1-5, reply)");
      }
    }
    x.rectifies_bad_rating = t.value("rectifies_bad_rating", false);
    x.excludes_rating = t.value("excludes_rating", false);
    x.grants_licence = t.value("grants_licence", false);
    HUIYIN_ASSIGN_OR_RETURN(x.not_by_actor_of, Str(t, "not_by_actor_of", where, false));
    d.transitions.push_back(std::move(x));
  }
  return d;
}

}  // namespace

Result<core::WorkflowDef> ParseWorkflow(std::string_view json_text, std::string_view origin) {
  json j;
  try {
    j = json::parse(json_text);
  } catch (const json::exception& e) {
    return Bad(origin, std::string("not valid JSON: ") + e.what());
  }
  try {
    HUIYIN_ASSIGN_OR_RETURN(core::WorkflowDef d, Parse(j, origin));
    if (auto s = core::ValidateWorkflow(d); !s.ok()) return Bad(origin, s.error().detail);
    return d;
  } catch (const json::exception& e) {
    return Bad(origin, std::string("a value has the wrong type: ") + e.what());
  }
}

Result<std::shared_ptr<const WorkflowRegistry>> WorkflowRegistry::LoadDir(
    const std::filesystem::path& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  if (ec || files.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no workflow definitions in '" + dir.string() +
                         "': set workflows.dir to the folder holding appeal.json");
  }
  std::sort(files.begin(), files.end());
  auto reg = std::shared_ptr<WorkflowRegistry>(new WorkflowRegistry());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    HUIYIN_ASSIGN_OR_RETURN(core::WorkflowDef d, ParseWorkflow(ss.str(), f.string()));
    if (reg->defs_.contains(d.kind)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       f.string() + ": kind '" + d.kind + "' defined twice");
    }
    reg->sources_[d.kind] = ss.str();
    reg->defs_.emplace(d.kind, std::move(d));
  }
  return std::shared_ptr<const WorkflowRegistry>(std::move(reg));
}

Result<std::shared_ptr<const WorkflowRegistry>> WorkflowRegistry::FromDefs(
    std::vector<core::WorkflowDef> defs) {
  auto reg = std::shared_ptr<WorkflowRegistry>(new WorkflowRegistry());
  for (auto& d : defs) {
    HUIYIN_TRY(core::ValidateWorkflow(d));
    std::string kind = d.kind;
    reg->defs_.emplace(kind, std::move(d));
  }
  return std::shared_ptr<const WorkflowRegistry>(std::move(reg));
}

const core::WorkflowDef* WorkflowRegistry::Find(std::string_view kind) const {
  auto it = defs_.find(kind);
  return it == defs_.end() ? nullptr : &it->second;
}

const core::WorkflowDef* WorkflowRegistry::FindByPrefix(std::string_view prefix) const {
  for (const auto& [k, d] : defs_) {
    if (d.prefix == prefix) return &d;
  }
  return nullptr;
}

const std::string& WorkflowRegistry::Source(std::string_view kind) const {
  static const std::string kEmpty;
  auto it = sources_.find(kind);
  return it == sources_.end() ? kEmpty : it->second;
}

}  // namespace huiyin::app
