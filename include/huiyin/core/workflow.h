// The case engine's rules (DESIGN.md "The case engine"): a case kind is a workflow definition held
// as data — states, transitions with the roles that may take them, the fields they require and
// their effects on the case's clocks — validated once at start-up. This header is pure: the JSON
// form is read by app/workflow_loader; the engine here answers "may this principal take this
// transition on this case now, and what happens to the clocks?".
//
// Scopes: a transition's `scope` says where the actor's role must be held:
//   kAnywhere  — the role anywhere (hotline centre staff, supervisors, leaders act city-wide);
//   kLeadUnit  — over the case's lead unit (its organisation subtree);
//   kAnyUnit   — over the lead unit or one of the co-handling units;
//   kRequester — the person who raised the case (citizen/enterprise own data), or staff holding
//                one of the listed roles anywhere, acting on their behalf.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "huiyin/common/result.h"
#include "huiyin/core/access.h"
#include "huiyin/core/clock.h"

namespace huiyin::core {

// A legal clock a case kind runs: default length, per-type lengths, warning policy.
struct ClockSpec {
  std::string name;  // "handle"
  std::string label;
  ClockUnit unit = ClockUnit::kWorkingDays;
  int length = 0;                          // default
  std::map<std::string, int> type_length;  // per case type, e.g. complaint → 15
  WarningPolicy warning;
  int max_extension = 0;  // most units an extension may add in total (0: none allowed)
  // A period for the other party (e.g. the 2 WD to return an order, the 30 days to ask for a
  // review): it closes at its deadline and never makes the case late, yellow or overdue.
  bool window = false;
  // The length comes from the case when it carries this whole number (e.g. the committed limit
  // of the service item applied for, "committed_limit_wd"); `length` and type_length otherwise.
  // With `length` 0 the clock runs only for cases that carry the number (e.g. the days a renewed
  // licence has left, "licence_days_left"); starting it is a no-op for the others.
  std::string length_from;

  // The length for a case of `type`.
  int LengthFor(const std::string& type) const;
};

enum class ClockOp { kStart, kStop, kPause, kResume, kRestart, kExtend };

// What a transition does to one clock. kExtend adds the transition's "days" field (bounded by
// ClockSpec::max_extension); kRestart stops the old run and starts afresh (redo, re-dispatch).
struct ClockEffect {
  ClockOp op = ClockOp::kStart;
  std::string clock;
  std::string reason;  // pauses: "expert_review", ...
  // kStart/kRestart: the clock starts when the named clock started, not now (e.g. a decision
  // clock deemed to run from the day the application arrived).
  std::string from_start_of;
};

enum class TransitionScope { kAnywhere, kLeadUnit, kAnyUnit, kRequester };

struct TransitionDef {
  std::string name;            // "dispatch"
  std::string label;           // "派单 Dispatch"
  std::set<std::string> from;  // states it may be taken from
  std::string to;              // target state; empty: stays (notes, urging, instructions)
  std::vector<Role> roles;     // any of these (ignored for kRequester)
  TransitionScope scope = TransitionScope::kAnywhere;
  std::vector<std::string> required;  // fields the request must carry ("reply", "lead_org_id")
  std::vector<ClockEffect> effects;
  bool public_event = true;  // shown to the requester on the timeline
  // Its note is written to the requester and shown to them (the one-time notice of what is
  // missing, the body to turn to, how long an expert review takes); other notes are internal.
  bool public_note = false;
  std::set<std::string> types;   // only for these case types (empty: all)
  std::string before_clock;      // must be taken before this clock's deadline ("" none)
  std::string within_clock;      // must be taken while this clock runs, e.g. return_window
  bool publishes_reply = false;  // the reply becomes the case's answer to the requester
  std::string counter;           // a per-case count it increments (returns, redo_count, ...)
  std::string mark;              // a per-case instant it records (signed_at, called_back_at, ...)
  // Taken by Huiyin itself (Principal::System, the scheduler), never by a person: e.g. an
  // application counts as accepted when no notice was given in time (Art. 32).
  bool automatic = false;
  std::string after_clock;  // automatic: once this running clock's deadline has passed
  // What an automatic transition records without a person: e.g. the default rating 3 (基本满意)
  // when nobody rated within 7 days (RULES.md §6), the reply of a renewal deemed granted.
  std::optional<int> fixed_satisfaction;
  std::string fixed_reply;
  // A 差评 (satisfaction 1 or 2) given by this transition opens a rectification case (差评整改)
  // for the rated unit when the "rectification" kind is loaded (RULES.md §6).
  bool rectifies_bad_rating = false;
  // Upholds an appeal against a mistaken or malicious 差评: that rating leaves the statistics.
  bool excludes_rating = false;
  // Records the licence the application grants, or extends the one a renewal names (Art. 50).
  bool grants_licence = false;
  // Four eyes: whoever last took this other transition on the case may not take this one (the
  // reviewer of an application does not also decide it).
  std::string not_by_actor_of;
};

// Counters and instants a transition may name (columns of the case record).
bool IsCaseCounter(std::string_view name);
bool IsCaseMark(std::string_view name);

struct StateDef {
  std::string name;
  std::string label;
  bool terminal = false;  // closed, merged, withdrawn, ... (nothing but self-transitions)
};

struct CaseTypeDef {
  std::string name;                     // "complaint"
  std::string label;                    // "投诉 Complaint"
  bool confidential_requester = false;  // reports (举报): identity hidden from handling units
};

struct WorkflowDef {
  std::string kind;  // "appeal"
  std::string label;
  std::string prefix;  // case number prefix, e.g. "SQ"
  std::string initial;
  std::vector<CaseTypeDef> types;
  std::vector<StateDef> states;
  std::vector<ClockSpec> clocks;
  std::vector<ClockEffect> intake_effects;  // clocks started at intake
  std::vector<TransitionDef> transitions;
  // Cases of this kind apply for a service item: `category` must be the code of a published
  // item of the catalogue (RULES.md §2: only registered items may be applied for).
  bool catalogue_item = false;
  // Cases of this kind are opened by Huiyin for another case (a rectification for a 差评),
  // never filed through intake.
  bool spawned_only = false;

