// Accounts (账号): sign-in with lockout, browser sessions, API tokens, password rules, user
// administration and citizen self sign-up. Every operation is one transaction that also appends its
// audit record (app/audit.h), so a change is never kept without its audit row.
//
// Security rules it enforces (DESIGN.md "Security baseline"):
//  - passwords: argon2id (Crypto), policy rules checked by CheckPasswordRules;
//  - lockout: `lockout_attempts` consecutive failures lock the account for `lockout_minutes`; while
//    locked even the right password gets kAccountLocked (the detail says until when);
//  - no user enumeration: an unknown user and a wrong password give the same kBadCredentials error,
//    take the same time, and are both audited as "auth.login_failed";
//  - sessions: a random token returned once (only its SHA-256 is stored), a CSRF token, an idle
//    timeout and an absolute limit; last_seen_at is refreshed at most once a minute;
//  - personal identifiers (phone, ID number) are stored only encrypted plus a blind index, and
//  shown
//    masked unless the viewer holds system:user:view_pii over the user;
//  - scope: a user outside the actor's organisation scope is kNotFound (never kForbidden), so an
//    administrator cannot probe other units' accounts;
//  - separation of duties: the three administrator roles cannot be granted through CreateUser
//    (only BootstrapUser, run by the CLI / demo loader), and never two of them to one user.
// AccountService is thread-safe; it holds references to the Database and Crypto (which must
// outlive it) and a copy of the policy.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "huiyin/app/context.h"
#include "huiyin/app/crypto.h"
#include "huiyin/common/result.h"
#include "huiyin/common/time.h"
#include "huiyin/core/rate_limit.h"
#include "huiyin/storage/database.h"

namespace huiyin::app {

// Password complexity (等保: length and character classes).
struct PasswordRules {
  int min_length = 10;          // in characters (UTF-8 code points)
  int min_classes = 3;          // of lower case, upper case, digits, symbols
  bool forbid_username = true;  // may not contain the user name (case-insensitive)
};

struct AccountPolicy {
  int lockout_attempts = 5;
  int lockout_minutes = 15;
  // Failed sign-ins one client address may make within lockout_minutes, whatever the accounts:
  // beyond, the address is refused (429) until the oldest leaves the window — a password sprayer
  // cannot try one password on many accounts, nor lock them all out.
  int address_failures = 20;
  int session_idle_minutes = 30;
  int session_absolute_hours = 12;
  int last_seen_refresh_seconds = 60;  // refresh last_seen_at at most this often
  // A verified session is trusted from memory this long before the database is asked again (a
  // revocation made by another server takes at most this long to reach this one; revocations
  // made here apply at once). 0 disables the cache.
  int session_cache_ms = 2000;
  PasswordRules password;
};

// Ok, or kInvalidArgument (field "password") whose detail lists everything missing, e.g.
// "the password needs at least 10 characters; at least 3 of lower case, upper case, digits and
// symbols (it has 2)".
Status CheckPasswordRules(const PasswordRules& rules, std::string_view username,
                          std::string_view password);

// What a successful sign-in returns. The session token is shown only here.
struct LoginResult {
  std::string session_token;  // for the HttpOnly cookie
  std::string csrf_token;     // for the X-CSRF-Token header
  Principal principal;
  Timestamp expires_at{};  // absolute limit
};

// A live browser session.
struct SessionAuth {
  Principal principal;
  std::string csrf_token;  // compare with the request's header for unsafe methods
  Timestamp expires_at{};
};

// One role to grant: citizen/enterprise without scope; staff roles over an organisation subtree
// (null scope: the user's own organisation).
struct RoleSpec {
  Role role = Role::kHandler;
  std::optional<int64_t> scope_org_id;
};

struct NewUser {
  std::string username;  // 3–64 of a-z 0-9 . _ - (stored lower case)
  std::string display_name;
  PrincipalKind kind = PrincipalKind::kStaff;
  std::optional<int64_t> org_id;   // required for staff
  std::optional<int64_t> post_id;  // must belong to org_id
  std::string password;            // must pass the policy rules
  std::string phone;               // optional; a mainland mobile number
  std::string id_number;           // optional; a valid GB 11643 number
  std::string credit_code;         // enterprises: unified social credit code
  std::vector<RoleSpec> roles;
};

// Self sign-up of a citizen or an enterprise (no organisation).
struct CitizenSignUp {
  std::string username;
  std::string display_name;
  PrincipalKind kind = PrincipalKind::kCitizen;  // kCitizen or kEnterprise
  std::string password;
  std::string phone;        // required: the contact number for callbacks
  std::string id_number;    // optional for citizens
  std::string credit_code;  // required for enterprises (a failed check is a warning only)
};

// A user as administrators see it. phone/id_number are masked unless pii_visible.
struct UserView {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  PrincipalKind kind = PrincipalKind::kStaff;
  std::optional<int64_t> org_id;
  std::string org_name;
  std::optional<int64_t> post_id;
  std::string post_title;
  std::string phone;      // "138****5678" or clear; "" when none
  std::string id_number;  // "110105**********2X" or clear; "" when none
  bool pii_visible = false;
  std::string credit_code;
  std::vector<Grant> grants;
  bool active = true;
  int failed_logins = 0;
  std::optional<Timestamp> locked_until;
  Timestamp created_at{};
  std::vector<std::string> warnings;  // e.g. a credit code whose check character is off
};

// A new user validated and with its password hashed (PrepareUser), ready for InsertUser. Holds
// only ciphertexts, blind indexes and the hash, never the clear password or identifiers.
struct PreparedUser {
  std::string username;  // normalised
  std::string password_hash;
  std::optional<std::string> phone_enc, phone_index, id_enc, id_index, credit_code;
  std::vector<std::string> warnings;
};

// A bearer token, shown once.
struct IssuedToken {
  int64_t id = 0;
  std::string token;
  std::optional<Timestamp> expires_at;
};

class AccountService {
 public:
  // `db` and `crypto` must outlive the service.
  AccountService(storage::Database& db, const Crypto& crypto, AccountPolicy policy = {});

