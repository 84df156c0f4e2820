// The case engine's use cases: intake from every channel (idempotent), reading a case as the
// caller may see it, taking workflow transitions (role, scope, required fields, clocks, timeline,
// version and audit in one transaction), queues, and the hotline's indicators. A new case kind is
// a workflow file plus (where needed) field handling here — never a new endpoint.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "huiyin/app/calendar_service.h"
#include "huiyin/app/context.h"
#include "huiyin/app/crypto.h"
#include "huiyin/app/workflows.h"
#include "huiyin/common/result.h"
#include "huiyin/storage/database.h"

namespace huiyin::app {

struct NewCase {
  std::string kind = "appeal";
  std::string type;
  std::string
      channel;  // phone, web, mobile, letter, visit, reception_day, media, sms, or an integration
  std::string title;
  std::string content;
  std::string category;
  std::string region_code;
  std::string address;
  std::optional<double> lat;
  std::optional<double> lng;
  bool anonymous = false;
  bool confidential = false;
  std::string requester_name;  // staff intake on behalf of a caller
  std::string requester_phone;
  std::string attributes_json;  // the category's extra answers, already validated, as JSON text
  std::string licence;          // a renewal (application type renew): the licence it renews
};

// What a transition request carries; `required` in the workflow names these fields.
struct TransitionInput {
  std::optional<int64_t> version;
  std::optional<std::string> reply;
  std::optional<std::string> reason;
  std::optional<std::string> note;
  std::optional<std::string> channel;
  std::optional<std::string> target;  // case number (merge)
  std::optional<int64_t> lead_org_id;
  std::vector<int64_t> co_org_ids;
  std::optional<int> days;
  std::optional<bool> resolved;
  std::optional<int> satisfaction;  // 1..5
  std::string reasons;              // bad-rating reasons

  // True when the field named `name` was given (and non-empty for text).
  bool Has(std::string_view name) const;
};

struct ClockView {
  std::string name;
  std::string label;
  std::string unit;
  int length = 0;
  int extended = 0;
  Timestamp start{};
  Timestamp deadline{};
  std::string level;  // a ClockLevelName; for a window "open" or "closed"
  bool window = false;
  bool provisional = false;
  int64_t remaining = 0;
  bool paused = false;
  bool stopped = false;
};

struct EventView {
  int64_t id = 0;
  Timestamp at{};
  int64_t actor_id = 0;  // internal (four-eyes checks); never serialised
  std::string actor_name;
  std::string role;
  std::string action;
  std::string label;
  std::string from_state;
  std::string to_state;
  std::string note;
  bool is_public = true;
};

struct OrgRef {
  int64_t id = 0;
  std::string name;
};

// A case linked to this one: the case it was opened for, or those opened for it (a
// rectification for a 差评).
struct RelatedCase {
  std::string number;
  std::string kind;
  std::string state_label;
  std::string relation;  // "parent" or "child"
};

struct TransitionView {
  std::string name;
  std::string label;
  std::vector<std::string> required;
};

// A case as one caller may see it (personal data masked or hidden by role).
struct CaseView {
  int64_t id = 0;
  std::string number;
  std::string kind;
  std::string type;
  std::string type_label;
  std::string channel;
  std::string state;
  std::string state_label;
  std::string title;
  std::string content;
  std::string category;
  std::string region_code;
  std::string address;
  std::optional<double> lat;
  std::optional<double> lng;
  std::string requester_name;  // masked, clear for the hotline, or "保密" when confidential
  std::string requester_phone;
  bool requester_confidential = false;
  bool anonymous = false;
  std::optional<OrgRef> lead_org;
  std::vector<OrgRef> co_orgs;
  std::string reply;
  std::optional<int> satisfaction;
  std::optional<bool> resolved;
  std::string merged_into;  // case number
  std::string attributes_json;
  int64_t version = 0;
  Timestamp created_at{};
  Timestamp updated_at{};
  std::optional<Timestamp> closed_at;
  std::vector<ClockView> clocks;
  std::vector<EventView> timeline;
  std::vector<TransitionView> transitions;
  std::vector<RelatedCase> related;
  bool public_view = false;  // the tracking view for a check code (no personal data)
};

struct IntakeResult {
  CaseView view;
  std::string check_code;  // for tracking without signing in; shown once
  bool replayed = false;   // the Idempotency-Key was seen before: this is the first result
};

struct CaseSummary {
  int64_t id = 0;
  std::string number;
  std::string kind;
  std::string type;
  std::string title;
  std::string state;
  std::string state_label;
  std::string lead_org_name;
  std::string channel;
  Timestamp created_at{};
  Timestamp updated_at{};
  std::optional<Timestamp> deadline;  // the running handling (or first running) clock
  std::string level;
  bool provisional = false;
};

struct CaseQuery {
  std::string queue = "all";  // to_dispatch, to_sign_for, handling, reply_review,
                              // awaiting_callback, due_soon, overdue, mine, all
  std::string kind;
  std::string type;
  std::string state;
  std::string channel;
  std::string region_code;
  std::optional<int64_t> org_id;
  std::string category;
  std::string level;                      // red (a running clock overdue) or yellow (warning)
  std::optional<Timestamp> created_from;  // created_at >= this
  std::optional<Timestamp> created_to;    // created_at < this
  std::string q;                          // text in title, content or reply
  std::string cursor;                     // opaque, from the previous page
  int limit = 50;
};

struct CasePage {
  std::vector<CaseSummary> items;
  std::string next_cursor;
};

struct QueueCount {
  std::string queue;
  std::string label;
  int64_t count = 0;
};

struct UnitIndicators {
  int64_t org_id = 0;
  std::string org_name;
  int64_t dispatched = 0, signed_on_time = 0, called_back = 0, resolved = 0, rated = 0,
          satisfied = 0, handled = 0, handled_on_time = 0, overdue = 0, returns = 0,
          improper_returns = 0, extensions = 0, redo = 0;
  double response_rate = 0, resolution_rate = 0, satisfaction_rate = 0, on_time_rate = 0;
  double avg_handling_hours = 0;
};

struct Indicators {
  std::vector<UnitIndicators> units;
  std::vector<std::tuple<std::string, std::string, int64_t>> by_day;  // date, channel, count
  std::vector<std::pair<std::string, int64_t>> by_state;
  std::vector<std::pair<std::string, int64_t>> by_category;
  std::vector<std::pair<std::string, int64_t>> by_region;
};

// One row of a history import that could not be taken, and why.
struct ImportRejection {
  size_t line = 0;
  std::string reason;
};

struct ImportReport {
  int64_t rows = 0;
  int64_t imported = 0;
  std::vector<ImportRejection> rejected;
};

// Who a caller is to one case, for the services that add to cases (attachments).
struct CaseHandle {
  int64_t id = 0;
  std::string number;
  std::string kind;
  std::string state;
  std::string category;    // an application: the item code
  bool open = true;        // not in a terminal state
  bool requester = false;  // the caller raised it
  bool staff = false;      // the caller works on it (its unit, or city-wide)
};

class CaseService {
 public:
  CaseService(storage::Database& db, const Crypto& crypto, CalendarService& calendar,
              std::shared_ptr<const WorkflowRegistry> workflows);

