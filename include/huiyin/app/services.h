// The service catalogue (事项清单, RULES.md §2): the registered approval and public-service items,
// the only things a citizen or an enterprise may apply for. An item carries every element of
// RULES.md §2 — code (GB/T 39554.1 layout), name, main item / sub-item, handling kind, legal
// basis, implementing organisation and level (delegated powers recorded), conditions, materials,
// steps (each with its time and whether it counts toward the limit), legal and committed limits
// (committed ≤ legal, enforced), fees with their legal basis (no fee without one, Art. 58), place
// and hours, visits in person, phones and FAQ — as a JSON document validated here.
//
// Lifecycle: draft → published → changed → abolished. Content is versioned: every change writes
// version n+1 and the public keeps seeing the published version until the approval office
// publishes the new one; an application keeps the version it was filed under. An abolished item
// takes no new applications, its open cases finish. Editing needs catalogue:item:edit over the
// implementing organisation (department heads for their unit; the approval office city-wide);
// publishing and abolishing need catalogue:item:publish (the approval office, approval_officer).
// Every change runs in one transaction with its audit record ("catalogue.item_create",
// "catalogue.item_change", "catalogue.item_publish", "catalogue.item_abolish"); a stale version
// is kVersionConflict. ServiceCatalogue is thread-safe (it holds only the Database reference).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huiyin/app/context.h"
#include "huiyin/common/result.h"
#include "huiyin/common/time.h"
#include "huiyin/core/calendar.h"
#include "huiyin/storage/database.h"

namespace huiyin::app {

inline constexpr std::string_view kCatalogueEditPermission = "catalogue:item:edit";
inline constexpr std::string_view kCataloguePublishPermission = "catalogue:item:publish";

enum class ItemStatus { kDraft, kPublished, kAbolished };
// "draft", "published", "abolished".
std::string_view ItemStatusName(ItemStatus status);
std::optional<ItemStatus> ParseItemStatus(std::string_view name);

// An item as listed and read. `body` is the JSON document of version `body_version`: the
// published version for the public, the latest for editors in scope.
struct ServiceItem {
  int64_t id = 0;
  std::string code;
  std::string main_code;  // "" for a main item
  std::string name;
  int64_t org_id = 0;
  std::string org_name;
  std::string level;
  std::string item_type;
  std::string handling_kind;
  ItemStatus status = ItemStatus::kDraft;
  int64_t version = 1;                       // the latest content version
  std::optional<int64_t> published_version;  // what applicants see
  int legal_limit_wd = 0;
  int committed_limit_wd = 0;
  std::vector<std::string> life_events;
  std::string body;
  int64_t body_version = 0;
  Timestamp created_at{};
  Timestamp updated_at{};
  std::optional<Timestamp> published_at;
  std::optional<Timestamp> abolished_at;
};

struct ServiceQuery {
  std::string q;           // terms (whitespace-separated), each must occur; "" lists all
  std::string org_code;    // implementing organisation and its subtree
  std::string life_event;  // birth, schooling, employment, business, housing, marriage, ...
  std::string level;       // city, county, township
  std::string item_type;   // licensing, public_service, confirmation, filing, other
  std::optional<ItemStatus> status;  // default: published; others need catalogue:item:edit
  std::string cursor;                // the previous page's next_cursor
  int limit = 20;                    // 1..100
};

struct ServicePage {
  std::vector<ServiceItem> items;  // by code; `body` left empty (GET one item for it)
  std::string next_cursor;         // "" on the last page
};

// What issue 7 counts per item and per organisation over a period of filing dates.
struct ApplicationCounts {
  int64_t applications = 0;     // filed in the period
  int64_t accepted = 0;         // accepted, by the window or deemed (Art. 32)
  int64_t not_accepted = 0;     // refused at acceptance
  int64_t decided = 0;          // granted or denied
  int64_t decided_on_time = 0;  // decided by the decision clock's deadline (the committed limit)
  int64_t working_days = 0;     // working days elapsed from acceptance to decision, summed
  int64_t rated = 0;            // ratings (好差评) of these applications
  int64_t good = 0;             // of which satisfied (4 or 5)
  double acceptance_rate = 0;   // accepted / applications
  double on_time_rate = 0;      // decided_on_time / decided
  double avg_working_days = 0;  // working_days / decided (pauses included)
  double good_rate = 0;         // good / rated
};

struct ItemStatistics {
  std::string code;
  std::string name;
  std::string org_name;
  ItemStatus status = ItemStatus::kPublished;
  int committed_limit_wd = 0;
  int visits = 0;  // in-person visits the item needs
  ApplicationCounts counts;
};

struct OrgStatistics {
  std::string org_name;
  int items = 0;
  ApplicationCounts counts;
};

struct CatalogueStatistics {
  std::vector<ItemStatistics> items;       // published and abolished items in scope, by code
  std::vector<OrgStatistics> orgs;         // by organisation name
  std::vector<std::string> never_applied;  // codes of published items with no application
};

// An in-memory copy of the published catalogue for the public service guide (the default
// search, status published): terms are narrowed by a bitmap per character (the items holding
// every character of the term) before the substring test, so a rare term costs a few bitmap ANDs
// instead of a scan of every item's text. Rebuilt when this process changes the catalogue
// (ServiceCatalogue calls Invalidate) and, for changes made by other servers on the same
// database, when a one-row fingerprint of the catalogue (items, latest change, organisations)
// differs — checked at most once a second. Thread-safe; searches share one immutable snapshot.
class GuideIndex {
 public:
  explicit GuideIndex(storage::Database& db);
  ~GuideIndex();
  GuideIndex(const GuideIndex&) = delete;
  GuideIndex& operator=(const GuideIndex&) = delete;

