// Shared plumbing of the CLI commands: global options, configuration loading, opening the
// database, and the registration of each command group (one .cc file per group).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "huiyin/common/config.h"
#include "huiyin/common/result.h"
#include "huiyin/storage/database.h"

namespace huiyin::cli {

struct GlobalOptions {
  std::string config_file;
  std::string db_url;
  std::vector<std::string> settings;  // "key=value"
};

using AddCommon = std::function<void(CLI::App*)>;

// Merges file, environment, --set and --db (in that order of precedence, lowest first).
Result<Config> LoadSettings(const GlobalOptions& g);
// Opens the configured database; with `migrate` applies pending migrations first. A schema newer
// than the binary is refused.
Result<std::unique_ptr<storage::Database>> OpenDb(const Config& config, bool migrate);
// Prints "huiyin: <detail>" to stderr; returns 2 for configuration errors, 1 otherwise.
int Fail(const Error& error);
// Configures spdlog (stderr, level from config).
void SetUpLogging(const Config& config);

// Each command group registers its subcommands and a runner that fires when one was parsed.
void RegisterServe(CLI::App& app, GlobalOptions& g, const AddCommon& add_common);
void RegisterDemo(CLI::App& app, GlobalOptions& g, const AddCommon& add_common);
void RegisterAdmin(CLI::App& app, GlobalOptions& g, const AddCommon& add_common);
void RegisterAudit(CLI::App& app, GlobalOptions& g, const AddCommon& add_common);
void RegisterCalendar(CLI::App& app, GlobalOptions& g, const AddCommon& add_common);
void RegisterImport(CLI::App& app, GlobalOptions& g, const AddCommon& add_common);
// Adds a runner called when `sub` was parsed.
void OnParsed(CLI::App* sub, std::function<int()> run);
// Runs the runner of the parsed subcommand.
int RunRegistered(CLI::App& app);

}  // namespace huiyin::cli

// Binds the value of a Result or returns Fail(error) from the enclosing command.
#define HUIYIN_CLI_ASSIGN(lhs, expr) \
  HUIYIN_CLI_ASSIGN_IMPL_(HUIYIN_CONCAT_(huiyin_cli_, __LINE__), lhs, expr)
#define HUIYIN_CLI_ASSIGN_IMPL_(tmp, lhs, expr)           \
  auto tmp = (expr);                                      \
  if (!tmp.ok()) return ::huiyin::cli::Fail(tmp.error()); \
  lhs = std::move(tmp).value()
