// What the commands that touch data need, built from the configuration: the database (migrated),
// the crypto service, the calendar and the application services. One place builds them, so
// `serve` and the admin commands behave the same.
#pragma once

#include <memory>
#include <optional>

#include "cli/context.h"
#include "huiyin/app/accounts.h"
#include "huiyin/app/calendar_service.h"
#include "huiyin/app/cases.h"
#include "huiyin/app/crypto.h"
#include "huiyin/app/orgs.h"

namespace huiyin::cli {

struct Runtime {
  Config config;
  std::unique_ptr<storage::Database> db;
  std::optional<app::Crypto> crypto;
  std::unique_ptr<app::AccountService> accounts;
  std::unique_ptr<app::OrgService> orgs;
  std::unique_ptr<app::CalendarService> calendar;
  std::shared_ptr<const app::WorkflowRegistry> workflows;
  std::unique_ptr<app::CaseService> cases;

  ~Runtime() {
    if (db) db->Close();
  }
};

// Loads the configuration, opens and migrates the database, reads the key file (creating it on
// first use), loads the calendar and builds the services.
Result<std::unique_ptr<Runtime>> BuildRuntime(const GlobalOptions& g);

// The principal the command line acts as: the machine's operator, who holds the key file, with
// every staff administrator role over every top-level organisation. Audited under "cli".
Result<app::Principal> OperatorPrincipal(storage::Database& db);

// Metadata of a CLI action for audit records.
app::RequestMeta CliMeta();

}  // namespace huiyin::cli
