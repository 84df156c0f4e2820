#include "huiyin/app/accounts.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "huiyin/app/audit.h"
#include "huiyin/app/orgs.h"
#include "huiyin/common/text.h"
#include "huiyin/core/identifiers.h"

namespace huiyin::app {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr std::string_view kPhoneIndex = "phone";
constexpr std::string_view kIdNumberIndex = "id_number";

bool ValidUsername(std::string_view u) {
  if (u.size() < 3 || u.size() > 64) return false;
  return std::all_of(u.begin(), u.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

// A login name as the audit log records it for a failed attempt: bounded, printable.
std::string AttemptedName(std::string_view username) {
  std::string out;
  for (char c : username.substr(0, 64)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  return out;
}

// The principal recorded for an anonymous attempt on `username`.
Principal Anonymous(std::string_view username) {
  Principal p;
  p.user_id = 0;
  p.username = AttemptedName(username);
  return p;
}

struct UserRow {
  int64_t id = 0;
  std::string username;
  std::string password_hash;
  int failed_logins = 0;
  std::optional<int64_t> locked_until;
  bool active = true;
  std::optional<int64_t> org_id;
  std::string org_path;
};

Result<std::optional<UserRow>> FindUserRow(storage::Tx& tx, std::string_view username) {
  std::optional<UserRow> out;
  HUIYIN_TRY(tx.Query(
      "SELECT u.id, u.username, u.password_hash, u.failed_logins, u.locked_until, u.active, "
      "u.org_id, o.path FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.username = ?",
      {username}, [&](const storage::Row& row) {
        UserRow u;
        u.id = row.Int(0);
        u.username = row.String(1);
        u.password_hash = row.String(2);
        u.failed_logins = static_cast<int>(row.Int(3));
        u.locked_until = row.OptInt(4);
        u.active = row.Int(5) != 0;
        u.org_id = row.OptInt(6);
        u.org_path = row.String(7);
        out = std::move(u);
      }));
  return out;
}

Error BadCredentials() {
  return MakeError(ErrorCode::kBadCredentials, "wrong user name or password");
}

Error Locked(Timestamp until) {
  return MakeError(ErrorCode::kAccountLocked,
                   "the account is locked after repeated failed sign-ins until " +
                       FormatIso(until) + "; try again later or ask the security administrator");
}

Error OutOfScope(std::string_view what) {
  return MakeError(ErrorCode::kNotFound, "no such " + std::string(what));
}

std::string GrantSummary(const std::vector<RoleSpec>& roles) {
  std::string out;
  for (const auto& r : roles) {
    out += std::string(core::RoleName(r.role)) + "@" +
           (r.scope_org_id ? std::to_string(*r.scope_org_id) : "-") + ";";
  }
  return out;
}

}  // namespace

Status CheckPasswordRules(const PasswordRules& rules, std::string_view username,
                          std::string_view password) {
  std::vector<std::string> missing;
  int length = static_cast<int>(CodePoints(password));
  if (length < rules.min_length) {
    missing.push_back("at least " + std::to_string(rules.min_length) + " characters (it has " +
                      std::to_string(length) + ")");
  }
  bool lower = false, upper = false, digit = false, other = false;
  for (char c : password) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 'a' && u <= 'z') {
      lower = true;
    } else if (u >= 'A' && u <= 'Z') {
      upper = true;
    } else if (u >= '0' && u <= '9') {
      digit = true;
    } else {
      other = true;
    }
  }
  int classes = lower + upper + digit + other;
  if (classes < rules.min_classes) {
    std::string lacking;
    auto add = [&](bool has, const char* name) {
      if (has) return;
      if (!lacking.empty()) lacking += ", ";
      lacking += name;
    };
    add(lower, "lower case");
    add(upper, "upper case");
    add(digit, "digits");
    add(other, "symbols");
    missing.push_back("at least " + std::to_string(rules.min_classes) +
                      " of lower case, upper case, digits and symbols (it has " +
                      std::to_string(classes) + "; missing: " + lacking + ")");
  }
  if (rules.forbid_username && username.size() >= 3 &&
      AsciiLower(password).find(AsciiLower(username)) != std::string::npos) {
    missing.push_back("not to contain the user name");
  }
  if (missing.empty()) return Status::Ok();
  std::string detail = "the password needs ";
  for (size_t i = 0; i < missing.size(); ++i) {
    if (i) detail += "; ";
    detail += missing[i];
  }
  return Error(ErrorCode::kInvalidArgument, detail, {FieldError{"password", detail}});
}

AccountService::AccountService(storage::Database& db, const Crypto& crypto, AccountPolicy policy)
    : address_limiter_(policy.address_failures, std::chrono::minutes(policy.lockout_minutes)),
      db_(db),
      crypto_(crypto),
      policy_(std::move(policy)) {}

Result<Principal> AccountService::LoadPrincipal(storage::Tx& tx, int64_t user_id) {
  std::optional<Principal> p;
  std::string kind;
  HUIYIN_TRY(
      tx.Query("SELECT u.id, u.username, u.display_name, u.kind, u.org_id, o.path FROM users u "
               "LEFT JOIN orgs o ON o.id = u.org_id WHERE u.id = ? AND u.active = 1",
               {user_id}, [&](const storage::Row& row) {
                 Principal x;
                 x.user_id = row.Int(0);
                 x.username = row.String(1);
                 x.display_name = row.String(2);
                 kind = row.String(3);
                 x.org_id = row.OptInt(4);
                 x.org_path = row.String(5);
                 p = std::move(x);
               }));
  if (!p) return MakeError(ErrorCode::kNotFound, "no such user");
  p->kind = core::ParsePrincipalKind(kind).value_or(PrincipalKind::kStaff);
  HUIYIN_TRY(tx.Query(
      "SELECT g.role, g.org_id, o.path FROM role_grants g LEFT JOIN orgs o ON o.id = g.org_id "
      "WHERE g.user_id = ? ORDER BY g.id",
      {user_id}, [&](const storage::Row& row) {
        auto role = core::ParseRole(row.Text(0));
        if (!role) return;  // a role this binary does not know grants nothing
        p->grants.push_back(Grant{*role, row.OptInt(1), row.String(2)});
      }));
  return std::move(*p);
}

Result<LoginResult> AccountService::Login(std::string_view username_in, std::string_view password,
                                          const RequestMeta& meta) {
  if (username_in.empty()) return FieldInvalid("username", "required");
  if (password.empty()) return FieldInvalid("password", "required");
  const std::string username = AsciiLower(username_in);
  if (auto until = address_limiter_.BlockedUntil(meta.remote_addr, meta.now)) {
    const auto minutes = std::chrono::ceil<std::chrono::minutes>(*until - meta.now).count();
    return MakeError(ErrorCode::kRateLimited,
                     "too many failed sign-ins from your address: try again in " +
                         std::to_string(minutes) + " minute(s)");
  }
  HUIYIN_ASSIGN_OR_RETURN(auto found, db_.ReadValue<std::optional<UserRow>>([&](storage::Tx& tx) {
    return FindUserRow(tx, username);
  }));

  auto audit_failure = [&](const Principal& who, std::string outcome,
                           std::string object_id) -> Status {
    address_limiter_.RecordFailure(meta.remote_addr, meta.now);
    return db_.Write([&](storage::Tx& tx) -> Status {
      AuditRecord rec = AuditOf(who, meta, "auth.login_failed", "user", object_id);
      rec.outcome = outcome;
      HUIYIN_TRY(AppendAudit(tx, rec, meta.now));
      return Status::Ok();
    });
  };

  if (!found || !found->active || found->password_hash.empty()) {
    crypto_.VerifyDummyPassword(password);  // same cost as a real check: no enumeration by time
    HUIYIN_TRY(audit_failure(Anonymous(username_in), "failed", ""));
    return BadCredentials();
  }
  const UserRow user = *found;
  Principal who = Anonymous(username);
  who.user_id = user.id;
  who.org_id = user.org_id;
  if (user.locked_until && *user.locked_until > ToMillis(meta.now)) {
    HUIYIN_TRY(audit_failure(who, "locked", std::to_string(user.id)));
    return Locked(FromMillis(*user.locked_until));
  }

  if (!crypto_.VerifyPassword(user.password_hash, password)) {
    address_limiter_.RecordFailure(meta.remote_addr, meta.now);
    std::optional<Timestamp> locked_until;
    HUIYIN_TRY(db_.Write([&](storage::Tx& tx) -> Status {
      HUIYIN_ASSIGN_OR_RETURN(
          auto failures,
          tx.QueryInt("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? "
                      "RETURNING failed_logins",
                      {user.id}));
      std::string outcome = "failed";
      if (failures.value_or(0) >= policy_.lockout_attempts) {
        locked_until = meta.now + minutes(policy_.lockout_minutes);
        HUIYIN_TRY(tx.Exec("UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?",
                           {ToMillis(*locked_until), user.id}));
        outcome = "locked";
      }
      AuditRecord rec = AuditOf(who, meta, "auth.login_failed", "user", std::to_string(user.id));
      rec.outcome = outcome;
      HUIYIN_TRY(AppendAudit(tx, rec, meta.now));
      return Status::Ok();
    }));
    if (locked_until) return Locked(*locked_until);
    return BadCredentials();
  }

  LoginResult out;
  out.session_token = Crypto::RandomToken(32);
  out.csrf_token = Crypto::RandomToken(32);
  out.expires_at = meta.now + hours(policy_.session_absolute_hours);
  HUIYIN_TRY(db_.Write([&](storage::Tx& tx) -> Status {
    HUIYIN_TRY(
        tx.Exec("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", {user.id}));
    HUIYIN_TRY(tx.Exec(
        "INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, expires_at, "
        "remote_addr, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
        {Crypto::Sha256Hex(out.session_token), user.id, out.csrf_token, ToMillis(meta.now),
         ToMillis(meta.now), ToMillis(out.expires_at), meta.remote_addr}));
    HUIYIN_ASSIGN_OR_RETURN(out.principal, LoadPrincipal(tx, user.id));
    AuditRecord rec = AuditOf(out.principal, meta, "auth.login", "session",
                              Crypto::Sha256Hex(out.session_token).substr(0, 16));
    HUIYIN_TRY(AppendAudit(tx, rec, meta.now));
    return Status::Ok();
  }));
  return out;
}

Result<SessionAuth> AccountService::Authenticate(std::string_view session_token, Timestamp now) {
  if (session_token.empty()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  const std::string id = Crypto::Sha256Hex(session_token);
  struct Loaded {
    SessionAuth auth;
    int64_t last_seen = 0;
  };
  auto expired = [] {
    return MakeError(ErrorCode::kSessionExpired, "the session has expired; sign in again");
  };
  const int64_t now_ms = ToMillis(now);
  if (policy_.session_cache_ms > 0) {
    std::lock_guard lock(cache_mu_);
    auto it = session_cache_.find(id);
    if (it != session_cache_.end()) {
      const CachedSession& c = it->second;
      const int64_t idle_ms = int64_t{policy_.session_idle_minutes} * 60 * 1000;
      if (now_ms - c.cached_at_ms < policy_.session_cache_ms &&
          now_ms < ToMillis(c.auth.expires_at) && now_ms - c.last_seen_ms <= idle_ms) {
        return c.auth;
      }
      session_cache_.erase(it);
    }
  }
  HUIYIN_ASSIGN_OR_RETURN(
      Loaded loaded, db_.ReadValue<Loaded>([&](storage::Tx& tx) -> Result<Loaded> {
        std::optional<int64_t> user_id;
        Loaded l;
        int64_t expires = 0;
        bool revoked = false;
        HUIYIN_TRY(
            tx.Query("SELECT user_id, csrf_token, last_seen_at, expires_at, revoked FROM sessions "
                     "WHERE id = ?",
                     {id}, [&](const storage::Row& row) {
                       user_id = row.Int(0);
                       l.auth.csrf_token = row.String(1);
                       l.last_seen = row.Int(2);
                       expires = row.Int(3);
                       revoked = row.Int(4) != 0;
                     }));
        const int64_t t = ToMillis(now);
        const int64_t idle_ms = int64_t{policy_.session_idle_minutes} * 60 * 1000;
        if (!user_id || revoked || t >= expires || t - l.last_seen > idle_ms) return expired();
        l.auth.expires_at = FromMillis(expires);
        auto principal = LoadPrincipal(tx, *user_id);
        if (!principal.ok()) return expired();
        l.auth.principal = std::move(principal).value();
        return l;
      }));
  const int64_t refresh_ms = int64_t{policy_.last_seen_refresh_seconds} * 1000;
  int64_t last_seen = loaded.last_seen;
  if (now_ms - loaded.last_seen >= refresh_ms) {
    // Best effort: a failed refresh only shortens the idle window.
    Status refreshed = db_.Write([&](storage::Tx& tx) -> Status {
      HUIYIN_TRY(tx.Exec("UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?",
                         {now_ms, id, now_ms}));
      return Status::Ok();
    });
    if (refreshed.ok()) last_seen = now_ms;
  }
  if (policy_.session_cache_ms > 0) {
    std::lock_guard lock(cache_mu_);
    if (session_cache_.size() > 100000) session_cache_.clear();  // bound memory
    session_cache_[id] = CachedSession{loaded.auth, last_seen, now_ms};
  }
  return std::move(loaded.auth);
}

void AccountService::ForgetSession(const std::string& id) {
  std::lock_guard lock(cache_mu_);
  session_cache_.erase(id);
}

void AccountService::ForgetAllSessions() {
  std::lock_guard lock(cache_mu_);
  session_cache_.clear();
}

Result<Principal> AccountService::AuthenticateBearer(std::string_view token, Timestamp now) {
  auto denied = [] {
    return MakeError(ErrorCode::kUnauthenticated, "the API token is unknown, expired or revoked");
  };
  if (token.empty()) return denied();
  const std::string hash = Crypto::Sha256Hex(token);
  struct Loaded {
    Principal principal;
    int64_t token_id = 0;
    std::optional<int64_t> last_used;
  };
  HUIYIN_ASSIGN_OR_RETURN(
      Loaded loaded, db_.ReadValue<Loaded>([&](storage::Tx& tx) -> Result<Loaded> {
        Loaded l;
        std::optional<int64_t> user_id, expires, revoked;
        HUIYIN_TRY(
            tx.Query("SELECT id, user_id, expires_at, revoked_at, last_used_at FROM api_tokens "
                     "WHERE token_hash = ?",
                     {hash}, [&](const storage::Row& row) {
                       l.token_id = row.Int(0);
                       user_id = row.Int(1);
                       expires = row.OptInt(2);
                       revoked = row.OptInt(3);
                       l.last_used = row.OptInt(4);
                     }));
        if (!user_id || revoked || (expires && ToMillis(now) >= *expires)) return denied();
        auto principal = LoadPrincipal(tx, *user_id);
        if (!principal.ok()) return denied();
        l.principal = std::move(principal).value();
        return l;
      }));
  const int64_t refresh_ms = int64_t{policy_.last_seen_refresh_seconds} * 1000;
  if (!loaded.last_used || ToMillis(now) - *loaded.last_used >= refresh_ms) {
    (void)db_.Write([&](storage::Tx& tx) -> Status {
      HUIYIN_TRY(tx.Exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
                         {ToMillis(now), loaded.token_id}));
      return Status::Ok();
    });
  }
  return std::move(loaded.principal);
}

Status AccountService::Logout(std::string_view session_token, const RequestMeta& meta) {
  if (session_token.empty()) return Status::Ok();
  const std::string id = Crypto::Sha256Hex(session_token);
  struct ForgetAfter {
    AccountService* self;
    const std::string& id;
    ~ForgetAfter() { self->ForgetSession(id); }
  } forget_after{this, id};
  return db_.Write([&](storage::Tx& tx) -> Status {
    std::optional<int64_t> user_id;
    HUIYIN_TRY(tx.Query("SELECT user_id FROM sessions WHERE id = ? AND revoked = 0", {id},
                        [&](const storage::Row& row) { user_id = row.Int(0); }));
    if (!user_id) return Status::Ok();
    HUIYIN_TRY(tx.Exec("UPDATE sessions SET revoked = 1 WHERE id = ?", {id}));
    auto principal = LoadPrincipal(tx, *user_id);
    Principal who = principal.ok() ? std::move(principal).value() : Anonymous("");
    HUIYIN_TRY(
        AppendAudit(tx, AuditOf(who, meta, "auth.logout", "session", id.substr(0, 16)), meta.now));
    return Status::Ok();
  });
}

Status AccountService::ChangePassword(const Principal& principal, std::string_view old_password,
                                      std::string_view new_password, const RequestMeta& meta) {
  if (!principal.HasPermission("account:self:edit")) {
    return MakeError(ErrorCode::kForbidden, "this account cannot change its password");
  }
  HUIYIN_ASSIGN_OR_RETURN(
      auto hash, db_.ReadValue<std::optional<std::string>>([&](storage::Tx& tx) {
        return tx.QueryText("SELECT password_hash FROM users WHERE id = ? AND active = 1",
                            {principal.user_id});
      }));
  if (!hash || !crypto_.VerifyPassword(*hash, old_password)) {
    HUIYIN_TRY(db_.Write([&](storage::Tx& tx) -> Status {
      AuditRecord rec = AuditOf(principal, meta, "account.password_change", "user",
                                std::to_string(principal.user_id));
      rec.outcome = "failed";
      HUIYIN_TRY(AppendAudit(tx, rec, meta.now));
      return Status::Ok();
    }));
    return MakeError(ErrorCode::kBadCredentials, "the current password is wrong");
  }
  HUIYIN_TRY(CheckPasswordRules(policy_.password, principal.username, new_password));
  if (old_password == new_password) {
    return FieldInvalid("password", "the new password must differ from the current one");
  }
  HUIYIN_ASSIGN_OR_RETURN(std::string new_hash, crypto_.HashPassword(new_password));
  return db_.Write([&](storage::Tx& tx) -> Status {
    HUIYIN_TRY(
        tx.Exec("UPDATE users SET password_hash = ?, password_changed_at = ?, "
                "version = version + 1 WHERE id = ?",
                {new_hash, ToMillis(meta.now), principal.user_id}));
    HUIYIN_TRY(AppendAudit(tx,
                           AuditOf(principal, meta, "account.password_change", "user",
                                   std::to_string(principal.user_id)),
                           meta.now));
    return Status::Ok();
  });
}

Result<PreparedUser> AccountService::PrepareUser(const NewUser& user) const {
  PreparedUser p;
  p.username = AsciiLower(user.username);
  if (!ValidUsername(p.username)) {
    return FieldInvalid("username", "3–64 characters of a-z, 0-9, '.', '_', '-'");
  }
  if (user.display_name.empty() || user.display_name.size() > 100) {
    return FieldInvalid("display_name", "1–100 bytes");
  }
  if (user.kind == PrincipalKind::kStaff && !user.org_id) {
    return FieldInvalid("org_id", "a staff account belongs to an organisation");
  }
  if ((user.kind == PrincipalKind::kCitizen || user.kind == PrincipalKind::kEnterprise) &&
      user.org_id) {
    return FieldInvalid("org_id", "citizen and enterprise accounts belong to no organisation");
  }
  if (user.post_id && !user.org_id) return FieldInvalid("post_id", "needs org_id");
  // Roles must suit the kind and not conflict with each other.
  for (size_t i = 0; i < user.roles.size(); ++i) {
    Role r = user.roles[i].role;
    bool own = core::IsOwnDataRole(r);
    if (user.kind == PrincipalKind::kCitizen && r != Role::kCitizen) {
      return FieldInvalid("roles", "a citizen account holds only the citizen role");
    }
    if (user.kind == PrincipalKind::kEnterprise && r != Role::kEnterprise) {
      return FieldInvalid("roles", "an enterprise account holds only the enterprise role");
    }
    if (!own && user.kind != PrincipalKind::kStaff && user.kind != PrincipalKind::kIntegration) {
      return FieldInvalid("roles", "staff roles need a staff or integration account");
    }
    if (own && user.roles[i].scope_org_id) {
      return FieldInvalid("roles", "citizen and enterprise roles have no organisation scope");
    }
    if (!own && !user.roles[i].scope_org_id && !user.org_id) {
      return FieldInvalid("roles", std::string(core::RoleName(r)) + " needs a scope organisation");
    }
    for (size_t j = 0; j < i; ++j) {
      if (core::RolesConflict(r, user.roles[j].role)) {
        return FieldInvalid("roles", std::string(core::RoleName(r)) + " and " +
                                         std::string(core::RoleName(user.roles[j].role)) +
                                         " may not be held by one account");
      }
    }
  }
  HUIYIN_TRY(CheckPasswordRules(policy_.password, p.username, user.password));
  if (!user.phone.empty()) {
    HUIYIN_ASSIGN_OR_RETURN(std::string phone, core::NormalizeMobile(user.phone));
    p.phone_enc = crypto_.Encrypt(phone);
    p.phone_index = crypto_.BlindIndex(kPhoneIndex, phone);
  }
  if (!user.id_number.empty()) {
    HUIYIN_ASSIGN_OR_RETURN(auto id, core::ParseIdNumber(user.id_number));
    p.id_enc = crypto_.Encrypt(id.number);
    p.id_index = crypto_.BlindIndex(kIdNumberIndex, id.number);
  }
  if (!user.credit_code.empty()) {
    HUIYIN_ASSIGN_OR_RETURN(auto code, core::ParseCreditCode(user.credit_code));
    if (!code.check_ok) p.warnings.push_back("credit_code: " + code.warning);
    p.credit_code = code.code;
  } else if (user.kind == PrincipalKind::kEnterprise) {
    return FieldInvalid("credit_code",
                        "an enterprise account needs its unified social credit code");
  }
  HUIYIN_ASSIGN_OR_RETURN(p.password_hash, crypto_.HashPassword(user.password));
  return p;
}

Result<UserView> AccountService::Insert(storage::Tx& tx, const Principal& actor,
                                        const NewUser& user, const PreparedUser& prepared,
                                        const RequestMeta& meta, std::string action) {
  HUIYIN_ASSIGN_OR_RETURN(auto taken, tx.QueryInt("SELECT COUNT(*) FROM users WHERE username = ?",
                                                  {prepared.username}));
  if (taken.value_or(0) > 0) {
    return Error(ErrorCode::kConflict, "the user name " + prepared.username + " is taken",
                 {FieldError{"username", "taken"}});
  }
  if (user.post_id) {
    HUIYIN_ASSIGN_OR_RETURN(auto ok, tx.QueryInt("SELECT COUNT(*) FROM posts WHERE id = ? AND "
                                                 "org_id = ?",
                                                 {*user.post_id, user.org_id}));
    if (ok.value_or(0) == 0) return FieldInvalid("post_id", "no such post in the organisation");
  }
  HUIYIN_ASSIGN_OR_RETURN(
      auto id,
      tx.QueryInt("INSERT INTO users (username, display_name, kind, org_id, post_id, "
                  "password_hash, phone_enc, phone_index, id_number_enc, id_number_index, "
                  "credit_code, failed_logins, password_changed_at, active, created_at) VALUES "
                  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 1, ?) RETURNING id",
                  {prepared.username, user.display_name, core::PrincipalKindName(user.kind),
                   user.org_id, user.post_id, prepared.password_hash, prepared.phone_enc,
                   prepared.phone_index, prepared.id_enc, prepared.id_index, prepared.credit_code,
                   ToMillis(meta.now), ToMillis(meta.now)}));
  if (!id) return MakeError(ErrorCode::kInternal, "user id not returned");
  for (const auto& r : user.roles) {
    storage::Param scope = nullptr;
    if (!core::IsOwnDataRole(r.role)) {
      scope = r.scope_org_id ? storage::Param(*r.scope_org_id) : storage::Param(*user.org_id);
    }
    HUIYIN_TRY(
        tx.Exec("INSERT INTO role_grants (user_id, role, org_id, granted_at) VALUES (?, ?, "
                "?, ?)",
                {*id, core::RoleName(r.role), scope, ToMillis(meta.now)}));
  }
  Principal who = actor;
  if (action == "account.register") {  // the new account acts on itself
    who = Anonymous(prepared.username);
    who.user_id = *id;
  }
  AuditRecord rec = AuditOf(who, meta, action, "user", std::to_string(*id));
  rec.digest = Crypto::Sha256Hex(
      "user|" + prepared.username + "|" + std::string(core::PrincipalKindName(user.kind)) + "|" +
      (user.org_id ? std::to_string(*user.org_id) : "") + "|" + GrantSummary(user.roles));
  HUIYIN_TRY(AppendAudit(tx, rec, meta.now));
  HUIYIN_ASSIGN_OR_RETURN(UserView view, View(tx, actor, *id, false));
  view.warnings = prepared.warnings;
  return view;
}

