#include "cli/commands.h"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "cli/context.h"
#include "huiyin/build_info.h"
#include "huiyin/storage/database.h"

namespace huiyin::cli {
namespace {

int RunMigrate(GlobalOptions& g) {
  HUIYIN_CLI_ASSIGN(Config config, LoadSettings(g));
  HUIYIN_CLI_ASSIGN(auto db, OpenDb(config, /*migrate=*/false));
  auto info = storage::Migrate(*db);
  if (!info.ok()) return Fail(info.error());
  std::printf("schema at version %d (%d applied now) on %s\n", info->current, info->applied,
              db->Describe().c_str());
  db->Close();
  return 0;
}

int RunConfigKeys() {
  for (const auto& k : ConfigKeys()) {
    std::printf("%-32s %-40s %s\n", k.name.c_str(), k.env.c_str(), k.allowed.c_str());
  }
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"Huiyin (回音): every matter gets an owner, every case gets an answer"};
  app.require_subcommand(1);
  GlobalOptions g;
  auto add_common = [&](CLI::App* sub) {
    sub->add_option("--config", g.config_file, "TOML configuration file");
    sub->add_option("--db", g.db_url, "database: sqlite:PATH or postgresql://user@host:port/db");
    sub->add_option("--set", g.settings, "override a configuration key: --set server.port=9000");
  };

  auto* version = app.add_subcommand("version", "print the version");
  auto* migrate = app.add_subcommand("migrate", "apply pending database migrations");
  add_common(migrate);
  auto* config = app.add_subcommand("config", "configuration");
  config->require_subcommand(1);
  auto* config_keys = config->add_subcommand("keys", "list every configuration key");
  auto* config_check = config->add_subcommand("check", "load and validate the configuration");
  add_common(config_check);

  RegisterServe(app, g, add_common);
  RegisterDemo(app, g, add_common);
  RegisterAdmin(app, g, add_common);
  RegisterAudit(app, g, add_common);
  RegisterCalendar(app, g, add_common);
  RegisterImport(app, g, add_common);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (version->parsed()) {
    std::printf("huiyin %s\n", HUIYIN_VERSION);
    return 0;
  }
  if (migrate->parsed()) return RunMigrate(g);
  if (config_keys->parsed()) return RunConfigKeys();
  if (config_check->parsed()) {
    HUIYIN_CLI_ASSIGN(Config c, LoadSettings(g));
    std::printf("configuration ok: database %s, listening on %s:%d\n", c.database.url.c_str(),
                c.server.listen.c_str(), c.server.port);
    return 0;
  }
  return RunRegistered(app);
}

}  // namespace huiyin::cli
