// `huiyin admin ...` (accounts) and `huiyin audit verify`.
#include <cstdio>

#include "cli/runtime.h"
#include "huiyin/app/audit.h"

namespace huiyin::cli {
namespace {

struct AdminOptions {
  std::string username;
  std::string display_name;
  std::string password;
  std::string org_code;
  std::vector<std::string> roles;
  std::string token_name = "integration";
  int expires_days = 0;
};

int CreateUser(const GlobalOptions& g, const AdminOptions& o) {
  HUIYIN_CLI_ASSIGN(auto rt, BuildRuntime(g));
  app::NewUser u;
  u.username = o.username;
  u.display_name = o.display_name.empty() ? o.username : o.display_name;
  u.password = o.password;
  if (!o.org_code.empty()) {
    HUIYIN_CLI_ASSIGN(app::Org org, rt->orgs->GetOrgByCode(o.org_code));
    u.org_id = org.id;
  }
  for (const auto& r : o.roles) {
    auto role = core::ParseRole(r);
    if (!role) return Fail(FieldInvalid("--role", "'" + r + "' is not a role"));
    u.roles.push_back({*role, u.org_id});
  }
  HUIYIN_CLI_ASSIGN(app::UserView v, rt->accounts->BootstrapUser(u, CliMeta()));
  std::printf("created user %s (id %lld)\n", v.username.c_str(), static_cast<long long>(v.id));
  return 0;
}

int ResetPassword(const GlobalOptions& g, const AdminOptions& o) {
  HUIYIN_CLI_ASSIGN(auto rt, BuildRuntime(g));
  HUIYIN_CLI_ASSIGN(app::Principal op, OperatorPrincipal(*rt->db));
  if (auto s = rt->accounts->ResetPassword(op, o.username, o.password, CliMeta()); !s.ok()) {
    return Fail(s.error());
  }
  std::printf("password of %s reset; the user's sessions are revoked\n", o.username.c_str());
  return 0;
}

int Unlock(const GlobalOptions& g, const AdminOptions& o) {
  HUIYIN_CLI_ASSIGN(auto rt, BuildRuntime(g));
  HUIYIN_CLI_ASSIGN(app::Principal op, OperatorPrincipal(*rt->db));
  if (auto s = rt->accounts->UnlockUser(op, o.username, CliMeta()); !s.ok()) return Fail(s.error());
  std::printf("%s unlocked\n", o.username.c_str());
  return 0;
}

int IssueToken(const GlobalOptions& g, const AdminOptions& o) {
  HUIYIN_CLI_ASSIGN(auto rt, BuildRuntime(g));
  HUIYIN_CLI_ASSIGN(app::Principal op, OperatorPrincipal(*rt->db));
  std::optional<Timestamp> expires;
  if (o.expires_days > 0) expires = Now() + std::chrono::days(o.expires_days);
  HUIYIN_CLI_ASSIGN(app::IssuedToken t,
                    rt->accounts->IssueApiToken(op, o.username, o.token_name, expires, CliMeta()));
  std::printf("%s\n", t.token.c_str());
  std::fprintf(stderr, "API token %lld for %s issued; it is shown only now.\n",
               static_cast<long long>(t.id), o.username.c_str());
  return 0;
}

int AuditVerify(const GlobalOptions& g) {
  HUIYIN_CLI_ASSIGN(Config c, LoadSettings(g));
  HUIYIN_CLI_ASSIGN(auto db, OpenDb(c, /*migrate=*/false));
  HUIYIN_CLI_ASSIGN(app::AuditVerifyReport r, app::VerifyAudit(*db));
  db->Close();
  if (r.ok) {
    std::printf("audit chain intact: %lld rows checked, last seq %lld\n",
                static_cast<long long>(r.rows_checked), static_cast<long long>(r.last_seq));
    return 0;
  }
  std::printf("audit chain BROKEN at seq %lld: %s (%lld rows checked)\n",
              static_cast<long long>(r.broken_seq), r.detail.c_str(),
              static_cast<long long>(r.rows_checked));
  return 1;
}

}  // namespace

void RegisterAdmin(CLI::App& app, GlobalOptions& g, const AddCommon& add_common) {
  static AdminOptions o;
  auto* admin = app.add_subcommand("admin", "account administration");
  admin->require_subcommand(1);

  auto* create = admin->add_subcommand("create-user", "create a staff user (bootstrap)");
  add_common(create);
  create->add_option("--username", o.username, "user name")->required();
  create->add_option("--name", o.display_name, "display name");
  create->add_option("--password", o.password, "initial password (password rules apply)")
      ->required();
  create->add_option("--org", o.org_code, "organisation code, e.g. tonghua.gov");
  create->add_option("--role", o.roles, "role over the organisation's subtree (repeatable)");
  OnParsed(create, [&g] { return CreateUser(g, o); });

  auto* reset = admin->add_subcommand("reset-password", "set a new password, revoke sessions");
  add_common(reset);
  reset->add_option("--username", o.username, "user name")->required();
  reset->add_option("--password", o.password, "new password")->required();
  OnParsed(reset, [&g] { return ResetPassword(g, o); });

  auto* unlock = admin->add_subcommand("unlock", "clear a lockout");
  add_common(unlock);
  unlock->add_option("--username", o.username, "user name")->required();
  OnParsed(unlock, [&g] { return Unlock(g, o); });

  auto* token = admin->add_subcommand("issue-token", "issue a bearer API token (printed once)");
  add_common(token);
  token->add_option("--username", o.username, "the account the token acts as")->required();
  token->add_option("--name", o.token_name, "what the token is for");
  token->add_option("--expires-days", o.expires_days, "days until it expires (0: never)");
  OnParsed(token, [&g] { return IssueToken(g, o); });
}

void RegisterAudit(CLI::App& app, GlobalOptions& g, const AddCommon& add_common) {
  auto* audit = app.add_subcommand("audit", "the audit trail");
  audit->require_subcommand(1);
  auto* verify =
      audit->add_subcommand("verify", "check the hash chain; name the first broken link");
  add_common(verify);
  OnParsed(verify, [&g] { return AuditVerify(g); });
}

}  // namespace huiyin::cli
