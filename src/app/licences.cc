#include "huiyin/app/licences.h"

#include <spdlog/spdlog.h>

#include "app/case_followups.h"

namespace huiyin::app {

using storage::Row;
using storage::Tx;

namespace {

constexpr std::string_view kCaseViewPermission = "hotline:case:view";
constexpr int64_t kMillisPerDay = 86'400'000;

}  // namespace

Result<std::vector<LicenceView>> LicenceService::List(const Principal& actor,
                                                      const LicenceQuery& query, Timestamp now) {
  const bool holder =
      actor.kind == PrincipalKind::kCitizen || actor.kind == PrincipalKind::kEnterprise;
  if (!holder && !actor.HasPermission(kCaseViewPermission)) {
    return MakeError(ErrorCode::kForbidden,
                     "licences are read by their holders and by staff who see cases "
                     "(hotline:case:view)");
  }
  if (query.limit < 1 || query.limit > 500) return FieldInvalid("limit", "must be 1 to 500");
  std::string sql =
      "SELECT l.number, i.code, i.name, o.name, l.holder_name_masked, c.number, rc.number, "
      "l.renewals, l.granted_at, l.expires_at, l.reminded_at, o.path FROM licences l "
      "JOIN service_items i ON i.id = l.item_id JOIN orgs o ON o.id = l.org_id "
      "JOIN cases c ON c.id = l.case_id LEFT JOIN cases rc ON rc.id = l.renewed_by WHERE 1 = 1";
  std::vector<storage::Param> params;
  if (holder) {
    sql += " AND l.holder_id = ?";
    params.emplace_back(actor.user_id);
  }
  if (query.expiring_within_days) {
    sql += " AND l.expires_at <= ?";
    params.emplace_back(ToMillis(now) + int64_t{*query.expiring_within_days} * kMillisPerDay);
  }
  sql += " ORDER BY l.expires_at, l.id";
  std::vector<LicenceView> out;
  const Date today = LocalDate(now);
  HUIYIN_TRY(db_.Read([&](Tx& tx) -> Status {
    return tx.Query(sql, storage::ParamSpan(params), [&](const Row& r) {
      if (static_cast<int>(out.size()) >= query.limit) return;
      if (!holder && !actor.CanOn(kCaseViewPermission, r.Text(11))) return;
      LicenceView v;
      v.number = r.String(0);
      v.item_code = r.String(1);
      v.item_name = r.String(2);
      v.org_name = r.String(3);
      v.holder_name = r.String(4);
      v.case_number = r.String(5);
      v.renewed_by = r.String(6);
      v.renewals = r.Int(7);
      v.granted_at = FromMillis(r.Int(8));
      v.expires_at = FromMillis(r.Int(9));
      if (auto at = r.OptInt(10)) v.reminded_at = FromMillis(*at);
      v.days_left = (LocalDate(v.expires_at) - today).count();
      v.status = v.expires_at < now                       ? "expired"
                 : v.days_left <= int64_t{reminder_days_} ? "renewal_due"
                                                          : "valid";
      out.push_back(std::move(v));
    });
  }));
  return out;
}

Result<int> LicenceService::SendRenewalReminders(Timestamp now, int limit) {
  struct Due {
    int64_t id;
    int64_t expires_at;
    std::optional<int64_t> holder;
    std::string number, item_name;
  };
  std::vector<Due> due;
  HUIYIN_TRY(db_.Read([&](Tx& tx) -> Status {
    return tx.Query(
        "SELECT l.id, l.expires_at, l.holder_id, l.number, i.name FROM licences l JOIN "
        "service_items i ON i.id = l.item_id WHERE l.reminded_at IS NULL AND l.expires_at <= ? "
        "AND l.expires_at >= ? ORDER BY l.expires_at LIMIT ?",
        {ToMillis(now) + int64_t{reminder_days_} * kMillisPerDay, ToMillis(now),
         static_cast<int64_t>(limit)},
        [&](const Row& r) {
          due.push_back({r.Int(0), r.Int(1), r.OptInt(2), r.String(3), r.String(4)});
        });
  }));
  int sent = 0;
  for (const Due& d : due) {
    const std::string expiry = FormatDate(LocalDate(FromMillis(d.expires_at)));
    const std::string apply_by =
        FormatDate(LocalDate(FromMillis(d.expires_at)) - std::chrono::days{30});
    Status s = db_.Write([&](Tx& tx) -> Status {
      // The claim: another server that got here first leaves nothing to update.
      HUIYIN_ASSIGN_OR_RETURN(
          int64_t claimed,
          tx.Exec("UPDATE licences SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL AND "
                  "expires_at = ?",
                  {ToMillis(now), d.id, d.expires_at}));
      if (claimed != 1 || !d.holder) return Status::Ok();
      ++sent;
      return followups::Notify(
          tx, *d.holder, "licence.renewal_due", "许可证即将到期 Licence expiring: " + d.number,
          d.item_name + "：有效期至 " + expiry + "。如需延续，请于 " + apply_by +
              " 前提出延续申请（《行政许可法》第五十条）。 Valid until " + expiry +
              "; apply for renewal by " + apply_by + " (Art. 50).",
          d.number, now);
    });
    if (!s.ok()) {
      spdlog::warn("renewal reminder for {}: {}", d.number, s.error().detail);
      continue;
    }
  }
  return sent;
}

Result<std::vector<NotificationView>> LicenceService::Notifications(const Principal& actor,
                                                                    bool unread_only, int limit) {
  if (actor.user_id == 0) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  if (limit < 1 || limit > 200) return FieldInvalid("limit", "must be 1 to 200");
  std::vector<NotificationView> out;
  HUIYIN_TRY(db_.Read([&](Tx& tx) -> Status {
    return tx.Query(
        std::string("SELECT id, kind, subject, body, link, created_at, read_at FROM notifications "
                    "WHERE user_id = ?") +
            (unread_only ? " AND read_at IS NULL" : "") + " ORDER BY id DESC LIMIT ?",
        {actor.user_id, static_cast<int64_t>(limit)}, [&](const Row& r) {
          NotificationView n;
          n.id = r.Int(0);
          n.kind = r.String(1);
          n.subject = r.String(2);
          n.body = r.String(3);
          n.link = r.String(4);
          n.created_at = FromMillis(r.Int(5));
          if (auto at = r.OptInt(6)) n.read_at = FromMillis(*at);
          out.push_back(std::move(n));
        });
  }));
  return out;
}

Status LicenceService::MarkRead(const Principal& actor, int64_t id, Timestamp now) {
  return db_.Write([&](Tx& tx) -> Status {
    HUIYIN_ASSIGN_OR_RETURN(
        auto exists, tx.QueryInt("SELECT count(*) FROM notifications WHERE id = ? AND user_id = ?",
                                 {id, actor.user_id}));
    if (exists.value_or(0) == 0) {
      return MakeError(ErrorCode::kNotFound, "you have no notification " + std::to_string(id));
    }
    HUIYIN_TRY(tx.Exec(
        "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL",
        {ToMillis(now), id, actor.user_id}));
    return Status::Ok();
  });
}

}  // namespace huiyin::app
