#include "huiyin/storage/database.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "huiyin/common/time.h"
#include "storage/migrations.h"
#include "storage/postgres/pg_database.h"
#include "storage/sqlite/sqlite_database.h"

namespace huiyin::storage {

Result<std::optional<int64_t>> Tx::QueryInt(std::string_view sql, Params params) {
  std::optional<int64_t> out;
  HUIYIN_TRY(Query(sql, params, [&](const Row& r) {
    if (!out && !r.IsNull(0)) out = r.Int(0);
  }));
  return out;
}

Result<std::optional<std::string>> Tx::QueryText(std::string_view sql, Params params) {
  std::optional<std::string> out;
  HUIYIN_TRY(Query(sql, params, [&](const Row& r) {
    if (!out && !r.IsNull(0)) out = r.String(0);
  }));
  return out;
}

Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url,
                                               const DatabaseOptions& options) {
  if (url.starts_with("sqlite:")) {
    std::string path(url.substr(7));
    if (path.starts_with("//")) path = path.substr(2);
    if (path.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "database URL 'sqlite:' has no path; write sqlite:var/huiyin.db or "
                       "sqlite::memory:");
    }
    return OpenSqlite(path, options);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return OpenPostgres(std::string(url), options);
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "database URL '" + std::string(url) +
                       "' is not supported; use sqlite:PATH or postgresql://user@host:port/dbname");
}

namespace {

constexpr std::string_view kCreateSchemaTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
    "NULL, "
    "applied_at BIGINT NOT NULL)";

int LatestFor(Dialect d) {
  int latest = 0;
  for (const auto& m : EmbeddedMigrations()) {
    if (m.dialect == d) latest = std::max(latest, m.version);
  }
  return latest;
}

Result<int> CurrentVersion(Database& db) {
  return db.ReadValue<int>([&](Tx& tx) -> Result<int> {
    // The table may not exist yet in a new database.
    std::string_view exists_sql =
        tx.dialect() == Dialect::kSqlite
            ? "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
            : "SELECT count(*) FROM information_schema.tables WHERE table_name='schema_migrations' "
              "AND table_schema=current_schema()";
    HUIYIN_ASSIGN_OR_RETURN(auto exists, tx.QueryInt(exists_sql));
    if (!exists || *exists == 0) return 0;
    HUIYIN_ASSIGN_OR_RETURN(auto v, tx.QueryInt("SELECT max(version) FROM schema_migrations"));
    return static_cast<int>(v.value_or(0));
  });
}

Error TooNew(int current, int latest) {
  return MakeError(ErrorCode::kSchemaTooNew,
                   "the database schema is version " + std::to_string(current) +
                       " but this huiyin binary knows only up to version " +
                       std::to_string(latest) +
                       ": run a newer huiyin, or restore a backup made for this version");
}

}  // namespace

Result<MigrationInfo> SchemaVersion(Database& db) {
  MigrationInfo info;
  info.latest = LatestFor(db.dialect());
  HUIYIN_ASSIGN_OR_RETURN(info.current, CurrentVersion(db));
  return info;
}

Result<MigrationInfo> Migrate(Database& db) {
  HUIYIN_ASSIGN_OR_RETURN(MigrationInfo info, SchemaVersion(db));
  if (info.current > info.latest) return TooNew(info.current, info.latest);
  HUIYIN_TRY(db.Write([](Tx& tx) { return tx.ExecScript(kCreateSchemaTable); }));
  for (const auto& m : EmbeddedMigrations()) {
    if (m.dialect != db.dialect() || m.version <= info.current) continue;
    Status s = db.Write([&](Tx& tx) -> Status {
      // Another process may have applied it meanwhile (several servers starting at once).
      HUIYIN_ASSIGN_OR_RETURN(auto done, tx.QueryInt("SELECT count(*) FROM schema_migrations "
                                                     "WHERE version = ?",
                                                     {m.version}));
      if (done && *done > 0) return Status::Ok();
      if (tx.dialect() == Dialect::kPostgres) {
        HUIYIN_TRY(tx.ExecScript("SELECT pg_advisory_xact_lock(4242)"));
        HUIYIN_ASSIGN_OR_RETURN(auto again, tx.QueryInt("SELECT count(*) FROM schema_migrations "
                                                        "WHERE version = ?",
                                                        {m.version}));
        if (again && *again > 0) return Status::Ok();
      }
      HUIYIN_TRY(tx.ExecScript(m.sql));
      auto r = tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                       {m.version, m.name, ToMillis(Now())});
      if (!r.ok()) return std::move(r).error();
      return Status::Ok();
    });
    if (!s.ok()) {
      spdlog::error("migration {} failed", m.name);
      return std::move(s).error();
    }
    spdlog::info("applied migration {}", m.name);
    ++info.applied;
    info.current = m.version;
  }
  return info;
}

}  // namespace huiyin::storage