  // Takes a case in. `actor` is null for an anonymous public submission. The same
  // `idempotency_key` from the same caller returns the first result (replayed = true); reused with
  // a different body it is kIdempotencyMismatch. `request_digest` identifies the body.
  Result<IntakeResult> Intake(const Principal* actor, const NewCase& input,
                              const std::string& idempotency_key, const std::string& request_digest,
                              const RequestMeta& meta);

  // The case as `actor` may see it; with a check code (and no actor right to it) the public
  // tracking view. kNotFound when the caller may not see it (never a hint that it exists).
  Result<CaseView> Get(const Principal* actor, std::string_view number,
                       const std::optional<std::string>& check_code, Timestamp now);

  // Takes transition `name`; `input.version` must equal the case's version (kVersionConflict
  // otherwise, nothing changed). Returns the case after the change.
  Result<CaseView> Transition(const Principal& actor, std::string_view number,
                              std::string_view name, const TransitionInput& input,
                              const RequestMeta& meta);

  // The scheduler's pass: takes every workflow's automatic transitions (TransitionDef::automatic)
  // on the cases whose `after_clock` has run out by `now`, at most `limit` per transition, as
  // Principal::System. Safe to run on several servers at once: a case another server changed
  // meanwhile is a version conflict, skipped. Returns how many cases changed.
  Result<int> RunAutomaticTransitions(Timestamp now, int limit = 500);

  Result<CasePage> List(const Principal& actor, const CaseQuery& query, Timestamp now);
  Result<std::vector<QueueCount>> Queues(const Principal& actor, Timestamp now);
  Result<Indicators> ComputeIndicators(const Principal& actor, Timestamp from, Timestamp to,
                                       const std::string& region_code, Timestamp now);

  // Imports historical cases from CSV (header: legacy_id, kind, type, channel, title, content,
  // category, region_code, address, created_at, state, lead_org_code, reply, satisfaction; the
  // columns type, channel, title, content and created_at are required). Every row is checked
  // first; with rejected rows nothing is imported unless `skip_invalid`. The import is one
  // transaction: a failure leaves nothing behind. `progress(done, total)` is called as rows land.
  Result<ImportReport> ImportHistory(const Principal& actor, std::string_view csv,
                                     bool skip_invalid,
                                     const std::function<void(int64_t, int64_t)>& progress,
                                     const RequestMeta& meta);

  // The case `number` as `actor` stands to it, inside the caller's transaction; kNotFound when
  // they may not see it (never a hint that it exists). Only the requester and staff resolve it.
  Result<CaseHandle> Resolve(storage::Tx& tx, const Principal& actor,
                             std::string_view number) const;

  const WorkflowRegistry& workflows() const { return *workflows_; }

 private:
  storage::Database& db_;
  const Crypto& crypto_;
  CalendarService& calendar_;
  std::shared_ptr<const WorkflowRegistry> workflows_;
};

}  // namespace huiyin::app