Result<UserView> AccountService::InsertUser(storage::Tx& tx, const Principal& actor,
                                            const NewUser& user, const PreparedUser& prepared,
                                            const RequestMeta& meta) {
  return Insert(tx, actor, user, prepared, meta, "user.create");
}

Result<UserView> AccountService::CreateUser(const Principal& actor, const NewUser& user,
                                            const RequestMeta& meta) {
  if (!actor.HasPermission("system:user:edit")) {
    return MakeError(ErrorCode::kForbidden, "creating users needs system:user:edit");
  }
  for (const auto& r : user.roles) {
    if (core::IsAdminRole(r.role)) {
      return MakeError(
          ErrorCode::kForbidden,
          std::string(core::RoleName(r.role)) +
              " is granted only with the `huiyin` command line (separation of duties)");
    }
  }
  HUIYIN_ASSIGN_OR_RETURN(PreparedUser prepared, PrepareUser(user));
  return db_.WriteValue<UserView>([&](storage::Tx& tx) -> Result<UserView> {
    std::string target_path;
    if (user.org_id) {
      auto org = OrgService::LoadOrg(tx, *user.org_id);
      if (!org.ok()) return FieldInvalid("org_id", "no such organisation");
      target_path = org->path;
    }
    if (!actor.CanOn("system:user:edit", target_path)) {
      return MakeError(ErrorCode::kForbidden, "the organisation is outside your scope");
    }
    for (const auto& r : user.roles) {
      if (!r.scope_org_id) continue;
      auto scope = OrgService::LoadOrg(tx, *r.scope_org_id);
      if (!scope.ok()) return FieldInvalid("roles", "no such scope organisation");
      if (!actor.CanOn("system:user:edit", scope->path)) {
        return MakeError(ErrorCode::kForbidden, "a role's scope is outside your own scope");
      }
    }
    return Insert(tx, actor, user, prepared, meta, "user.create");
  });
}