  // Published items matching `query` (its status ignored) and the lower-cased `terms`.
  Result<ServicePage> Search(const ServiceQuery& query, const std::vector<std::string>& terms,
                             Timestamp now);
  // The next search reloads the catalogue.
  void Invalidate();

 private:
  struct Snapshot;
  Result<std::shared_ptr<const Snapshot>> Current(Timestamp now);

  storage::Database& db_;
  std::mutex mu_;
  std::shared_ptr<const Snapshot> snapshot_;
  Timestamp checked_{};
};

class ServiceCatalogue {
 public:
  // `db` (and `guide`, when given: the public search then runs on it) must outlive the service.
  explicit ServiceCatalogue(storage::Database& db, GuideIndex* guide = nullptr)
      : db_(db), guide_(guide) {}

  // The public service guide: published items (with `status` abolished or draft for editors,
  // drafts only in their scope). A bad filter or cursor is kInvalidArgument naming it.
  Result<ServicePage> Search(const Principal* viewer, const ServiceQuery& query);
  // One item by code. The public gets the published version (kNotFound for a draft); an editor in
  // scope the latest; `version` asks for one version (published ones are public).
  Result<ServiceItem> Get(const Principal* viewer, std::string_view code,
                          std::optional<int64_t> version);
  // A new draft from an item document (JSON text). kInvalidArgument names the bad element;
  // kConflict when the code exists; kForbidden outside the actor's catalogue:item:edit scope.
  Result<ServiceItem> Create(const Principal& actor, std::string_view document,
                             const RequestMeta& meta);
  // Writes version `version` + 1 of the item (the code cannot change). `version` must be the
  // latest (kVersionConflict). An abolished item cannot change (kIllegalTransition).
  Result<ServiceItem> Change(const Principal& actor, std::string_view code, int64_t version,
                             std::string_view document, const RequestMeta& meta);
  // Publishes the latest version (`version` must be it); kIllegalTransition when it already is
  // published or the item is abolished.
  Result<ServiceItem> Publish(const Principal& actor, std::string_view code, int64_t version,
                              const RequestMeta& meta);
  // Abolishes a published item (reason 1..500 characters): no new applications.
  Result<ServiceItem> Abolish(const Principal& actor, std::string_view code, int64_t version,
                              const std::string& reason, const RequestMeta& meta);
  // Applications per item and organisation filed in [from, to) (dashboard:indicator:view; the
  // items of the organisations in the actor's scope, all of them city-wide). Published items
  // with no application in the period are listed in never_applied: a prompt to review or
  // abolish them.
  Result<CatalogueStatistics> Statistics(const Principal& actor, Timestamp from, Timestamp to,
                                         const core::Calendar& calendar);

 private:
  // A write's result; a successful one makes the guide reload.
  Result<ServiceItem> Written(Result<ServiceItem> r);

  storage::Database& db_;
  GuideIndex* guide_;
};

// Validates an item document and returns it normalised (JSON text, keys in a fixed order);
// kInvalidArgument names the element, e.g. "committed_limit_wd: 25 is above the legal limit 20".
// Organisation codes are checked by the caller. Exposed for tests and the demo loader.
Result<std::string> NormaliseItemDocument(std::string_view document);

struct ServicesDemoSummary {
  int items = 0;
  bool already_loaded = false;
  std::string message;
};

// Loads config/demo/services.json ({"version": 1, "items": [...]}) into an empty catalogue, each
// item with its status; nothing when the catalogue already has items. One transaction, audited
// once ("catalogue.demo_load").
Result<ServicesDemoSummary> LoadDemoServices(storage::Database& db,
                                             const std::filesystem::path& file, Timestamp now);

}  // namespace huiyin::app
