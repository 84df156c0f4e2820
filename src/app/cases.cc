#include "huiyin/app/cases.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "app/case_followups.h"
#include "app/case_store.h"
#include "huiyin/app/audit.h"
#include "huiyin/common/csv.h"
#include "huiyin/common/text.h"
#include "huiyin/core/identifiers.h"
#include "huiyin/storage/clock_repository.h"

namespace huiyin::app {
namespace {

using core::Role;
using storage::Row;
using storage::Tx;
using namespace case_store;  // NOLINT(google-build-using-namespace): the engine's own helpers

constexpr std::string_view kCaseColumns =
    "c.id, c.number, c.kind, c.type, c.channel, c.state, c.title, c.content, c.category, "
    "c.region_code, c.address, c.lat, c.lng, c.requester_id, c.requester_name_enc, "
    "c.requester_phone_enc, c.anonymous, c.confidential, c.lead_org_id, c.reply, c.satisfaction, "
    "c.resolved, c.merged_into, c.attributes, c.version, c.created_at, c.updated_at, c.closed_at, "
    "c.check_code_hash, c.replied_at, lo.path, lo.name, c.requester_name_masked, c.parent_id";

struct CaseRow {
  int64_t id = 0;
  std::string number, kind, type, channel, state, title, content, category, region_code, address;
  std::optional<double> lat, lng;
  std::optional<int64_t> requester_id;
  std::string requester_name_enc, requester_phone_enc;
  bool anonymous = false, confidential = false;
  std::optional<int64_t> lead_org_id;
  std::string reply;
  std::optional<int64_t> satisfaction, resolved, merged_into;
  std::string attributes;
  int64_t version = 0;
  int64_t created_at = 0, updated_at = 0;
  std::optional<int64_t> closed_at;
  std::string check_code_hash;
  std::optional<int64_t> replied_at;
  std::string lead_org_path, lead_org_name;
  std::string requester_name_masked;
  std::optional<int64_t> parent_id;
  std::vector<std::pair<int64_t, std::string>> co_orgs;  // id, path
  std::vector<std::string> co_org_names;                 // beside co_orgs
};

CaseRow ReadCaseRow(const Row& r) {
  CaseRow c;
  c.id = r.Int(0);
  c.number = r.String(1);
  c.kind = r.String(2);
  c.type = r.String(3);
  c.channel = r.String(4);
  c.state = r.String(5);
  c.title = r.String(6);
  c.content = r.String(7);
  c.category = r.String(8);
  c.region_code = r.String(9);
  c.address = r.String(10);
  if (!r.IsNull(11)) c.lat = r.Real(11);
  if (!r.IsNull(12)) c.lng = r.Real(12);
  c.requester_id = r.OptInt(13);
  c.requester_name_enc = r.String(14);
  c.requester_phone_enc = r.String(15);
  c.anonymous = r.Int(16) != 0;
  c.confidential = r.Int(17) != 0;
  c.lead_org_id = r.OptInt(18);
  c.reply = r.String(19);
  c.satisfaction = r.OptInt(20);
  c.resolved = r.OptInt(21);
  c.merged_into = r.OptInt(22);
  c.attributes = r.String(23);
  c.version = r.Int(24);
  c.created_at = r.Int(25);
  c.updated_at = r.Int(26);
  c.closed_at = r.OptInt(27);
  c.check_code_hash = r.String(28);
  c.replied_at = r.OptInt(29);
  c.lead_org_path = r.String(30);
  c.lead_org_name = r.String(31);
  c.requester_name_masked = r.String(32);
  c.parent_id = r.OptInt(33);
  return c;
}

Result<std::optional<CaseRow>> LoadCase(Tx& tx, std::string_view number) {
  std::optional<CaseRow> row;
  HUIYIN_TRY(
      tx.Query("SELECT " + std::string(kCaseColumns) +
                   " FROM cases c LEFT JOIN orgs lo ON lo.id = c.lead_org_id WHERE c.number = ?",
               {number}, [&](const Row& r) { row = ReadCaseRow(r); }));
  if (row) {
    HUIYIN_TRY(
        tx.Query("SELECT o.id, o.path, o.name FROM case_co_orgs x JOIN orgs o ON o.id = x.org_id "
                 "WHERE x.case_id = ? ORDER BY o.id",
                 {row->id}, [&](const Row& r) {
                   row->co_orgs.emplace_back(r.Int(0), r.String(1));
                   row->co_org_names.push_back(r.String(2));
                 }));
  }
  return row;
}

bool HasRole(const Principal& p, std::initializer_list<Role> roles) {
  for (const auto& g : p.grants) {
    for (Role r : roles) {
      if (g.role == r) return true;
    }
  }
  return false;
}

// Who may see the requester's identity in clear: the hotline centre (it calls people back).
bool SeesRequesterInClear(const Principal& p) {
  return HasRole(p, {Role::kHotlineAgent, Role::kDispatcher});
}

enum class Access { kNone, kPublic, kRequester, kUnit, kCityWide };

Access AccessOf(const Principal* actor, const CaseRow& c) {
  if (actor == nullptr) return Access::kNone;
  if (case_store::CentreCityWide(*actor)) return Access::kCityWide;
  if (!c.lead_org_path.empty() && actor->CanOn("hotline:case:view", c.lead_org_path)) {
    return Access::kUnit;
  }
  for (const auto& [id, path] : c.co_orgs) {
    if (actor->CanOn("hotline:case:view", path)) return Access::kUnit;
  }
  if (c.requester_id && *c.requester_id == actor->user_id) return Access::kRequester;
  return Access::kNone;
}

// AccessOf, and a district hotline's undispatched cases (case_store::UndispatchedRegions).
Result<Access> AccessIn(Tx& tx, const Principal* actor, const CaseRow& c) {
  const Access a = AccessOf(actor, c);
  if ((a == Access::kNone || a == Access::kRequester) && actor && !c.lead_org_id &&
      !c.region_code.empty()) {
    HUIYIN_ASSIGN_OR_RETURN(auto regions, case_store::UndispatchedRegions(tx, *actor));
    if (std::binary_search(regions.begin(), regions.end(), c.region_code)) return Access::kUnit;
  }
  return a;
}

core::CaseFacts FactsOf(const CaseRow& c) {
  core::CaseFacts f;
  f.state = c.state;
  f.type = c.type;
  f.lead_org_path = c.lead_org_path;
  for (const auto& [id, path] : c.co_orgs) f.co_org_paths.push_back(path);
  f.requester_id = c.requester_id;
  return f;
}

Error NotFound(std::string_view number) {
  std::string d = "no case numbered '";
  d.append(number).append("' that you may see");
  return MakeError(ErrorCode::kNotFound, std::move(d));
}

std::string_view StateLabel(const core::WorkflowDef& def, const std::string& state) {
  const auto* s = def.State(state);
  return s ? std::string_view(s->label) : std::string_view(state);
}

constexpr std::string_view kCheckAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

std::string NewCheckCode() {
  std::string raw = Crypto::RandomToken(16);
  std::string code;
  for (size_t i = 0; i < raw.size() && code.size() < 8; ++i) {
    code.push_back(kCheckAlphabet[static_cast<unsigned char>(raw[i]) % kCheckAlphabet.size()]);
  }
  return code;
}

bool LooksLikeHtml(std::string_view s) {
  return s.find('<') != std::string_view::npos && s.find('>') != std::string_view::npos;
}

Status ValidateNewCase(const core::WorkflowDef& def, const NewCase& in) {
  std::vector<FieldError> errors;
  if (!def.Type(in.type)) {
    std::string types;
    for (const auto& t : def.types) types += (types.empty() ? "" : ", ") + t.name;
    errors.push_back({"type", "must be one of " + types});
  }
  size_t title_len = CodePoints(in.title);
  if (title_len == 0 || title_len > 100) errors.push_back({"title", "must be 1 to 100 characters"});
  size_t content_len = CodePoints(in.content);
  if (content_len == 0 || content_len > 4000) {
    errors.push_back({"content", "must be 1 to 4,000 characters"});
  }
  if (LooksLikeHtml(in.title)) errors.push_back({"title", "must be plain text, without HTML"});
  if (LooksLikeHtml(in.content)) errors.push_back({"content", "must be plain text, without HTML"});
  if (in.channel.empty() || in.channel.size() > 64) {
    errors.push_back({"channel", "is required (phone, web, mobile, letter, visit, ...)"});
  }
  if (in.lat && (*in.lat < -90 || *in.lat > 90)) errors.push_back({"lat", "must be -90..90"});
  if (in.lng && (*in.lng < -180 || *in.lng > 180)) errors.push_back({"lng", "must be -180..180"});
  if (CodePoints(in.address) > 200) errors.push_back({"address", "must be at most 200 characters"});
  if (!errors.empty()) {
    std::string detail = "the case cannot be taken in: ";
    for (size_t i = 0; i < errors.size(); ++i) {
      detail += (i ? "; " : "") + errors[i].field + " " + errors[i].message;
    }
    return Error(ErrorCode::kInvalidArgument, detail, errors);
  }
  return Status::Ok();
}

// The clock lengths (ClockSpec::length_from) an item version's time limits give.
std::map<std::string, int, std::less<>> ItemLengths(int legal, int committed) {
  return {{"legal_limit_wd", legal}, {"committed_limit_wd", committed}};
}

// The lengths an application's clocks take from the item it applies for (ClockSpec::length_from);
// empty for other kinds.
Result<std::map<std::string, int, std::less<>>> CaseLengths(Tx& tx, const core::WorkflowDef& def,
                                                            int64_t case_id) {
  std::map<std::string, int, std::less<>> lengths;
  if (!def.catalogue_item) return lengths;
  HUIYIN_TRY(tx.Query("SELECT legal_limit_wd, committed_limit_wd FROM case_items WHERE case_id = ?",
                      {case_id}, [&](const Row& r) {
                        lengths =
                            ItemLengths(static_cast<int>(r.Int(0)), static_cast<int>(r.Int(1)));
                      }));
  return lengths;
}

// The published service item an application names in `category` (RULES.md §2: only registered
// items may be applied for; an abolished item takes no new applications).
struct AppliedItem {
  int64_t id = 0;
  int64_t version = 0;
  int64_t org_id = 0;
  int legal = 0;
  int committed = 0;
  std::string handling_kind;  // new, change, renew, cancel
  std::string org_path, org_name;
};

Result<AppliedItem> ItemAppliedFor(Tx& tx, const std::string& code) {
  if (code.empty()) {
    return FieldInvalid("category",
                        "name the service item applied for by its code (GET "
                        "/api/v1/services lists the catalogue)");
  }
  std::optional<AppliedItem> item;
  std::string status;
  std::optional<int64_t> abolished;
  HUIYIN_TRY(tx.Query(
      "SELECT i.id, i.published_version, i.org_id, i.legal_limit_wd, i.committed_limit_wd, "
      "i.status, i.abolished_at, i.handling_kind, o.path, o.name FROM service_items i JOIN orgs "
      "o ON o.id = i.org_id WHERE i.code = ?",
      {code}, [&](const Row& r) {
        if (r.IsNull(1)) return;  // never published
        item = AppliedItem{r.Int(0),
                           r.Int(1),
                           r.Int(2),
                           static_cast<int>(r.Int(3)),
                           static_cast<int>(r.Int(4)),
                           r.String(7),
                           r.String(8),
                           r.String(9)};
        status = r.String(5);
        abolished = r.OptInt(6);
      }));
  if (!item) {
    return FieldInvalid("category", "no published service item has the code " + code +
                                        ": only items registered in the catalogue may be applied "
                                        "for (GET /api/v1/services)");
  }
  if (status == "abolished") {
    return MakeError(ErrorCode::kIllegalTransition,
                     "service item " + code + " was abolished on " +
                         FormatDate(LocalDate(FromMillis(abolished.value_or(0)))) +
                         " and takes no new applications; open applications still finish");
  }
  return *item;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// What a case view is made of besides its record: loaded by Get, known in memory at intake.
struct CaseExtras {
  std::vector<OrgRef> co_orgs;
  std::string merged_into;
  std::vector<RelatedCase> related;
  std::vector<const core::Clock*> clocks;  // in stored order (by name)
  std::vector<EventView> events;           // every event, as staff see it (label filled here)
};

// The case as a caller with `access` sees it: personal data masked or hidden by role, the
// timeline filtered, the transitions the caller may take now.
CaseView ViewOf(const CaseRow& c, Access access, const Principal* actor,
                const core::WorkflowDef& def, const core::Calendar& cal, const Crypto& crypto,
                Timestamp now, CaseExtras extras) {
  const bool staff = access == Access::kUnit || access == Access::kCityWide;
  CaseView v;
  v.id = c.id;
  v.number = c.number;
  v.kind = c.kind;
  v.type = c.type;
  if (const auto* t = def.Type(c.type)) v.type_label = t->label;
  v.channel = c.channel;
  v.state = c.state;
  v.state_label = std::string(StateLabel(def, c.state));
  v.title = c.title;
  v.content = c.content;
  v.category = c.category;
  v.region_code = c.region_code;
  v.address = c.address;
  v.lat = c.lat;
  v.lng = c.lng;
  v.anonymous = c.anonymous;
  v.requester_confidential = c.confidential;
  v.public_view = access == Access::kPublic;
  v.attributes_json = c.attributes;
  // Identity: the requester sees their own; the hotline centre sees it in clear (it calls back);
  // handling units see it masked, or not at all for a confidential report (举报).
  if (access == Access::kRequester || (actor && SeesRequesterInClear(*actor))) {
    if (!c.requester_name_enc.empty()) {
      auto n = crypto.Decrypt(c.requester_name_enc);
      if (n.ok()) v.requester_name = *n;
    }
    if (!c.requester_phone_enc.empty()) {
      auto p = crypto.Decrypt(c.requester_phone_enc);
      if (p.ok()) v.requester_phone = *p;
    }
  } else if (access == Access::kUnit && !c.confidential) {
    v.requester_name = c.requester_name_masked;
    if (!c.requester_phone_enc.empty()) {
      auto p = crypto.Decrypt(c.requester_phone_enc);
      if (p.ok()) v.requester_phone = core::MaskPhone(*p);
    }
  } else if (c.confidential && access != Access::kPublic) {
    v.requester_name = "保密 (confidential)";
  }
  if (c.lead_org_id) v.lead_org = OrgRef{*c.lead_org_id, c.lead_org_name};
  v.co_orgs = std::move(extras.co_orgs);
  // The reply is the requester's once it has been approved (published).
  if (staff || c.replied_at) v.reply = c.reply;
  if (c.satisfaction) v.satisfaction = static_cast<int>(*c.satisfaction);
  if (c.resolved) v.resolved = *c.resolved != 0;
  v.merged_into = std::move(extras.merged_into);
  v.related = std::move(extras.related);
  v.version = c.version;
  v.created_at = FromMillis(c.created_at);
  v.updated_at = FromMillis(c.updated_at);
  if (c.closed_at) v.closed_at = FromMillis(*c.closed_at);
  for (const core::Clock* clock : extras.clocks) {
    const core::Clock& k = *clock;
    const core::ClockSpec* spec = def.ClockNamed(k.name());
    core::ClockStatus st = k.Evaluate(cal, now);
    ClockView cv;
    cv.name = k.name();
    cv.label = spec ? spec->label : cv.name;
    cv.unit = std::string(core::ClockUnitName(k.unit()));
    cv.length = k.length();
    cv.extended = k.TotalLength() - k.length();
    cv.start = k.start();
    cv.deadline = st.deadline;
    cv.window = spec && spec->window;
    if (cv.window) {
      // A window is open until its deadline or until it is used; it is never late.
      cv.level = st.level == core::ClockLevel::kNormal || st.level == core::ClockLevel::kYellow
                     ? "open"
                     : "closed";
    } else {
      cv.level = std::string(core::ClockLevelName(st.level));
    }
    cv.provisional = st.provisional;
    cv.remaining = st.remaining;
    cv.paused = k.IsPaused();
    cv.stopped = k.IsStopped();
    v.clocks.push_back(std::move(cv));
  }
  for (EventView& e : extras.events) {
    if (!staff && !e.is_public) continue;
    const auto* t = def.Transition(e.action);
    if (!staff) {
      e.actor_name.clear();
      e.role.clear();
      if (e.action != "clock.recomputed" && !(t && t->public_note)) e.note.clear();
    }
    e.label = t ? t->label : e.action;
    v.timeline.push_back(std::move(e));
  }
  if (actor && access != Access::kPublic) {
    // Offered only when its clocks allow it now (before_clock, within_clock, after_clock).
    auto clock_open = [&](const std::string& name) {
      if (name.empty()) return true;
      for (const auto& k : v.clocks) {
        if (k.name == name) return !k.stopped && now <= k.deadline;
      }
      return false;
    };
    // Four eyes: not offered to whoever last took the transition it must follow from another
    // (staff, who take such steps, see every event on the timeline).
    auto last_actor = [&](const std::string& action) -> int64_t {
      for (auto it = v.timeline.rbegin(); it != v.timeline.rend(); ++it) {
        if (it->action == action) return it->actor_id;
      }
      return 0;
    };
    for (const auto* t : core::AvailableTransitions(def, FactsOf(c), *actor)) {
      if (!clock_open(t->before_clock) || !clock_open(t->within_clock)) continue;
      if (!t->not_by_actor_of.empty() && actor->user_id != 0 &&
          last_actor(t->not_by_actor_of) == actor->user_id) {
        continue;
      }
      v.transitions.push_back({t->name, t->label, t->required});
    }
  }
  return v;
}

}  // namespace

bool TransitionInput::Has(std::string_view name) const {
  auto text = [](const std::optional<std::string>& s) { return s && !s->empty(); };
  if (name == "reply") return text(reply);
  if (name == "reason") return text(reason);
  if (name == "note") return text(note);
  if (name == "channel") return text(channel);
  if (name == "target") return text(target);
  if (name == "lead_org_id") return lead_org_id.has_value();
  if (name == "co_org_ids") return !co_org_ids.empty();
  if (name == "days") return days.has_value();
  if (name == "resolved") return resolved.has_value();
  if (name == "satisfaction") return satisfaction.has_value();
  return false;
}

CaseService::CaseService(storage::Database& db, const Crypto& crypto, CalendarService& calendar,
                         std::shared_ptr<const WorkflowRegistry> workflows)
    : db_(db), crypto_(crypto), calendar_(calendar), workflows_(std::move(workflows)) {}

Result<IntakeResult> CaseService::Intake(const Principal* actor, const NewCase& input,
                                         const std::string& idempotency_key,
                                         const std::string& request_digest,
                                         const RequestMeta& meta) {
  const core::WorkflowDef* def = workflows_->Find(input.kind);
  if (!def) return FieldInvalid("kind", "'" + input.kind + "' is not a case kind");
  if (def->spawned_only) {
    return FieldInvalid("kind", "a " + input.kind +
                                    " case is opened by Huiyin itself (e.g. for a bad rating), "
                                    "never filed");
  }
  HUIYIN_TRY(ValidateNewCase(*def, input));
  NewCase in = input;
  const bool staff = actor && actor->kind == PrincipalKind::kStaff;
  const bool integration = actor && actor->kind == PrincipalKind::kIntegration;
  if (staff) {
    if (!actor->HasPermission("hotline:case:intake")) {
      return MakeError(ErrorCode::kForbidden,
                       "taking cases in needs the hotline:case:intake permission (hotline agents, "
                       "window clerks, dispatchers)");
    }
  } else if (!integration) {
    // Citizens, enterprises and anonymous people file online themselves.
    if (in.channel != "web" && in.channel != "mobile") {
      return FieldInvalid("channel", "online filing uses the channel web or mobile");
    }
    in.requester_name.clear();
    in.requester_phone.clear();
  }
  std::string phone;
  if (!in.requester_phone.empty()) {
    auto p = core::NormalizeMobile(in.requester_phone);
    if (!p.ok()) return FieldInvalid("requester/phone", p.error().detail);
    phone = *p;
  }
  if (CodePoints(in.requester_name) > 50) {
    return FieldInvalid("requester/name", "must be at most 50 characters");
  }
  const core::CaseTypeDef* type = def->Type(in.type);
  const bool confidential = in.confidential || type->confidential_requester;
  const std::string scope = actor ? "u:" + std::to_string(actor->user_id) : "anon";
  const std::string check_code = NewCheckCode();
  auto cal = calendar_.Current();

  auto replay = [&](Tx& tx) -> Result<std::optional<std::pair<std::string, std::string>>> {
    std::optional<std::pair<std::string, std::string>> found;
    HUIYIN_TRY(tx.Query(
        "SELECT request_hash, body FROM idempotency_keys WHERE scope = ? AND key = ?",
        {scope, idempotency_key}, [&](const Row& r) { found.emplace(r.String(0), r.String(1)); }));
    return found;
  };

  std::string number;
  std::string code_out = check_code;
  bool replayed = false;
  // What was written, for the answer (no second read of the new case).
  CaseRow created;
  Access created_access = Access::kNone;
  std::map<std::string, core::Clock> created_clocks;
  EventView intake_event;
  Status s = db_.Write([&](Tx& tx) -> Status {
    if (!idempotency_key.empty()) {
      HUIYIN_ASSIGN_OR_RETURN(auto prior, replay(tx));
      if (prior) {
        if (prior->first != request_digest) {
          return MakeError(ErrorCode::kIdempotencyMismatch,
                           "this Idempotency-Key was used for a different submission; use a new "
                           "key for a new case");
        }
        auto plain = crypto_.Decrypt(prior->second);
        if (!plain.ok()) return std::move(plain).error();
        auto bar = plain->find('|');
        number = plain->substr(0, bar);
        code_out = bar == std::string::npos ? "" : plain->substr(bar + 1);
        replayed = true;
        return Status::Ok();
      }
    }
    HUIYIN_ASSIGN_OR_RETURN(number, NextNumber(tx, def->prefix, meta.now));
    std::optional<int64_t> requester_id;
    std::string name_enc, phone_enc, phone_index, name_masked;
    if (actor &&
        (actor->kind == PrincipalKind::kCitizen || actor->kind == PrincipalKind::kEnterprise)) {
      requester_id = actor->user_id;
      name_masked = core::MaskName(actor->display_name);
      name_enc = crypto_.Encrypt(actor->display_name);
    } else if (!in.requester_name.empty() || !phone.empty()) {
      if (!in.requester_name.empty()) {
        name_enc = crypto_.Encrypt(in.requester_name);
        name_masked = core::MaskName(in.requester_name);
      }
      if (!phone.empty()) {
        phone_enc = crypto_.Encrypt(phone);
        phone_index = crypto_.BlindIndex("phone", phone);
      }
    }
    std::optional<std::string> region;
    if (!in.region_code.empty()) region = in.region_code;
    std::optional<AppliedItem> item;
    std::optional<followups::RenewalTarget> renewal;
    std::optional<int64_t> lead;  // an application: the implementing organisation from the start
    if (def->catalogue_item) {
      HUIYIN_ASSIGN_OR_RETURN(item, ItemAppliedFor(tx, in.category));
      lead = item->org_id;
      if ((item->handling_kind == "renew") != (in.type == "renew")) {
        return FieldInvalid("type",
                            item->handling_kind == "renew"
                                ? "item " + in.category +
                                      " renews a licence (延续): file it with type renew "
                                      "and the licence's number"
                                : "item " + in.category +
                                      " is not a renewal item: apply for its renewal (延续) "
                                      "item with type renew");
      }
      if (in.type == "renew") {
        HUIYIN_ASSIGN_OR_RETURN(renewal, followups::RenewalLicence(tx, in.licence, in.category,
                                                                   requester_id, meta.now));
      }
      in.attributes_json = "{\"item_code\":\"" + in.category +
                           "\",\"item_version\":" + std::to_string(item->version) + "}";
    }
    HUIYIN_ASSIGN_OR_RETURN(
        auto id,
        tx.QueryInt("INSERT INTO cases (number, kind, type, channel, state, title, content, "
                    "category, region_code, address, lat, lng, requester_id, requester_name_enc, "
                    "requester_phone_enc, requester_phone_index, anonymous, confidential, "
                    "check_code_hash, attributes, requester_name_masked, created_at, updated_at, "
                    "lead_org_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    "?, ?, ?, ?, ?) RETURNING id",
                    {number,
                     def->kind,
                     in.type,
                     in.channel,
                     def->initial,
                     in.title,
                     in.content,
                     in.category,
                     region,
                     in.address,
                     in.lat,
                     in.lng,
                     requester_id,
                     name_enc.empty() ? std::optional<std::string>() : name_enc,
                     phone_enc.empty() ? std::optional<std::string>() : phone_enc,
                     phone_index.empty() ? std::optional<std::string>() : phone_index,
                     in.anonymous,
                     confidential,
                     crypto_.BlindIndex("check", check_code),
                     in.attributes_json,
                     name_masked,
                     ToMillis(meta.now),
                     ToMillis(meta.now),
                     lead}));
    int64_t case_id = id.value_or(0);
    std::map<std::string, int, std::less<>> lengths;
    if (item) {
      HUIYIN_TRY(
          tx.Exec("INSERT INTO case_items (case_id, item_id, item_version, legal_limit_wd, "
                  "committed_limit_wd) VALUES (?, ?, ?, ?, ?)",
                  {case_id, item->id, item->version, item->legal, item->committed}));
      lengths = ItemLengths(item->legal, item->committed);
    }
    if (renewal) {
      HUIYIN_TRY(followups::LinkRenewal(tx, case_id, *renewal));
      lengths.emplace("licence_days_left", renewal->days_left);
    }
    std::map<std::string, core::Clock> clocks;
    HUIYIN_TRY(core::ApplyClockEffects(*def, def->intake_effects, in.type, meta.now, 0, "system",
                                       clocks, lengths));
    HUIYIN_TRY(SaveClockMap(tx, *def, case_id, lead, clocks, *cal, meta.now));
    const std::string intake_note = "channel " + in.channel;
    HUIYIN_ASSIGN_OR_RETURN(int64_t event_id, AddEvent(tx, case_id, meta.now, actor, "intake", "",
                                                       def->initial, intake_note, true));
    created = CaseRow{};
    created.id = case_id;
    created.number = number;
    created.kind = def->kind;
    created.type = in.type;
    created.channel = in.channel;
    created.state = def->initial;
    created.title = in.title;
    created.content = in.content;
    created.category = in.category;
    created.region_code = in.region_code;
    created.address = in.address;
    created.lat = in.lat;
    created.lng = in.lng;
    created.requester_id = requester_id;
    created.requester_name_enc = name_enc;
    created.requester_phone_enc = phone_enc;
    created.anonymous = in.anonymous;
    created.confidential = confidential;
    created.lead_org_id = lead;
    created.attributes = in.attributes_json;
    created.version = 1;
    created.created_at = created.updated_at = ToMillis(meta.now);
    created.requester_name_masked = name_masked;
    if (item) {
      created.lead_org_path = item->org_path;
      created.lead_org_name = item->org_name;
    }
    created_clocks = std::move(clocks);
    intake_event = EventView{};
    intake_event.id = event_id;
    intake_event.actor_id = actor ? actor->user_id : 0;
    intake_event.at = meta.now;
    std::tie(intake_event.actor_name, intake_event.role) = ActorNameRole(actor);
    intake_event.action = "intake";
    intake_event.to_state = def->initial;
    intake_event.note = intake_note;
    intake_event.is_public = true;
    if (!idempotency_key.empty()) {
      HUIYIN_TRY(
          tx.Exec("INSERT INTO idempotency_keys (scope, key, request_hash, status, body, "
                  "created_at) VALUES (?, ?, ?, 201, ?, ?)",
                  {scope, idempotency_key, request_digest,
                   crypto_.Encrypt(number + "|" + check_code), ToMillis(meta.now)}));
    }
    AuditRecord rec =
        actor ? AuditOf(*actor, meta, "case.intake", "case", number)
              : AuditRecord{std::nullopt,  "anonymous", "",     std::nullopt, meta.remote_addr,
                            "case.intake", "case",      number, "ok",         request_digest};
    rec.digest = request_digest;
    auto a = AppendAudit(tx, rec, meta.now);
    if (!a.ok()) return std::move(a).error();
    HUIYIN_ASSIGN_OR_RETURN(created_access, AccessIn(tx, actor, created));
    return Status::Ok();
  });
  if (!s.ok() && s.error().code == ErrorCode::kConflict && !idempotency_key.empty()) {
    // A concurrent retry with the same key won the race: answer with its case.
    Status again = db_.Read([&](Tx& tx) -> Status {
      HUIYIN_ASSIGN_OR_RETURN(auto prior, replay(tx));
      if (!prior) return MakeError(ErrorCode::kConflict, "concurrent intake; retry");
      if (prior->first != request_digest) {
        return MakeError(ErrorCode::kIdempotencyMismatch,
                         "this Idempotency-Key was used for a different submission");
      }
      HUIYIN_ASSIGN_OR_RETURN(std::string plain, crypto_.Decrypt(prior->second));
      auto bar = plain.find('|');
      number = plain.substr(0, bar);
      code_out = bar == std::string::npos ? "" : plain.substr(bar + 1);
      replayed = true;
      return Status::Ok();
    });
    if (!again.ok()) return std::move(again).error();
  } else if (!s.ok()) {
    return std::move(s).error();
  }
  // The requester (or the agent on the phone) may read what was just filed: built from what was
  // written (a replay reads the first case back).
  IntakeResult result;
  if (replayed) {
    auto view = Get(actor, number, code_out, meta.now);
    if (!view.ok()) return std::move(view).error();
    result.view = std::move(view).value();
  } else {
    Access access = created_access;
    if (access == Access::kNone) access = Access::kPublic;  // holds the check code just made
    CaseExtras extras;
    for (const auto& [name, clock] : created_clocks) extras.clocks.push_back(&clock);
    extras.events.push_back(std::move(intake_event));
    result.view = ViewOf(created, access, actor, *def, *cal, crypto_, meta.now, std::move(extras));
  }
  result.check_code = code_out;
  result.replayed = replayed;
  return result;
}

Result<CaseView> CaseService::Get(const Principal* actor, std::string_view number,
                                  const std::optional<std::string>& check_code, Timestamp now) {
  auto cal = calendar_.Current();
  return db_.ReadValue<CaseView>([&](Tx& tx) -> Result<CaseView> {
    HUIYIN_ASSIGN_OR_RETURN(auto row, LoadCase(tx, number));
    if (!row) return NotFound(number);
    CaseRow& c = *row;
    HUIYIN_ASSIGN_OR_RETURN(Access access, AccessIn(tx, actor, c));
    if (access == Access::kNone && check_code && !check_code->empty() &&
        crypto_.BlindIndex("check", *check_code) == c.check_code_hash) {
      access = Access::kPublic;
    }
    if (access == Access::kNone) return NotFound(number);
    const core::WorkflowDef* def = workflows_->Find(c.kind);
    if (!def) return MakeError(ErrorCode::kInternal, "case kind " + c.kind + " has no workflow");
    CaseExtras extras;
    for (size_t i = 0; i < c.co_orgs.size(); ++i) {
      extras.co_orgs.push_back({c.co_orgs[i].first, c.co_org_names[i]});
    }
    if (c.merged_into) {
      HUIYIN_ASSIGN_OR_RETURN(
          auto target, tx.QueryText("SELECT number FROM cases WHERE id = ?", {*c.merged_into}));
      extras.merged_into = target.value_or("");
    }
    // Linked cases: the one this was opened for and those opened for it.
    auto add_related = [&](const Row& r, const char* relation) {
      const core::WorkflowDef* rd = workflows_->Find(r.String(1));
      std::string state = r.String(2);
      extras.related.push_back(
          {r.String(0), r.String(1), rd ? std::string(StateLabel(*rd, state)) : state, relation});
    };
    if (c.parent_id) {
      HUIYIN_TRY(tx.Query("SELECT number, kind, state FROM cases WHERE id = ?", {*c.parent_id},
                          [&](const Row& r) { add_related(r, "parent"); }));
    }
    HUIYIN_TRY(tx.Query("SELECT number, kind, state FROM cases WHERE parent_id = ? ORDER BY id",
                        {c.id}, [&](const Row& r) { add_related(r, "child"); }));
    HUIYIN_ASSIGN_OR_RETURN(auto clocks, storage::LoadClocks(tx, c.id));
    for (const auto& k : clocks) extras.clocks.push_back(&k.clock);
    HUIYIN_TRY(
        tx.Query("SELECT id, at, actor_name, role, action, from_state, to_state, note, public, "
                 "actor_id FROM case_events WHERE case_id = ? ORDER BY id",
                 {c.id}, [&](const Row& r) {
                   EventView e;
                   e.id = r.Int(0);
                   e.actor_id = r.Int(9);
                   e.at = FromMillis(r.Int(1));
                   e.actor_name = r.String(2);
                   e.role = r.String(3);
                   e.action = r.String(4);
                   e.from_state = r.String(5);
                   e.to_state = r.String(6);
                   e.note = r.String(7);
                   e.is_public = r.Int(8) != 0;
                   extras.events.push_back(std::move(e));
                 }));
    return ViewOf(c, access, actor, *def, *cal, crypto_, now, std::move(extras));
  });
}

Result<CaseHandle> CaseService::Resolve(Tx& tx, const Principal& actor,
                                        std::string_view number) const {
  HUIYIN_ASSIGN_OR_RETURN(auto row, LoadCase(tx, number));
  if (!row) return NotFound(number);
  HUIYIN_ASSIGN_OR_RETURN(const Access access, AccessIn(tx, &actor, *row));
  if (access == Access::kNone || access == Access::kPublic) return NotFound(number);
  const core::WorkflowDef* def = workflows_->Find(row->kind);
  const core::StateDef* state = def ? def->State(row->state) : nullptr;
  CaseHandle h;
  h.id = row->id;
  h.number = row->number;
  h.kind = row->kind;
  h.state = row->state;
  h.category = row->category;
  h.open = !(state && state->terminal);
  h.requester = access == Access::kRequester;
  h.staff = access == Access::kUnit || access == Access::kCityWide;
  return h;
}

Result<CaseView> CaseService::Transition(const Principal& actor, std::string_view number,
                                         std::string_view name, const TransitionInput& input,
                                         const RequestMeta& meta) {
  if (!input.version) {
    return MakeError(ErrorCode::kPreconditionRequired,
                     "send the case's current version (field \"version\" or an If-Match header) so "
                     "a change made meanwhile is not overwritten");
  }
  auto cal = calendar_.Current();
  Status s = db_.Write([&](Tx& tx) -> Status {
    HUIYIN_ASSIGN_OR_RETURN(auto row, LoadCase(tx, number));
    if (!row) return NotFound(number);
    CaseRow& c = *row;
    HUIYIN_ASSIGN_OR_RETURN(Access access, AccessIn(tx, &actor, c));
    if (access == Access::kNone) return NotFound(number);
    const core::WorkflowDef* def = workflows_->Find(c.kind);
    if (!def) return MakeError(ErrorCode::kInternal, "no workflow for " + c.kind);
    const core::TransitionDef* t = def->Transition(name);
    if (!t) {
      return MakeError(ErrorCode::kNotFound,
                       "a " + c.kind + " case has no transition '" + std::string(name) + "'");
    }
    if (*input.version != c.version) {
      return MakeError(ErrorCode::kVersionConflict, "the case changed meanwhile (your version " +
                                                        std::to_string(*input.version) + ", now " +
                                                        std::to_string(c.version) +
                                                        "): reload it and try again");
    }
    HUIYIN_TRY(core::MayTake(*def, *t, FactsOf(c), actor));
    std::vector<FieldError> missing;
    for (const auto& f : t->required) {
      if (!input.Has(f)) missing.push_back({f, "is required for '" + t->name + "'"});
    }
    if (!missing.empty()) {
      std::vector<std::string> names;
      for (const auto& m : missing) names.push_back(m.field);
      return Error(ErrorCode::kInvalidArgument, "'" + t->name + "' needs " + Join(names), missing);
    }
    for (const auto* text : {&input.reply, &input.reason, &input.note}) {
      if (*text && CodePoints(**text) > 4000) {
        return FieldInvalid("reply", "texts must be at most 4,000 characters");
      }
    }
    if (input.satisfaction && (*input.satisfaction < 1 || *input.satisfaction > 5)) {
      return FieldInvalid("satisfaction", "must be 1 (非常不满意) to 5 (非常满意)");
    }
    if (t->rectifies_bad_rating && input.satisfaction && *input.satisfaction <= 2 &&
        input.reasons.empty()) {
      return FieldInvalid("reasons", "a bad rating (差评, 1 or 2) says why: give its reasons");
    }
    if (!t->not_by_actor_of.empty() && actor.user_id != 0) {
      HUIYIN_ASSIGN_OR_RETURN(
          auto last,
          tx.QueryInt("SELECT actor_id FROM case_events WHERE case_id = ? AND action = ? "
                      "ORDER BY id DESC LIMIT 1",
                      {c.id, t->not_by_actor_of}));
      if (last && *last == actor.user_id) {
        return MakeError(ErrorCode::kForbidden,
                         "'" + t->name + "' must be taken by someone other than who took '" +
                             t->not_by_actor_of + "' on this case (two people check it)");
      }
    }
    HUIYIN_ASSIGN_OR_RETURN(auto clocks, LoadClockMap(tx, c.id));
    if (!t->after_clock.empty()) {
      auto it = clocks.find(t->after_clock);
      if (it == clocks.end() || it->second.IsStopped() ||
          meta.now <= it->second.Deadline(*cal, meta.now)) {
        return MakeError(ErrorCode::kIllegalTransition, "'" + t->name + "' comes only once the " +
                                                            t->after_clock + " period has run out");
      }
    }
    for (const auto* clock_name : {&t->before_clock, &t->within_clock}) {
      if (clock_name->empty()) continue;
      auto it = clocks.find(*clock_name);
      const core::ClockSpec* spec = def->ClockNamed(*clock_name);
      if (it == clocks.end() || it->second.IsStopped() ||
          meta.now > it->second.Deadline(*cal, meta.now)) {
        return MakeError(
            ErrorCode::kIllegalTransition,
            "'" + t->name + "' is possible only before the end of the " +
                (spec ? spec->label : *clock_name) + " period" +
                (it == clocks.end() ? ""
                                    : " (" + FormatIso(it->second.Deadline(*cal, meta.now)) + ")"));
      }
    }
    // Dispatch: the lead unit and co-units must exist.
    std::optional<int64_t> lead = c.lead_org_id;
    std::string lead_path = c.lead_org_path;
    if (input.lead_org_id &&
        std::find(t->required.begin(), t->required.end(), "lead_org_id") != t->required.end()) {
      HUIYIN_ASSIGN_OR_RETURN(
          auto path,
          tx.QueryText("SELECT path FROM orgs WHERE id = ? AND active = 1", {*input.lead_org_id}));
      if (!path) return FieldInvalid("lead_org_id", "no active organisation with that id");
      lead = input.lead_org_id;
      lead_path = *path;
      HUIYIN_TRY(tx.Exec("DELETE FROM case_co_orgs WHERE case_id = ?", {c.id}));
      for (int64_t co : input.co_org_ids) {
        if (co == *lead) continue;
        HUIYIN_ASSIGN_OR_RETURN(auto exists,
                                tx.QueryInt("SELECT count(*) FROM orgs WHERE id = ?", {co}));
        if (!exists || *exists == 0)
          return FieldInvalid("co_org_ids", "no organisation " + std::to_string(co));
        HUIYIN_TRY(tx.Exec("INSERT INTO case_co_orgs (case_id, org_id) VALUES (?, ?)", {c.id, co}));
      }
    }
    // Merge: into another open case of the same kind.
    std::optional<int64_t> merge_target;
    if (input.target &&
        std::find(t->required.begin(), t->required.end(), "target") != t->required.end()) {
      HUIYIN_ASSIGN_OR_RETURN(auto target, LoadCase(tx, *input.target));
      if (!target || target->kind != c.kind || target->id == c.id) {
        return FieldInvalid("target", "must be the number of another " + c.kind + " case");
      }
      const core::StateDef* ts = def->State(target->state);
      if (ts && ts->terminal) {
        return FieldInvalid("target", target->number + " is already " + target->state);
      }
      merge_target = target->id;
    }
    const std::string to = t->to.empty() ? c.state : t->to;
    HUIYIN_ASSIGN_OR_RETURN(auto lengths, CaseLengths(tx, *def, c.id));
    HUIYIN_TRY(core::ApplyClockEffects(
        *def, t->effects, c.type, meta.now, input.days.value_or(0),
        actor.display_name.empty() ? actor.username : actor.display_name, clocks, lengths));
    const core::StateDef* to_state = def->State(to);
    const bool closing = to_state && to_state->terminal && to != c.state;
    if (closing) {
      // Closing stops every clock but those this transition starts (the rating period).
      auto started_here = [&](const std::string& clock) {
        return std::any_of(t->effects.begin(), t->effects.end(), [&](const core::ClockEffect& e) {
          return e.clock == clock &&
                 (e.op == core::ClockOp::kStart || e.op == core::ClockOp::kRestart);
        });
      };
      for (auto& [n, clock] : clocks) {
        if (!clock.IsStopped() && !started_here(n)) HUIYIN_TRY(clock.Stop(meta.now));
      }
    }
    HUIYIN_TRY(SaveClockMap(tx, *def, c.id, lead, clocks, *cal, meta.now));

    // The case record: state, version, and what this transition records.
    std::string sql =
        "UPDATE cases SET state = ?, version = version + 1, updated_at = ?, lead_org_id = ?";
    std::vector<storage::Param> params{to, ToMillis(meta.now), lead};
    if (input.reply && input.Has("reply")) {
      sql += ", reply = ?";
      params.emplace_back(*input.reply);
    }
    if (t->publishes_reply && t->mark != "replied_at") {
      sql += ", replied_at = ?";
      params.emplace_back(ToMillis(meta.now));
    }
    if (input.satisfaction) {
      sql += ", satisfaction = ?";
      params.emplace_back(static_cast<int64_t>(*input.satisfaction));
    }
    if (input.resolved) {
      sql += ", resolved = ?";
      params.emplace_back(static_cast<int64_t>(*input.resolved));
    }
    if (merge_target) {
      sql += ", merged_into = ?";
      params.emplace_back(*merge_target);
    }
    if (closing) {
      sql += ", closed_at = ?";
      params.emplace_back(ToMillis(meta.now));
    }
    if (!t->counter.empty()) sql += ", " + t->counter + " = " + t->counter + " + 1";  // whitelisted
    if (!t->mark.empty()) {
      sql += ", " + t->mark + " = ?";  // whitelisted by ValidateWorkflow
      params.emplace_back(ToMillis(meta.now));
    }
    sql += " WHERE id = ? AND version = ?";
    params.emplace_back(c.id);
    params.emplace_back(c.version);
    HUIYIN_ASSIGN_OR_RETURN(int64_t changed, tx.Exec(sql, storage::ParamSpan(params)));
    if (changed != 1) {
      return MakeError(ErrorCode::kVersionConflict,
                       "the case changed meanwhile: reload it and try again");
    }
    std::string followup_note;  // what Huiyin did beyond the case, for the timeline
    if (input.satisfaction) {
      const bool by_requester =
          actor.kind == PrincipalKind::kCitizen || actor.kind == PrincipalKind::kEnterprise;
      const char* source = actor.is_system ? "default" : by_requester ? "requester" : "callback";
      std::optional<int64_t> resolved;
      if (input.resolved) resolved = *input.resolved ? 1 : 0;
      std::optional<int64_t> rated_by;
      if (actor.user_id) rated_by = actor.user_id;
      HUIYIN_ASSIGN_OR_RETURN(
          auto rating_id,
          tx.QueryInt("INSERT INTO case_ratings (case_id, source, satisfaction, resolved, reasons, "
                      "rated_by, org_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                      {c.id, source, static_cast<int64_t>(*input.satisfaction), resolved,
                       input.reasons, rated_by, lead, ToMillis(meta.now)}));
      const core::WorkflowDef* rect = workflows_->Find(followups::kRectificationKind);
      if (t->rectifies_bad_rating && *input.satisfaction <= 2 && rect && rect != def) {
        HUIYIN_ASSIGN_OR_RETURN(std::string opened,
                                followups::OpenRectification(
                                    tx, *rect, *cal, c.id, c.number, lead, rating_id.value_or(0),
                                    *input.satisfaction, input.reasons, meta.now));
        followup_note = "rectification " + opened + " opened for the bad rating";
      }
    }
    if (t->excludes_rating) HUIYIN_TRY(followups::ExcludeRating(tx, c.id, meta.now));
    if (t->grants_licence) {
      HUIYIN_ASSIGN_OR_RETURN(followup_note,
                              followups::RecordLicence(tx, c.id, c.number, c.type, meta.now));
    }
    if (t->publishes_reply && c.requester_id) {
      HUIYIN_TRY(followups::Notify(
          tx, *c.requester_id, "case.replied", c.number + " " + std::string(StateLabel(*def, to)),
          input.reply ? *input.reply : t->fixed_reply, c.number, meta.now));
    }
    std::string note;
    for (const auto* part : {&input.note, &input.reason, &input.reply, &input.channel}) {
      if (*part && !(*part)->empty()) note += (note.empty() ? "" : "\n") + **part;
    }
    if (input.days) note += (note.empty() ? "" : "\n") + std::to_string(*input.days) + " days";
    if (input.satisfaction) {
      note += (note.empty() ? "" : "\n") + std::string("satisfaction ") +
              std::to_string(*input.satisfaction) +
              (input.resolved ? (*input.resolved ? ", resolved" : ", not resolved") : "");
    }
    if (input.target)
      note += (note.empty() ? "" : "\n") + std::string("merged into ") + *input.target;
    if (!followup_note.empty()) note += (note.empty() ? "" : "\n") + followup_note;
    HUIYIN_TRY(AddEvent(tx, c.id, meta.now, &actor, t->name, c.state, to, note, t->public_event));
    if (merge_target) {
      HUIYIN_TRY(AddEvent(tx, *merge_target, meta.now, &actor, "merged_in", "", "",
                          c.number + " merged into this case", false));
    }
    // A published reply reaches every case merged into this one (all requesters get the answer).
    if (t->publishes_reply) {
      const std::string& reply = input.reply ? *input.reply : c.reply;
      std::vector<std::pair<int64_t, std::string>> merged;
      HUIYIN_TRY(tx.Query("SELECT id, state FROM cases WHERE merged_into = ?", {c.id},
                          [&](const Row& r) { merged.emplace_back(r.Int(0), r.String(1)); }));
      for (const auto& [mid, mstate] : merged) {
        HUIYIN_TRY(
            tx.Exec("UPDATE cases SET reply = ?, replied_at = ?, updated_at = ?, version = "
                    "version + 1 WHERE id = ?",
                    {reply, ToMillis(meta.now), ToMillis(meta.now), mid}));
        HUIYIN_TRY(AddEvent(tx, mid, meta.now, &actor, "reply_via_merge", mstate, mstate,
                            "answered together with " + c.number, true));
      }
    }
    AuditRecord rec = AuditOf(actor, meta, "case." + t->name, "case", c.number);
    rec.digest = Crypto::Sha256Hex(note);
    auto a = AppendAudit(tx, rec, meta.now);
    if (!a.ok()) return std::move(a).error();
    return Status::Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return Get(&actor, number, std::nullopt, meta.now);
}

Result<int> CaseService::RunAutomaticTransitions(Timestamp now, int limit) {
  const Principal system = Principal::System();
  RequestMeta meta;
  meta.now = now;
  meta.remote_addr = "scheduler";
  int changed = 0;
  for (const auto& [kind, def] : workflows_->all()) {
    for (const core::TransitionDef& t : def.transitions) {
      if (!t.automatic) continue;
      std::string states;
      std::vector<storage::Param> params{std::string_view(kind), std::string_view(t.after_clock),
                                         ToMillis(now)};
      for (const auto& f : t.from) {
        states += states.empty() ? "?" : ", ?";
        params.emplace_back(std::string_view(f));
      }
      params.emplace_back(static_cast<int64_t>(limit));
      // Running clocks past their deadline, by the partial index on deadline_at.
      std::vector<std::pair<std::string, int64_t>> due;
      HUIYIN_TRY(db_.Read([&](Tx& tx) -> Status {
        return tx.Query(
            "SELECT c.number, c.version FROM case_clocks k JOIN cases c ON c.id = k.case_id "
            "WHERE c.kind = ? AND k.name = ? AND k.stop_at IS NULL AND k.deadline_at < ? AND "
            "c.state IN (" +
                states + ") ORDER BY k.deadline_at LIMIT ?",
            storage::ParamSpan(params),
            [&](const Row& r) { due.emplace_back(r.String(0), r.Int(1)); });
      }));
      for (const auto& [number, version] : due) {
        TransitionInput in;
        in.version = version;
        in.satisfaction = t.fixed_satisfaction;
        if (!t.fixed_reply.empty()) in.reply = t.fixed_reply;
        auto r = Transition(system, number, t.name, in, meta);
        if (r.ok()) {
          ++changed;
          spdlog::info("{}: {} taken automatically", number, t.name);
        } else if (r.error().code != ErrorCode::kVersionConflict &&
                   r.error().code != ErrorCode::kIllegalTransition) {
          spdlog::warn("{}: automatic {} failed: {}", number, t.name, r.error().detail);
        }
      }
    }
  }
  return changed;
}

}  // namespace huiyin::app

namespace huiyin::app {

Result<ImportReport> CaseService::ImportHistory(
    const Principal& actor, std::string_view csv, bool skip_invalid,
    const std::function<void(int64_t, int64_t)>& progress, const RequestMeta& meta) {
  if (!actor.CanOnCityWide("system:org:edit")) {
    return MakeError(ErrorCode::kForbidden,
                     "importing history needs a city-wide system administrator");
  }
  HUIYIN_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(csv));
  if (records.empty())
    return FieldInvalid("file", "the file is empty; its first line must be the header");
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < records[0].fields.size(); ++i) col[records[0].fields[i]] = i;
  for (const char* required : {"type", "channel", "title", "content", "created_at"}) {
    if (!col.contains(required)) {
      return FieldInvalid("file", std::string("line 1: the header has no column '") + required +
                                      "' (required: type, channel, title, content, created_at)");
    }
  }
  std::map<std::string, std::pair<int64_t, std::string>> orgs;  // code → id, path
  HUIYIN_TRY(db_.Read([&](Tx& tx) {
    return tx.Query("SELECT code, id, path FROM orgs", {}, [&](const Row& r) {
      orgs[r.String(0)] = {r.Int(1), r.String(2)};
    });
  }));
  struct Parsed {
    size_t line;
    NewCase c;
    std::string legacy_id, state, reply;
    Timestamp created{};
    std::optional<int64_t> lead, satisfaction;
  };
  ImportReport report;
  std::vector<Parsed> rows;
  auto get = [&](const CsvRecord& r, const char* name) -> std::string {
    auto it = col.find(name);
    return it == col.end() || it->second >= r.fields.size() ? std::string() : r.fields[it->second];
  };
  for (size_t i = 1; i < records.size(); ++i) {
    const CsvRecord& r = records[i];
    ++report.rows;
    Parsed p;
    p.line = r.line;
    auto reject = [&](const std::string& why) { report.rejected.push_back({r.line, why}); };
    p.c.kind = get(r, "kind").empty() ? "appeal" : get(r, "kind");
    const core::WorkflowDef* def = workflows_->Find(p.c.kind);
    if (!def) {
      reject("unknown kind '" + p.c.kind + "'");
      continue;
    }
    p.c.type = get(r, "type");
    p.c.channel = get(r, "channel");
    p.c.title = get(r, "title");
    p.c.content = get(r, "content");
    p.c.category = get(r, "category");
    p.c.region_code = get(r, "region_code");
    p.c.address = get(r, "address");
    if (auto s = ValidateNewCase(*def, p.c); !s.ok()) {
      reject(s.error().detail);
      continue;
    }
    auto created = ParseIso(get(r, "created_at"));
    if (!created.ok()) {
      reject("created_at: " + created.error().detail);
      continue;
    }
    p.created = *created;
    p.legacy_id = get(r, "legacy_id");
    p.reply = get(r, "reply");
    p.state = get(r, "state");
    if (p.state.empty()) p.state = p.reply.empty() ? def->initial : "closed";
    if (!def->State(p.state)) {
      reject("state '" + p.state + "' is not a state of " + p.c.kind);
      continue;
    }
    if (std::string code = get(r, "lead_org_code"); !code.empty()) {
      auto it = orgs.find(code);
      if (it == orgs.end()) {
        reject("lead_org_code '" + code + "' is not an organisation code");
        continue;
      }
      p.lead = it->second.first;
    }
    if (std::string sat = get(r, "satisfaction"); !sat.empty()) {
      int v = 0;
      if (std::from_chars(sat.data(), sat.data() + sat.size(), v).ec != std::errc{} || v < 1 ||
          v > 5) {
        reject("satisfaction must be 1 to 5");
        continue;
      }
      p.satisfaction = v;
    }
    rows.push_back(std::move(p));
  }
  if (!report.rejected.empty() && !skip_invalid) return report;  // nothing imported
  const std::string digest = Crypto::Sha256Hex(csv);
  HUIYIN_TRY(db_.Write([&](Tx& tx) -> Status {
    int64_t done = 0;
    for (const auto& p : rows) {
      const core::WorkflowDef* def = workflows_->Find(p.c.kind);
      const core::StateDef* st = def->State(p.state);
      HUIYIN_ASSIGN_OR_RETURN(std::string number, NextNumber(tx, def->prefix, p.created));
      std::optional<std::string> region;
      if (!p.c.region_code.empty()) region = p.c.region_code;
      std::optional<int64_t> closed;
      if (st->terminal) closed = ToMillis(p.created);
      HUIYIN_ASSIGN_OR_RETURN(
          auto id,
          tx.QueryInt("INSERT INTO cases (number, kind, type, channel, state, title, content, "
                      "category, region_code, address, lead_org_id, reply, satisfaction, "
                      "check_code_hash, created_at, updated_at, closed_at, replied_at) VALUES (?, "
                      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                      {number, p.c.kind, p.c.type, p.c.channel, p.state, p.c.title, p.c.content,
                       p.c.category, region, p.c.address, p.lead, p.reply, p.satisfaction,
                       crypto_.BlindIndex("check", NewCheckCode()), ToMillis(p.created),
                       ToMillis(p.created), closed,
                       p.reply.empty() ? std::optional<int64_t>() : ToMillis(p.created)}));
      HUIYIN_TRY(AddEvent(
          tx, id.value_or(0), p.created, &actor, "import", "", p.state,
          "imported" + (p.legacy_id.empty() ? "" : " from legacy id " + p.legacy_id), false));
      ++done;
      if (progress && (done % 1000 == 0 || done == static_cast<int64_t>(rows.size()))) {
        progress(done, static_cast<int64_t>(rows.size()));
      }
    }
    AuditRecord rec = AuditOf(actor, meta, "case.import", "cases", std::to_string(done) + " rows");
    rec.digest = digest;
    auto a = AppendAudit(tx, rec, meta.now);
    if (!a.ok()) return std::move(a).error();
    report.imported = done;
    return Status::Ok();
  }));
  return report;
}

}  // namespace huiyin::app