Result<UserView> AccountService::BootstrapUser(const NewUser& user, const RequestMeta& meta) {
  HUIYIN_ASSIGN_OR_RETURN(PreparedUser prepared, PrepareUser(user));
  return db_.WriteValue<UserView>([&](storage::Tx& tx) -> Result<UserView> {
    return Insert(tx, SystemPrincipal(), user, prepared, meta, "user.create");
  });
}

Status AccountService::ResetPassword(const Principal& actor, std::string_view username_in,
                                     std::string_view new_password, const RequestMeta& meta) {
  if (!actor.HasPermission("system:user:reset_password")) {
    return MakeError(ErrorCode::kForbidden, "resetting passwords needs the security_admin role");
  }
  const std::string username = AsciiLower(username_in);
  HUIYIN_TRY(CheckPasswordRules(policy_.password, username, new_password));
  HUIYIN_ASSIGN_OR_RETURN(std::string hash, crypto_.HashPassword(new_password));
  // The user's sessions are revoked below; cached ones are forgotten once that has committed.
  struct ForgetAfter {
    AccountService* self;
    ~ForgetAfter() { self->ForgetAllSessions(); }
  } forget_after{this};
  return db_.Write([&](storage::Tx& tx) -> Status {
    HUIYIN_ASSIGN_OR_RETURN(auto user, FindUserRow(tx, username));
    if (!user || !actor.CanOn("system:user:reset_password", user->org_path)) {
      return OutOfScope("user");
    }
    HUIYIN_TRY(
        tx.Exec("UPDATE users SET password_hash = ?, password_changed_at = ?, "
                "failed_logins = 0, locked_until = NULL, version = version + 1 "
                "WHERE id = ?",
                {hash, ToMillis(meta.now), user->id}));
    HUIYIN_TRY(tx.Exec("UPDATE sessions SET revoked = 1 WHERE user_id = ?", {user->id}));
    HUIYIN_TRY(AppendAudit(
        tx, AuditOf(actor, meta, "user.password_reset", "user", std::to_string(user->id)),
        meta.now));
    return Status::Ok();
  });
}

