// Open311 GeoReport v2 (issue 5): appeal cases read as public service requests. This is the read
// side the /open311/v2 handlers need beyond CaseService (intake goes through CaseService::Intake
// like every other channel): lists by requested time with an id tie-break (index-friendly on
// cases.created_at), one request by case number, and batch tokens.
//
// What a service request shows is public: never the requester's name, phone, account or check
// code, never internal notes; phone, ID numbers and e-mail addresses inside free text are masked.
// Confidential cases and reports of wrongdoing (举报, type "report") are not listed at all.
// Open311Service is thread-safe (it holds references only).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huiyin/app/crypto.h"
#include "huiyin/app/workflows.h"
#include "huiyin/common/result.h"
#include "huiyin/common/time.h"
#include "huiyin/storage/database.h"

namespace huiyin::app {

// The case kind Open311 serves.
inline constexpr std::string_view kOpen311CaseKind = "appeal";
// Reserved key of a case's attributes JSON where Open311 intake keeps media_url and address_id
// (attribute codes are [a-z0-9_], so it never collides with a category's question).
inline constexpr std::string_view kOpen311AttributesKey = "@open311";
// Longest span GET requests may cover, and the default window (the standard's 90 days).
inline constexpr std::chrono::days kOpen311MaxSpan{90};

// One appeal case as an Open311 service request.
struct ServiceRequestView {
  std::string service_request_id;  // the case number
  bool closed = false;             // a terminal workflow state
  std::string status_notes;        // the published reply, else the state's label
  std::string service_code;        // the category code ("" when none)
  std::string service_name;        // the category name ("" when none)
  std::string description;         // the case content, personal identifiers masked
  std::string agency_responsible;  // the lead unit's name ("" before dispatch)
  Timestamp requested{};
  Timestamp updated{};                // closed_at for closed requests
  std::optional<Timestamp> expected;  // the handling clock's deadline
  std::string address;                // personal identifiers masked
  std::string address_id;
  std::optional<double> lat;
  std::optional<double> lng;
  std::string media_url;
};

// GET requests. With `ids` the other filters are ignored (the standard: it overrides the rest).
struct ServiceRequestQuery {
  std::vector<std::string> ids;             // case numbers
  std::vector<std::string> service_codes;   // empty: every category
  Timestamp from{};                         // requested_datetime >= from
  Timestamp to{};                           // requested_datetime <= to
  std::optional<bool> closed;               // nullopt: open and closed
  std::optional<Timestamp> updated_after;   // extension: updated_at >= this
  std::optional<Timestamp> updated_before;  // extension: updated_at <= this
  int page = 1;                             // extension: 1-based
  int page_size = 1000;                     // the standard's default limit (1..1000)
};

class Open311Service {
 public:
  // `db`, `crypto` and `workflows` must outlive the service.
  Open311Service(storage::Database& db, const Crypto& crypto, const WorkflowRegistry& workflows)
      : db_(db), crypto_(crypto), workflows_(workflows) {}

  // Service requests matching `query`, newest requested first (ties by case id, newest first).
  // kInvalidArgument for a page or page size out of range or more than 100 ids.
  Result<std::vector<ServiceRequestView>> List(const ServiceRequestQuery& query);
  // One service request by case number; kNotFound when there is none Open311 may show.
  Result<ServiceRequestView> Get(std::string_view number);
  // The case number filed by an integration under `token` (its Idempotency-Key); kNotFound when
  // no integration used that token.
  Result<std::string> ResolveToken(std::string_view token);

 private:
  storage::Database& db_;
  const Crypto& crypto_;
  const WorkflowRegistry& workflows_;
};

// The idempotency key Open311 intake stores for a client's token (its Idempotency-Key header) or
// for the digest of a submission without one.
std::string Open311IdempotencyKey(std::string_view token_or_digest);

// `text` with mainland mobile numbers ("139****1111"), ID numbers and e-mail addresses masked.
std::string MaskPersonalIdentifiers(std::string_view text);

}  // namespace huiyin::app