  const AccountPolicy& policy() const { return policy_; }

  // When the address may sign in again after too many failures (nullopt: it may now).
  std::optional<Timestamp> AddressBlockedUntil(std::string_view address, Timestamp now) {
    return address_limiter_.BlockedUntil(address, now);
  }

  // Signs in (see the rules above). Errors: kBadCredentials, kAccountLocked, kInvalidArgument for
  // empty input, kRateLimited when meta.remote_addr failed too often (AddressBlockedUntil). Failed
  // attempts are committed (counter + audit) before the error is returned.
  Result<LoginResult> Login(std::string_view username, std::string_view password,
                            const RequestMeta& meta);
  // The session for a token: kSessionExpired when unknown, revoked, idle too long or past its
  // absolute limit, or its user is deactivated.
  Result<SessionAuth> Authenticate(std::string_view session_token, Timestamp now);
  // The principal of an API token: kUnauthenticated when unknown, expired or revoked.
  Result<Principal> AuthenticateBearer(std::string_view token, Timestamp now);
  // Revokes the session (idempotent; an unknown token is ok). Audited "auth.logout".
  Status Logout(std::string_view session_token, const RequestMeta& meta);
  // Changes the principal's own password: kBadCredentials for a wrong old password,
  // kInvalidArgument when the new one breaks the rules. Audited "account.password_change".
  Status ChangePassword(const Principal& principal, std::string_view old_password,
                        std::string_view new_password, const RequestMeta& meta);

  // Creates a staff or integration user: system:user:edit over the user's organisation and every
  // grant's scope (else kForbidden); administrator roles are refused (kForbidden). Audited
  // "user.create".
  Result<UserView> CreateUser(const Principal& actor, const NewUser& user, const RequestMeta& meta);
  // Creates any user without a permission check: for the CLI bootstrap and the demo loader only.
  // Still enforces validation, role conflicts and password rules. Audited as "system".
  Result<UserView> BootstrapUser(const NewUser& user, const RequestMeta& meta);
  // Sets a new password (system:user:reset_password over the user; security_admin), clears the
  // lockout and revokes the user's sessions. Audited "user.password_reset".
  Status ResetPassword(const Principal& actor, std::string_view username,
                       std::string_view new_password, const RequestMeta& meta);
  // Clears failed attempts and the lock (system:user:unlock). Audited "user.unlock".
  Status UnlockUser(const Principal& actor, std::string_view username, const RequestMeta& meta);
  // Issues a bearer token for a user (system:token:issue); the token is returned once, only its
  // SHA-256 is stored. Audited "token.issue".
  Result<IssuedToken> IssueApiToken(const Principal& actor, std::string_view username,
                                    std::string_view name, std::optional<Timestamp> expires_at,
                                    const RequestMeta& meta);
  // One user (system:user:list over the user's organisation; users without an organisation need a
  // city-wide grant); kNotFound when absent or out of scope.
  Result<UserView> GetUser(const Principal& actor, int64_t user_id);
  // The users of an organisation's subtree, by organisation path then user name. kNotFound when
  // the organisation is outside the actor's scope.
  Result<std::vector<UserView>> ListUsers(const Principal& actor, int64_t org_id);
  // Citizen/enterprise self sign-up: validates identifiers (kInvalidArgument), refuses a taken user
  // name or phone (kConflict). Audited "account.register".
  Result<UserView> RegisterCitizen(const CitizenSignUp& signup, const RequestMeta& meta);
  // The id of the user with this phone number (any accepted format), via the blind index.
  Result<std::optional<int64_t>> FindUserByPhone(std::string_view phone);
  // The id of the user with this ID number, via the blind index.
  Result<std::optional<int64_t>> FindUserByIdNumber(std::string_view id_number);

  // Inside an open transaction: the principal of an active user, or kNotFound.
  static Result<Principal> LoadPrincipal(storage::Tx& tx, int64_t user_id);

  // Building blocks for bulk loaders (the demo city) that create many users in one transaction:
  // validates `user` and hashes its password outside any transaction (slow: argon2id). Only
  // presence of org_id/scope ids is checked here, not that they exist.
  Result<PreparedUser> PrepareUser(const NewUser& user) const;
  // Inside an open transaction, without permission checks: inserts a prepared user and its grants
  // and audits "user.create" as `actor`. kConflict for a taken user name.
  Result<UserView> InsertUser(storage::Tx& tx, const Principal& actor, const NewUser& user,
                              const PreparedUser& prepared, const RequestMeta& meta);

 private:
  Result<UserView> Insert(storage::Tx& tx, const Principal& actor, const NewUser& user,
                          const PreparedUser& prepared, const RequestMeta& meta,
                          std::string action);
  Result<UserView> View(storage::Tx& tx, const Principal& actor, int64_t user_id, bool check_scope);

  // Forgets cached sessions: one (logout) or all (a user's sessions revoked).
  void ForgetSession(const std::string& id);
  void ForgetAllSessions();

  core::FailureLimiter address_limiter_;  // this process's view (per server, not shared)
  storage::Database& db_;
  const Crypto& crypto_;
  AccountPolicy policy_;

  struct CachedSession {
    SessionAuth auth;
    int64_t last_seen_ms = 0;
    int64_t cached_at_ms = 0;
  };
  std::mutex cache_mu_;
  std::unordered_map<std::string, CachedSession> session_cache_;  // by SHA-256 of the token
};

}  // namespace huiyin::app
