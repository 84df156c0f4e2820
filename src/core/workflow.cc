#include "huiyin/core/workflow.h"

#include <algorithm>

namespace huiyin::core {

int ClockSpec::LengthFor(const std::string& type) const {
  auto it = type_length.find(type);
  return it == type_length.end() ? length : it->second;
}

namespace {

template <typename T>
const T* FindNamed(const std::vector<T>& v, std::string_view name) {
  for (const auto& x : v) {
    if (x.name == name) return &x;
  }
  return nullptr;
}

Error Invalid(const WorkflowDef& def, const std::string& what) {
  return MakeError(ErrorCode::kInvalidArgument, "workflow '" + def.kind + "': " + what);
}

Status CheckEffects(const WorkflowDef& def, const std::vector<ClockEffect>& effects,
                    const std::string& where) {
  for (const auto& e : effects) {
    for (const auto* name : {&e.clock, &e.from_start_of}) {
      if (!name->empty() && !def.ClockNamed(*name)) {
        return Invalid(def, where + " refers to clock '" + *name + "', which is not defined");
      }
    }
    if (e.clock.empty()) return Invalid(def, where + " has an effect without a clock");
  }
  return Status::Ok();
}

}  // namespace

const StateDef* WorkflowDef::State(std::string_view name) const {
  return FindNamed(states, name);
}
const CaseTypeDef* WorkflowDef::Type(std::string_view name) const {
  return FindNamed(types, name);
}
const ClockSpec* WorkflowDef::ClockNamed(std::string_view name) const {
  return FindNamed(clocks, name);
}
const TransitionDef* WorkflowDef::Transition(std::string_view name) const {
  return FindNamed(transitions, name);
}

bool IsCaseCounter(std::string_view name) {
  return name == "returns" || name == "improper_returns" || name == "extensions" ||
         name == "redo_count" || name == "urged" || name == "escalated";
}

bool IsCaseMark(std::string_view name) {
  return name == "dispatched_at" || name == "signed_at" || name == "replied_at" ||
         name == "called_back_at";
}

Status ValidateWorkflow(const WorkflowDef& def) {
  if (def.kind.empty()) return MakeError(ErrorCode::kInvalidArgument, "a workflow has no kind");
  if (def.prefix.size() < 2 || def.prefix.size() > 4 ||
      !std::all_of(def.prefix.begin(), def.prefix.end(),
                   [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return Invalid(def, "prefix '" + def.prefix + "' must be 2 to 4 capital letters");
  }
  if (def.types.empty()) return Invalid(def, "defines no case type");
  if (!def.State(def.initial)) {
    return Invalid(def, "initial state '" + def.initial + "' is not among its states");
  }
  std::set<std::string> seen;
  for (const auto& s : def.states) {
    if (s.name.empty() || !seen.insert("s:" + s.name).second) {
      return Invalid(def, "state '" + s.name + "' is empty or defined twice");
    }
  }
  for (const auto& t : def.types) {
    if (t.name.empty() || !seen.insert("t:" + t.name).second) {
      return Invalid(def, "case type '" + t.name + "' is empty or defined twice");
    }
  }
  for (const auto& c : def.clocks) {
    if (c.name.empty() || !seen.insert("c:" + c.name).second) {
      return Invalid(def, "clock '" + c.name + "' is empty or defined twice");
    }
    if (c.length < 0 || (c.length == 0 && c.length_from.empty())) {
      return Invalid(def, "clock '" + c.name +
                              "' needs a positive length (0 only with length_from: a clock "
                              "only the cases carrying that number run)");
    }
    for (const auto& [type, len] : c.type_length) {
      if (!def.Type(type)) {
        return Invalid(def, "clock '" + c.name + "' sets a length for unknown type '" + type + "'");
      }
      if (len <= 0)
        return Invalid(def, "clock '" + c.name + "' length for '" + type + "' must be positive");
    }
  }
  HUIYIN_TRY(CheckEffects(def, def.intake_effects, "intake"));
  for (const auto& t : def.transitions) {
    if (t.name.empty() || !seen.insert("x:" + t.name).second) {
      return Invalid(def, "transition '" + t.name + "' is empty or defined twice");
    }
    if (t.from.empty()) return Invalid(def, "transition '" + t.name + "' has no from state");
    for (const auto& f : t.from) {
      if (!def.State(f)) {
        return Invalid(def, "transition '" + t.name + "' starts from unknown state '" + f + "'");
      }
    }
    if (!t.to.empty() && !def.State(t.to)) {
      return Invalid(def, "transition '" + t.name + "' leads to unknown state '" + t.to + "'");
    }
    if (t.automatic) {
      if (!t.roles.empty() || t.after_clock.empty() || !def.ClockNamed(t.after_clock)) {
        return Invalid(def, "automatic transition '" + t.name +
                                "' names no role and needs after_clock, a clock of the workflow");
      }
      if (!t.required.empty()) {
        return Invalid(def, "automatic transition '" + t.name +
                                "' can require nothing: nobody fills it in (use \"fixed\")");
      }
    } else if (t.fixed_satisfaction || !t.fixed_reply.empty()) {
      return Invalid(def, "transition '" + t.name + "' has fixed values but is not automatic");
    } else if (t.scope != TransitionScope::kRequester && t.roles.empty()) {
      // requester: roles optional
      return Invalid(def, "transition '" + t.name + "' names no role that may take it");
    }
    for (const auto& type : t.types) {
      if (!def.Type(type)) {
        return Invalid(def,
                       "transition '" + t.name + "' is limited to unknown type '" + type + "'");
      }
    }
    for (const auto* c : {&t.before_clock, &t.within_clock}) {
      if (!c->empty() && !def.ClockNamed(*c)) {
        return Invalid(def, "transition '" + t.name + "' refers to unknown clock '" + *c + "'");
      }
    }
    if (!t.not_by_actor_of.empty() && !def.Transition(t.not_by_actor_of)) {
      return Invalid(def, "transition '" + t.name +
                              "' is kept from the actor of unknown transition '" +
                              t.not_by_actor_of + "'");
    }
    if (!t.counter.empty() && !IsCaseCounter(t.counter)) {
      return Invalid(def, "transition '" + t.name + "' counts unknown counter '" + t.counter + "'");
    }
    if (!t.mark.empty() && !IsCaseMark(t.mark)) {
      return Invalid(def, "transition '" + t.name + "' marks unknown instant '" + t.mark + "'");
    }
    HUIYIN_TRY(CheckEffects(def, t.effects, "transition '" + t.name + "'"));
  }
  return Status::Ok();
}

namespace {

bool HasRoleOver(const Principal& actor, const std::vector<Role>& roles,
                 const std::vector<const std::string*>& paths) {
  for (const auto& g : actor.grants) {
    if (std::find(roles.begin(), roles.end(), g.role) == roles.end()) continue;
    if (paths.empty()) return true;
    for (const std::string* p : paths) {
      if (!p->empty() && PathCovers(g.scope_path, *p)) return true;
    }
  }
  return false;
}

std::string RoleNames(const std::vector<Role>& roles) {
  std::string s;
  for (Role r : roles) s += (s.empty() ? "" : ", ") + std::string(RoleName(r));
  return s;
}

}  // namespace

Status MayTake(const WorkflowDef& def, const TransitionDef& t, const CaseFacts& facts,
               const Principal& actor) {
  (void)def;
  if (t.automatic != actor.is_system) {
    return MakeError(ErrorCode::kForbidden,
                     t.automatic ? "'" + t.name + "' is taken by Huiyin itself when the " +
                                       t.after_clock + " period has run out"
                                 : "Huiyin itself takes only automatic transitions");
  }
  if (!t.from.contains(facts.state)) {
    return MakeError(ErrorCode::kIllegalTransition,
                     "'" + t.name + "' cannot be taken while the case is '" + facts.state + "'");
  }
  if (!t.types.empty() && !t.types.contains(facts.type)) {
    return MakeError(ErrorCode::kIllegalTransition,
                     "'" + t.name + "' does not apply to a case of type '" + facts.type + "'");
  }
  if (t.automatic) return Status::Ok();  // Huiyin itself (checked above), no role to hold
  bool allowed = false;
  switch (t.scope) {
    case TransitionScope::kRequester:
      // The person who raised it, or staff with one of the roles acting on their behalf.
      allowed =
          (facts.requester_id && *facts.requester_id == actor.user_id &&
           (actor.kind == PrincipalKind::kCitizen || actor.kind == PrincipalKind::kEnterprise)) ||
          HasRoleOver(actor, t.roles, {});
      break;
    case TransitionScope::kAnywhere:
      allowed = HasRoleOver(actor, t.roles, {});
      break;
    case TransitionScope::kLeadUnit:
      allowed = HasRoleOver(actor, t.roles, {&facts.lead_org_path});
      break;
    case TransitionScope::kAnyUnit: {
      std::vector<const std::string*> paths{&facts.lead_org_path};
      for (const auto& p : facts.co_org_paths) paths.push_back(&p);
      allowed = HasRoleOver(actor, t.roles, paths);
      break;
    }
  }
  if (!allowed) {
    std::string who =
        t.scope == TransitionScope::kRequester
            ? "the person who raised the case"
            : RoleNames(t.roles) +
                  (t.scope == TransitionScope::kAnywhere ? "" : " of the handling unit");
    return MakeError(ErrorCode::kForbidden, "'" + t.name + "' may be taken only by " + who);
  }
  return Status::Ok();
}

std::vector<const TransitionDef*> AvailableTransitions(const WorkflowDef& def,
                                                       const CaseFacts& facts,
                                                       const Principal& actor) {
  std::vector<const TransitionDef*> out;
  for (const auto& t : def.transitions) {
    if (MayTake(def, t, facts, actor).ok()) out.push_back(&t);
  }
  return out;
}

Status ApplyClockEffects(const WorkflowDef& def, const std::vector<ClockEffect>& effects,
                         const std::string& case_type, Timestamp at, int extension_length,
                         const std::string& actor_name, std::map<std::string, Clock>& clocks,
                         const std::map<std::string, int, std::less<>>& lengths) {
  for (const auto& e : effects) {
    const ClockSpec* spec = def.ClockNamed(e.clock);
    if (!spec) return MakeError(ErrorCode::kInternal, "unknown clock " + e.clock);
    auto it = clocks.find(e.clock);
    auto start_fresh = [&]() -> Status {
      int length = spec->LengthFor(case_type);
      if (!spec->length_from.empty()) {
        // A length of 0 (decided on the spot, 即办) still gives the decision its day.
        if (auto l = lengths.find(spec->length_from); l != lengths.end()) {
          length = std::max(1, l->second);
        } else if (length == 0) {
          return Status::Ok();  // a clock only some cases carry (a renewal's expiry): not this one
        }
      }
      Timestamp start = at;
      if (!e.from_start_of.empty()) {
        if (auto from = clocks.find(e.from_start_of); from != clocks.end()) {
          start = from->second.start();
        }
      }
      HUIYIN_ASSIGN_OR_RETURN(Clock c,
                              Clock::Start(spec->name, spec->unit, length, start, spec->warning));
      clocks.insert_or_assign(e.clock, std::move(c));
      return Status::Ok();
    };
    switch (e.op) {
      case ClockOp::kStart:
      case ClockOp::kRestart:
        HUIYIN_TRY(start_fresh());
        break;
      case ClockOp::kStop:
        if (it != clocks.end() && !it->second.IsStopped()) HUIYIN_TRY(it->second.Stop(at));
        break;
      case ClockOp::kPause:
        if (it == clocks.end() || it->second.IsStopped()) {
          return MakeError(ErrorCode::kIllegalClockOperation,
                           "the " + e.clock + " clock is not running, so it cannot be paused");
        }
        HUIYIN_TRY(it->second.Pause(e.reason.empty() ? "paused" : e.reason, at));
        break;
      case ClockOp::kResume:
        if (it != clocks.end() && it->second.IsPaused()) HUIYIN_TRY(it->second.Resume(at));
        break;
      case ClockOp::kExtend: {
        if (it == clocks.end() || it->second.IsStopped()) {
          return MakeError(ErrorCode::kIllegalClockOperation,
                           "the " + e.clock + " clock is not running, so it cannot be extended");
        }
        int used = 0;
        for (const auto& x : it->second.extensions()) used += x.length;
        if (extension_length <= 0 || used + extension_length > spec->max_extension) {
          return FieldInvalid("days", "an extension of the " + e.clock + " clock must be 1 to " +
                                          std::to_string(spec->max_extension - used) + " " +
                                          std::string(ClockUnitName(spec->unit)) + " (at most " +
                                          std::to_string(spec->max_extension) + " in total)");
        }
        HUIYIN_TRY(it->second.Extend(extension_length, e.reason.empty() ? "extension" : e.reason,
                                     actor_name));
        break;
      }
    }
  }
  return Status::Ok();
}

std::optional<TransitionScope> ParseScope(std::string_view name) {
  if (name == "anywhere") return TransitionScope::kAnywhere;
  if (name == "lead_unit") return TransitionScope::kLeadUnit;
  if (name == "any_unit") return TransitionScope::kAnyUnit;
  if (name == "requester") return TransitionScope::kRequester;
  return std::nullopt;
}

std::optional<ClockOp> ParseClockOp(std::string_view name) {
  if (name == "start") return ClockOp::kStart;
  if (name == "stop") return ClockOp::kStop;
  if (name == "pause") return ClockOp::kPause;
  if (name == "resume") return ClockOp::kResume;
  if (name == "restart") return ClockOp::kRestart;
  if (name == "extend") return ClockOp::kExtend;
  return std::nullopt;
}

}  // namespace huiyin::core
