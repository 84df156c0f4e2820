#include "app/case_followups.h"

#include <nlohmann/json.hpp>

#include "app/case_store.h"

namespace huiyin::app::followups {

using storage::Row;
using storage::Tx;

Date AddMonths(Date d, int months) {
  using namespace std::chrono;
  year_month_day ymd{d};
  year_month ym = year_month{ymd.year(), ymd.month()} + std::chrono::months{months};
  year_month_day_last last{ym.year(), month_day_last{ym.month()}};
  day dd = std::min(ymd.day(), last.day());
  return sys_days{ym.year() / ym.month() / dd};
}

Result<std::string> OpenRectification(Tx& tx, const core::WorkflowDef& def,
                                      const core::Calendar& cal, int64_t parent_id,
                                      std::string_view parent_number, std::optional<int64_t> lead,
                                      int64_t rating_id, int satisfaction, std::string_view reasons,
                                      Timestamp now) {
  HUIYIN_ASSIGN_OR_RETURN(std::string number, case_store::NextNumber(tx, def.prefix, now));
  static constexpr std::string_view kLevels[] = {"", "非常不满意", "不满意"};
  std::string title = "差评整改 " + std::string(parent_number);
  std::string content =
      "评价 Rating: " + std::string(kLevels[satisfaction == 1 ? 1 : 2]) +
      "\n原因 Reasons: " + (reasons.empty() ? "(none given)" : std::string(reasons));
  const std::string type = def.types.empty() ? std::string() : def.types.front().name;
  // The requester's own columns are copied as stored (encrypted, masked, confidential), and the
  // parent's check code hash, so the rater follows the rectification with the code they hold.
  HUIYIN_ASSIGN_OR_RETURN(
      auto id,
      tx.QueryInt(
          "INSERT INTO cases (number, kind, type, channel, state, title, content, category, "
          "region_code, address, requester_id, requester_name_enc, requester_phone_enc, "
          "requester_phone_index, anonymous, confidential, check_code_hash, attributes, "
          "requester_name_masked, created_at, updated_at, lead_org_id, parent_id) "
          "SELECT ?, ?, ?, 'rating', ?, ?, ?, category, region_code, address, requester_id, "
          "requester_name_enc, requester_phone_enc, requester_phone_index, anonymous, "
          "confidential, check_code_hash, '{}', requester_name_masked, ?, ?, ?, id "
          "FROM cases WHERE id = ? RETURNING id",
          {number, def.kind, type, def.initial, title, content, ToMillis(now), ToMillis(now), lead,
           parent_id}));
  if (!id) return MakeError(ErrorCode::kInternal, "the rated case vanished");
  std::map<std::string, core::Clock> clocks;
  HUIYIN_TRY(core::ApplyClockEffects(def, def.intake_effects, type, now, 0, "system", clocks));
  HUIYIN_TRY(case_store::SaveClockMap(tx, def, *id, lead, clocks, cal, now));
  HUIYIN_TRY(case_store::AddEvent(tx, *id, now, nullptr, "intake", "", def.initial,
                                  "opened for the bad rating of " + std::string(parent_number),
                                  true));
  HUIYIN_TRY(
      tx.Exec("UPDATE case_ratings SET rectification_id = ? WHERE id = ?", {*id, rating_id}));
  return number;
}

Status ExcludeRating(Tx& tx, int64_t rectification_id, Timestamp now) {
  HUIYIN_ASSIGN_OR_RETURN(int64_t n,
                          tx.Exec("UPDATE case_ratings SET excluded_at = ? WHERE rectification_id "
                                  "= ? AND excluded_at IS NULL",
                                  {ToMillis(now), rectification_id}));
  if (n == 0) {
    return MakeError(ErrorCode::kIllegalTransition,
                     "this case was not opened for a rating that could be excluded");
  }
  // The rated case's own satisfaction no longer counts either.
  HUIYIN_TRY(tx.Exec(
      "UPDATE cases SET satisfaction = NULL WHERE id = (SELECT case_id FROM case_ratings WHERE "
      "rectification_id = ?) AND satisfaction <= 2",
      {rectification_id}));
  return Status::Ok();
}

namespace {

// The code of an item without its handling-item number (the part after the last '-').
std::string_view MainItemCode(std::string_view code) {
  auto dash = code.rfind('-');
  return dash == std::string_view::npos ? code : code.substr(0, dash);
}

}  // namespace

Result<RenewalTarget> RenewalLicence(Tx& tx, std::string_view licence_number,
                                     std::string_view item_code, std::optional<int64_t> holder_id,
                                     Timestamp now) {
  if (licence_number.empty()) {
    return FieldInvalid("licence",
                        "a renewal (type renew) names the licence it renews: its number, XK…");
  }
  std::optional<RenewalTarget> t;
  std::optional<int64_t> holder;
  std::string licence_item;
  HUIYIN_TRY(
      tx.Query("SELECT l.id, l.expires_at, l.holder_id, i.code FROM licences l JOIN "
               "service_items i ON i.id = l.item_id WHERE l.number = ?",
               {licence_number}, [&](const Row& r) {
                 t = RenewalTarget{r.Int(0), r.Int(1), 0};
                 holder = r.OptInt(2);
                 licence_item = r.String(3);
               }));
  if (!t || (holder_id && holder != holder_id)) {
    return FieldInvalid("licence", "you hold no licence numbered " + std::string(licence_number));
  }
  if (MainItemCode(licence_item) != MainItemCode(item_code)) {
    return FieldInvalid("licence", "licence " + std::string(licence_number) +
                                       " was issued under item " + licence_item +
                                       ": renew it under that item's renewal (延续) item");
  }
  const Date expiry = LocalDate(FromMillis(t->expires_at));
  if (t->expires_at < ToMillis(now)) {
    return FieldInvalid("licence", "licence " + std::string(licence_number) + " expired on " +
                                       FormatDate(expiry) +
                                       ": it can no longer be renewed; apply for a new one");
  }
  t->days_left = static_cast<int>((expiry - LocalDate(now)).count());
  if (t->days_left < 30) {
    return FieldInvalid("licence",
                        "a renewal is applied for at least 30 days before the licence "
                        "expires (Administrative Licensing Law Art. 50); " +
                            std::string(licence_number) + " expires on " + FormatDate(expiry) +
                            ": apply for a new licence instead");
  }
  HUIYIN_ASSIGN_OR_RETURN(
      auto open,
      tx.QueryText("SELECT c.number FROM case_licences x JOIN cases c ON c.id = x.case_id "
                   "WHERE x.licence_id = ? AND x.expires_at = ? AND c.closed_at IS NULL",
                   {t->licence_id, t->expires_at}));
  if (open) {
    return MakeError(ErrorCode::kIllegalTransition,
                     "renewal " + *open + " of licence " + std::string(licence_number) +
                         " is already open: follow that application");
  }
  return *t;
}

Status LinkRenewal(Tx& tx, int64_t case_id, const RenewalTarget& target) {
  HUIYIN_TRY(tx.Exec("INSERT INTO case_licences (case_id, licence_id, expires_at) VALUES (?, ?, ?)",
                     {case_id, target.licence_id, target.expires_at}));
  return Status::Ok();
}

Result<std::optional<FiledItem>> FiledItemOf(Tx& tx, int64_t case_id) {
  std::optional<FiledItem> out;
  HUIYIN_TRY(tx.Query(
      "SELECT ci.item_id, i.org_id, v.body FROM case_items ci JOIN service_item_versions v ON "
      "v.item_id = ci.item_id AND v.version = ci.item_version JOIN service_items i ON i.id = "
      "ci.item_id WHERE ci.case_id = ?",
      {case_id}, [&](const Row& r) {
        out = FiledItem{r.Int(0), r.Int(1), r.String(2)};
      }));
  return out;
}

Result<std::string> RecordLicence(Tx& tx, int64_t case_id, std::string_view case_number,
                                  std::string_view type, Timestamp now) {
  // The period of validity of the item version the case was filed under.
  HUIYIN_ASSIGN_OR_RETURN(auto filed, FiledItemOf(tx, case_id));
  if (!filed) return std::string();
  std::optional<int> months;
  auto body = nlohmann::json::parse(filed->body, nullptr, false);
  if (auto it = body.find("validity_months"); it != body.end() && it->is_number_integer()) {
    months = it->get<int>();
  }
  const int64_t item_id = filed->item_id;
  const int64_t org_id = filed->org_id;
  if (!months) return std::string();  // the item grants nothing that expires
  if (type == "renew") {
    std::optional<std::pair<int64_t, int64_t>> lic;  // id, expires_at
    std::string lic_number;
    HUIYIN_TRY(tx.Query(
        "SELECT l.id, l.expires_at, l.number FROM case_licences x JOIN licences l ON l.id = "
        "x.licence_id WHERE x.case_id = ?",
        {case_id}, [&](const Row& r) {
          lic.emplace(r.Int(0), r.Int(1));
          lic_number = r.String(2);
        }));
    if (!lic) return MakeError(ErrorCode::kInternal, "a renewal without its licence");
    Date until = AddMonths(LocalDate(FromMillis(lic->second)), *months);
    HUIYIN_TRY(
        tx.Exec("UPDATE licences SET expires_at = ?, renewals = renewals + 1, renewed_by = ?, "
                "reminded_at = NULL WHERE id = ?",
                {ToMillis(EndOfLocalDay(until)), case_id, lic->first}));
    return "licence " + lic_number + " renewed: valid until " + FormatDate(until);
  }
  if (type != "new") return std::string();  // a change or a cancellation issues no new licence
  std::string number =
      "XK" + std::string(case_number.substr(std::min<size_t>(2, case_number.size())));
  Date until = AddMonths(LocalDate(now), *months) - std::chrono::days{1};
  HUIYIN_TRY(tx.Exec(
      "INSERT INTO licences (number, item_id, org_id, holder_id, holder_name_masked, case_id, "
      "granted_at, expires_at) SELECT ?, ?, ?, requester_id, requester_name_masked, id, ?, ? "
      "FROM cases WHERE id = ?",
      {number, item_id, org_id, ToMillis(now), ToMillis(EndOfLocalDay(until)), case_id}));
  return "licence " + number + " valid until " + FormatDate(until);
}

Status Notify(Tx& tx, int64_t user_id, std::string_view kind, std::string_view subject,
              std::string_view body, std::string_view link, Timestamp now) {
  HUIYIN_TRY(tx.Exec(
      "INSERT INTO notifications (user_id, kind, subject, body, link, created_at) VALUES (?, ?, "
      "?, ?, ?, ?)",
      {user_id, kind, subject, body, link, ToMillis(now)}));
  return Status::Ok();
}

}  // namespace huiyin::app::followups
