// What the case engine does beyond the case itself, inside the same transaction: the
// rectification case a 差评 opens (RULES.md §6), the licence a grant records or a renewal extends
// (Art. 50), and notifications to the person a case belongs to. Internal to the app layer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "huiyin/app/workflows.h"
#include "huiyin/common/result.h"
#include "huiyin/common/time.h"
#include "huiyin/core/calendar.h"
#include "huiyin/storage/database.h"

namespace huiyin::app::followups {

// The kind Huiyin opens for a 差评 (config/workflows/rectification.json).
inline constexpr std::string_view kRectificationKind = "rectification";

// Opens the rectification case (差评整改) for rating `rating_id` (satisfaction 1 or 2) of case
// `parent_id`: same requester (who may follow and rate it with the same check code), the rated
// unit `lead` handles it, its call-back clock starts. Returns the new case number.
Result<std::string> OpenRectification(storage::Tx& tx, const core::WorkflowDef& def,
                                      const core::Calendar& cal, int64_t parent_id,
                                      std::string_view parent_number, std::optional<int64_t> lead,
                                      int64_t rating_id, int satisfaction, std::string_view reasons,
                                      Timestamp now);

// An appeal against a mistaken or malicious 差评 was upheld on rectification case
// `rectification_id`: that rating leaves every statistic.
Status ExcludeRating(storage::Tx& tx, int64_t rectification_id, Timestamp now);

// The licence a renewal (延续) application names, checked: it exists, was issued under the same
// main item as the renewal item `item_code` (GB/T 39554.1: the same code but for its last part,
// the handling-item number — 食品经营许可 -01 new, -03 renewal), belongs to `holder_id` (when an
// applicant files for themselves), has not expired, has at least 30 days left (Art. 50) and no
// other renewal is open against its current expiry.
struct RenewalTarget {
  int64_t licence_id = 0;
  int64_t expires_at = 0;  // millis, the last valid millisecond
  int days_left = 0;       // calendar days from today to the expiry day
};
Result<RenewalTarget> RenewalLicence(storage::Tx& tx, std::string_view licence_number,
                                     std::string_view item_code, std::optional<int64_t> holder_id,
                                     Timestamp now);
Status LinkRenewal(storage::Tx& tx, int64_t case_id, const RenewalTarget& target);

// The item version an application was filed under: the item, its organisation and that version's
// content (JSON text); nullopt for a case that applies for no item.
struct FiledItem {
  int64_t item_id = 0;
  int64_t org_id = 0;
  std::string body;
};
Result<std::optional<FiledItem>> FiledItemOf(storage::Tx& tx, int64_t case_id);

// The application `case_id` was granted at `now`: a new application (type new) of an item with a
// period of validity records its licence; a renewal extends the licence it names by the period;
// a change or a cancellation records none.
// Returns a line for the timeline ("licence XK… valid until 2031-11-26"), empty when none.
Result<std::string> RecordLicence(storage::Tx& tx, int64_t case_id, std::string_view case_number,
                                  std::string_view type, Timestamp now);

// A message to account `user_id` (GET /api/v1/notifications).
Status Notify(storage::Tx& tx, int64_t user_id, std::string_view kind, std::string_view subject,
              std::string_view body, std::string_view link, Timestamp now);

// The Shanghai date `months` after `d` (the last day of a shorter month: 31 Jan + 1 = 28/29 Feb).
Date AddMonths(Date d, int months);

}  // namespace huiyin::app::followups