Status AccountService::UnlockUser(const Principal& actor, std::string_view username_in,
                                  const RequestMeta& meta) {
  if (!actor.HasPermission("system:user:unlock")) {
    return MakeError(ErrorCode::kForbidden, "unlocking accounts needs the security_admin role");
  }
  const std::string username = AsciiLower(username_in);
  return db_.Write([&](storage::Tx& tx) -> Status {
    HUIYIN_ASSIGN_OR_RETURN(auto user, FindUserRow(tx, username));
    if (!user || !actor.CanOn("system:user:unlock", user->org_path)) return OutOfScope("user");
    HUIYIN_TRY(tx.Exec("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?",
                       {user->id}));
    HUIYIN_TRY(AppendAudit(
        tx, AuditOf(actor, meta, "user.unlock", "user", std::to_string(user->id)), meta.now));
    return Status::Ok();
  });
}

Result<IssuedToken> AccountService::IssueApiToken(const Principal& actor,
                                                  std::string_view username_in,
                                                  std::string_view name,
                                                  std::optional<Timestamp> expires_at,
                                                  const RequestMeta& meta) {
  if (!actor.HasPermission("system:token:issue")) {
    return MakeError(ErrorCode::kForbidden, "issuing API tokens needs the security_admin role");
  }
  if (name.empty() || name.size() > 100) return FieldInvalid("name", "1–100 bytes");
  if (expires_at && *expires_at <= meta.now) return FieldInvalid("expires_at", "must be future");
  const std::string username = AsciiLower(username_in);
  return db_.WriteValue<IssuedToken>([&](storage::Tx& tx) -> Result<IssuedToken> {
    HUIYIN_ASSIGN_OR_RETURN(auto user, FindUserRow(tx, username));
    if (!user || !user->active || !actor.CanOn("system:token:issue", user->org_path)) {
      return OutOfScope("user");
    }
    IssuedToken out;
    out.token = Crypto::RandomToken(32);
    out.expires_at = expires_at;
    std::optional<int64_t> expires;
    if (expires_at) expires = ToMillis(*expires_at);
    HUIYIN_ASSIGN_OR_RETURN(
        auto id,
        tx.QueryInt("INSERT INTO api_tokens (token_hash, name, user_id, created_at, "
                    "expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                    {Crypto::Sha256Hex(out.token), name, user->id, ToMillis(meta.now), expires}));
    out.id = id.value_or(0);
    AuditRecord rec = AuditOf(actor, meta, "token.issue", "api_token", std::to_string(out.id));
    rec.digest = Crypto::Sha256Hex("token|" + username + "|" + std::string(name));
    HUIYIN_TRY(AppendAudit(tx, rec, meta.now));
    return out;
  });
}

Result<UserView> AccountService::View(storage::Tx& tx, const Principal& actor, int64_t user_id,
                                      bool check_scope) {
  std::optional<UserView> v;
  std::optional<std::string> phone_enc, id_enc;
  std::string org_path, kind;
  std::optional<int64_t> locked;
  HUIYIN_TRY(tx.Query(
      "SELECT u.id, u.username, u.display_name, u.kind, u.org_id, o.name, o.path, u.post_id, "
      "p.title, u.phone_enc, u.id_number_enc, u.credit_code, u.active, u.failed_logins, "
      "u.locked_until, u.created_at FROM users u LEFT JOIN orgs o ON o.id = u.org_id "
      "LEFT JOIN posts p ON p.id = u.post_id WHERE u.id = ?",
      {user_id}, [&](const storage::Row& row) {
        UserView x;
        x.id = row.Int(0);
        x.username = row.String(1);
        x.display_name = row.String(2);
        kind = row.String(3);
        x.org_id = row.OptInt(4);
        x.org_name = row.String(5);
        org_path = row.String(6);
        x.post_id = row.OptInt(7);
        x.post_title = row.String(8);
        phone_enc = row.OptString(9);
        id_enc = row.OptString(10);
        x.credit_code = row.String(11);
        x.active = row.Int(12) != 0;
        x.failed_logins = static_cast<int>(row.Int(13));
        locked = row.OptInt(14);
        x.created_at = FromMillis(row.Int(15));
        v = std::move(x);
      }));
  if (!v || (check_scope && !actor.CanOn("system:user:list", org_path))) return OutOfScope("user");
  v->kind = core::ParsePrincipalKind(kind).value_or(PrincipalKind::kStaff);
  if (locked) v->locked_until = FromMillis(*locked);
  v->pii_visible = actor.CanOn("system:user:view_pii", org_path);
  if (phone_enc) {
    HUIYIN_ASSIGN_OR_RETURN(std::string phone, crypto_.Decrypt(*phone_enc));
    v->phone = v->pii_visible ? phone : core::MaskPhone(phone);
  }
  if (id_enc) {
    HUIYIN_ASSIGN_OR_RETURN(std::string id, crypto_.Decrypt(*id_enc));
    v->id_number = v->pii_visible ? id : core::MaskIdNumber(id);
  }
  HUIYIN_TRY(tx.Query(
      "SELECT g.role, g.org_id, o.path FROM role_grants g LEFT JOIN orgs o ON o.id = g.org_id "
      "WHERE g.user_id = ? ORDER BY g.id",
      {user_id}, [&](const storage::Row& row) {
        if (auto role = core::ParseRole(row.Text(0))) {
          v->grants.push_back(Grant{*role, row.OptInt(1), row.String(2)});
        }
      }));
  return std::move(*v);
}

Result<UserView> AccountService::GetUser(const Principal& actor, int64_t user_id) {
  if (!actor.HasPermission("system:user:list")) return OutOfScope("user");
  return db_.ReadValue<UserView>([&](storage::Tx& tx) { return View(tx, actor, user_id, true); });
}

Result<std::vector<UserView>> AccountService::ListUsers(const Principal& actor, int64_t org_id) {
  return db_.ReadValue<std::vector<UserView>>(
      [&](storage::Tx& tx) -> Result<std::vector<UserView>> {
        auto org = OrgService::LoadOrg(tx, org_id);
        if (!org.ok() || !actor.CanOn("system:user:list", org->path)) {
          return OutOfScope("organisation");
        }
        std::vector<int64_t> ids;
        HUIYIN_TRY(tx.Query(
            "SELECT u.id FROM users u JOIN orgs o ON o.id = u.org_id WHERE o.path LIKE ? "
            "ORDER BY o.path, u.username",
            {org->path + "%"}, [&](const storage::Row& row) { ids.push_back(row.Int(0)); }));
        std::vector<UserView> out;
        out.reserve(ids.size());
        for (int64_t id : ids) {
          HUIYIN_ASSIGN_OR_RETURN(UserView v, View(tx, actor, id, false));
          out.push_back(std::move(v));
        }
        return out;
      });
}

Result<UserView> AccountService::RegisterCitizen(const CitizenSignUp& signup,
                                                 const RequestMeta& meta) {
  if (signup.kind != PrincipalKind::kCitizen && signup.kind != PrincipalKind::kEnterprise) {
    return FieldInvalid("kind", "citizen or enterprise");
  }
  if (signup.phone.empty()) return FieldInvalid("phone", "required");
  NewUser user;
  user.username = signup.username;
  user.display_name = signup.display_name;
  user.kind = signup.kind;
  user.password = signup.password;
  user.phone = signup.phone;
  user.id_number = signup.id_number;
  user.credit_code = signup.credit_code;
  user.roles.push_back(RoleSpec{
      signup.kind == PrincipalKind::kCitizen ? Role::kCitizen : Role::kEnterprise, std::nullopt});
  HUIYIN_ASSIGN_OR_RETURN(PreparedUser prepared, PrepareUser(user));
  return db_.WriteValue<UserView>([&](storage::Tx& tx) -> Result<UserView> {
    HUIYIN_ASSIGN_OR_RETURN(
        auto dup, tx.QueryInt("SELECT COUNT(*) FROM users WHERE phone_index = ? AND kind IN "
                              "('citizen', 'enterprise')",
                              {prepared.phone_index}));
    if (dup.value_or(0) > 0) {
      return Error(ErrorCode::kConflict, "this phone number is already registered",
                   {FieldError{"phone", "already registered"}});
    }
    return Insert(tx, SystemPrincipal(), user, prepared, meta, "account.register");
  });
}

Result<std::optional<int64_t>> AccountService::FindUserByPhone(std::string_view phone) {
  HUIYIN_ASSIGN_OR_RETURN(std::string normalised, core::NormalizeMobile(phone));
  const std::string index = crypto_.BlindIndex(kPhoneIndex, normalised);
  return db_.ReadValue<std::optional<int64_t>>([&](storage::Tx& tx) {
    return tx.QueryInt("SELECT id FROM users WHERE phone_index = ? ORDER BY id LIMIT 1", {index});
  });
}

Result<std::optional<int64_t>> AccountService::FindUserByIdNumber(std::string_view id_number) {
  HUIYIN_ASSIGN_OR_RETURN(auto id, core::ParseIdNumber(id_number));
  const std::string index = crypto_.BlindIndex(kIdNumberIndex, id.number);
  return db_.ReadValue<std::optional<int64_t>>([&](storage::Tx& tx) {
    return tx.QueryInt("SELECT id FROM users WHERE id_number_index = ? ORDER BY id LIMIT 1",
                       {index});
  });
}

}  // namespace huiyin::app
