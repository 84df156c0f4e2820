// Licences granted through applications (with the period of validity of their item), renewal
// reminders before expiry (Administrative Licensing Law Art. 50: a renewal is applied for 30 days
// before expiry; one not decided by then counts as granted — config/workflows/application.json
// deem_renewed), and the notifications an account reads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "huiyin/app/context.h"
#include "huiyin/common/result.h"
#include "huiyin/common/time.h"
#include "huiyin/storage/database.h"

namespace huiyin::app {

struct LicenceView {
  std::string number;  // XK…
  std::string item_code;
  std::string item_name;
  std::string org_name;
  std::string holder_name;  // masked
  std::string case_number;  // the granting application
  std::string renewed_by;   // the latest renewal granted ("" none)
  int64_t renewals = 0;
  Timestamp granted_at{};
  Timestamp expires_at{};
  std::optional<Timestamp> reminded_at;
  int64_t days_left = 0;  // calendar days to the expiry day (negative once expired)
  std::string status;     // valid, renewal_due (within the reminder period), expired
};

struct LicenceQuery {
  std::optional<int> expiring_within_days;  // only those expiring within this many days
  int limit = 100;
};

struct NotificationView {
  int64_t id = 0;
  std::string kind;  // licence.renewal_due, case.replied
  std::string subject;
  std::string body;
  std::string link;
  Timestamp created_at{};
  std::optional<Timestamp> read_at;
};

class LicenceService {
 public:
  // `reminder_days`: how long before the expiry the holder is reminded (licences.reminder_days).
  LicenceService(storage::Database& db, int reminder_days)
      : db_(db), reminder_days_(reminder_days) {}

  // A citizen's or enterprise's own licences; staff with hotline:case:view see those issued by
  // the organisations in their scope. Ordered by expiry.
  Result<std::vector<LicenceView>> List(const Principal& actor, const LicenceQuery& query,
                                        Timestamp now);

  // The scheduler: a reminder to the holder of every licence expiring within reminder_days that
  // was not yet reminded for its current expiry (a renewal extends the expiry and re-arms it).
  // Exactly once across servers: the reminder is claimed by a conditional update. Returns how
  // many were sent.
  Result<int> SendRenewalReminders(Timestamp now, int limit = 1000);

  // The signed-in account's notifications, newest first.
  Result<std::vector<NotificationView>> Notifications(const Principal& actor, bool unread_only,
                                                      int limit);
  // Marks one of the account's notifications read (kNotFound for another's).
  Status MarkRead(const Principal& actor, int64_t id, Timestamp now);

 private:
  storage::Database& db_;
  int reminder_days_;
};

}  // namespace huiyin::app
