#include "cli/context.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <map>

namespace huiyin::cli {
namespace {

std::vector<std::pair<CLI::App*, std::function<int()>>>& Runners() {
  static std::vector<std::pair<CLI::App*, std::function<int()>>> runners;
  return runners;
}

}  // namespace

Result<Config> LoadSettings(const GlobalOptions& g) {
  std::vector<std::pair<std::string, std::string>> overrides;
  for (const auto& s : g.settings) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "--set '" + s + "' is not key=value; e.g. --set server.port=9000");
    }
    overrides.emplace_back(s.substr(0, eq), s.substr(eq + 1));
  }
  if (!g.db_url.empty()) overrides.emplace_back("database.url", g.db_url);
  auto c = LoadConfig(g.config_file, HuiyinEnvironment(), overrides);
  if (c.ok()) SetUpLogging(*c);
  return c;
}

void SetUpLogging(const Config& config) {
  static bool done = false;
  if (!done) {
    auto logger = spdlog::stderr_color_mt("huiyin");
    spdlog::set_default_logger(logger);
    done = true;
  }
  spdlog::set_level(spdlog::level::from_str(config.log.level));
}

Result<std::unique_ptr<storage::Database>> OpenDb(const Config& config, bool migrate) {
  storage::DatabaseOptions o;
  o.readers = config.database.readers;
  o.pool_size = config.database.pool_size;
  o.synchronous_full = config.database.synchronous == "full";
  o.mmap_bytes = int64_t{config.database.mmap_mb} << 20;
  HUIYIN_ASSIGN_OR_RETURN(auto db, storage::OpenDatabase(config.database.url, o));
  if (migrate) {
    HUIYIN_ASSIGN_OR_RETURN(auto info, storage::Migrate(*db));
    if (info.applied > 0) {
      spdlog::info("database migrated to version {} ({} applied)", info.current, info.applied);
    }
  } else {
    HUIYIN_ASSIGN_OR_RETURN(auto info, storage::SchemaVersion(*db));
    if (info.current > info.latest) {
      return MakeError(ErrorCode::kSchemaTooNew,
                       "the database schema is version " + std::to_string(info.current) +
                           " but this huiyin binary knows only up to version " +
                           std::to_string(info.latest) + ": run a newer huiyin");
    }
  }
  return db;
}

int Fail(const Error& error) {
  std::fprintf(stderr, "huiyin: %s\n", error.detail.c_str());
  for (const auto& f : error.fields) {
    std::fprintf(stderr, "  %s: %s\n", f.field.c_str(), f.message.c_str());
  }
  return error.code == ErrorCode::kInvalidArgument ? 2 : 1;
}

void OnParsed(CLI::App* sub, std::function<int()> run) {
  Runners().emplace_back(sub, std::move(run));
}

int RunRegistered(CLI::App& app) {
  for (auto& [sub, run] : Runners()) {
    if (sub->parsed()) return run();
  }
  std::fprintf(stderr, "%s", app.help().c_str());
  return 2;
}

}  // namespace huiyin::cli
