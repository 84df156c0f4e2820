#include "cli/runtime.h"

#include <sodium.h>

#include "huiyin/app/calendar_import.h"

namespace huiyin::cli {

Result<std::unique_ptr<Runtime>> BuildRuntime(const GlobalOptions& g) {
  auto rt = std::make_unique<Runtime>();
  HUIYIN_ASSIGN_OR_RETURN(rt->config, LoadSettings(g));
  const Config& c = rt->config;
  HUIYIN_ASSIGN_OR_RETURN(rt->db, OpenDb(c, /*migrate=*/true));
  app::CryptoOptions co;
  if (c.security.argon2 == "min") {
    co = app::CryptoOptions::ForTests();
  } else if (c.security.argon2 == "moderate") {
    co.pwhash_ops = crypto_pwhash_OPSLIMIT_MODERATE;
    co.pwhash_mem = crypto_pwhash_MEMLIMIT_MODERATE;
  }
  co.max_concurrent_hashes = c.security.hash_concurrency;
  HUIYIN_ASSIGN_OR_RETURN(auto crypto, app::Crypto::FromKeyFile(c.security.key_file, co));
  rt->crypto.emplace(std::move(crypto));
  app::AccountPolicy policy;
  policy.lockout_attempts = c.security.lockout_attempts;
  policy.lockout_minutes = c.security.lockout_minutes;
  policy.address_failures = c.security.address_failures;
  policy.session_idle_minutes = c.security.session_idle_minutes;
  policy.session_absolute_hours = c.security.session_absolute_hours;
  rt->accounts = std::make_unique<app::AccountService>(*rt->db, *rt->crypto, policy);
  rt->orgs = std::make_unique<app::OrgService>(*rt->db);
  HUIYIN_ASSIGN_OR_RETURN(core::CalendarData shipped, app::LoadCalendarDir(c.calendar.dir));
  HUIYIN_ASSIGN_OR_RETURN(rt->calendar, app::CalendarService::Create(*rt->db, std::move(shipped)));
  HUIYIN_ASSIGN_OR_RETURN(rt->workflows, app::WorkflowRegistry::LoadDir(c.workflows.dir));
  rt->cases =
      std::make_unique<app::CaseService>(*rt->db, *rt->crypto, *rt->calendar, rt->workflows);
  return rt;
}

Result<app::Principal> OperatorPrincipal(storage::Database& db) {
  app::Principal p = app::SystemPrincipal();
  p.username = "cli";
  p.display_name = "command line operator";
  HUIYIN_TRY(db.Read([&](storage::Tx& tx) -> Status {
    return tx.Query(
        "SELECT id, path FROM orgs WHERE parent_id IS NULL", {}, [&](const storage::Row& r) {
          for (auto role :
               {core::Role::kSystemAdmin, core::Role::kSecurityAdmin, core::Role::kAuditAdmin}) {
            p.grants.push_back({role, r.Int(0), r.String(1)});
          }
          if (!p.org_id) {
            p.org_id = r.Int(0);
            p.org_path = r.String(1);
          }
        });
  }));
  return p;
}

app::RequestMeta CliMeta() {
  return {"cli", "cli", Now()};
}

}  // namespace huiyin::cli