  const StateDef* State(std::string_view name) const;
  const CaseTypeDef* Type(std::string_view name) const;
  const ClockSpec* ClockNamed(std::string_view name) const;
  const TransitionDef* Transition(std::string_view name) const;
};

// Checks a definition: known states in from/to, known clocks in effects, roles present unless
// requester-scoped, unique names, an initial state, a 2–4 letter prefix. kInvalidArgument whose
// detail names the workflow and the bad state, transition or clock.
Status ValidateWorkflow(const WorkflowDef& def);

// What the engine needs to know of a case to judge a transition.
struct CaseFacts {
  std::string state;
  std::string type;
  std::string lead_org_path;  // "" before dispatch
  std::vector<std::string> co_org_paths;
  std::optional<int64_t> requester_id;
};

// May `actor` take `t` on a case with `facts` (state, role and scope; not required fields)?
// kIllegalTransition names the state; kForbidden names the roles needed.
Status MayTake(const WorkflowDef& def, const TransitionDef& t, const CaseFacts& facts,
               const Principal& actor);

// The transitions `actor` may take now, in definition order (what the UI shows).
std::vector<const TransitionDef*> AvailableTransitions(const WorkflowDef& def,
                                                       const CaseFacts& facts,
                                                       const Principal& actor);

// Applies a transition's clock effects to `clocks` (by name) at `at`; `extension_length` is the
// requested extension for kExtend effects. Starting an already-running clock restarts it.
// `lengths` holds the case's own lengths for clocks with ClockSpec::length_from.
Status ApplyClockEffects(const WorkflowDef& def, const std::vector<ClockEffect>& effects,
                         const std::string& case_type, Timestamp at, int extension_length,
                         const std::string& actor_name, std::map<std::string, Clock>& clocks,
                         const std::map<std::string, int, std::less<>>& lengths = {});

// Names of the scopes and ops as they appear in workflow files.
std::optional<TransitionScope> ParseScope(std::string_view name);
std::optional<ClockOp> ParseClockOp(std::string_view name);

}  // namespace huiyin::core
