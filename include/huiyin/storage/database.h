// The storage port: a Database runs units of work (transactions) on SQLite or PostgreSQL.
// Repository code is written once against Tx with `?` placeholders; each driver adapts dialect
// details (placeholders, result decoding) and its own concurrency model:
//  - SQLite: one writer thread that group-commits queued write transactions (each in its own
//    SAVEPOINT, so one failing unit of work never affects another) and a pool of reader
//    connections.
//  - PostgreSQL: a bounded libpq connection pool; one connection per unit of work.
// Every method of Database is thread-safe. A Tx is used only inside the callback it is given to.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "huiyin/common/result.h"

namespace huiyin::storage {

enum class Dialect { kSqlite, kPostgres };

// A statement parameter: borrowed, valid for the duration of the call.
class Param {
 public:
  Param(std::nullptr_t) {}                                  // NOLINT(google-explicit-constructor)
  Param(int64_t v) : v_(v) {}                               // NOLINT(google-explicit-constructor)
  Param(int v) : v_(static_cast<int64_t>(v)) {}             // NOLINT(google-explicit-constructor)
  Param(bool v) : v_(static_cast<int64_t>(v)) {}            // NOLINT(google-explicit-constructor)
  Param(double v) : v_(v) {}                                // NOLINT(google-explicit-constructor)
  Param(std::string_view v) : v_(v) {}                      // NOLINT(google-explicit-constructor)
  Param(const std::string& v) : v_(std::string_view(v)) {}  // NOLINT(google-explicit-constructor)
  Param(const char* v) : v_(std::string_view(v)) {}         // NOLINT(google-explicit-constructor)
  template <typename T>
  Param(const std::optional<T>& v) {  // NOLINT(google-explicit-constructor)
    if (v) *this = Param(*v);
  }

  bool is_null() const { return v_.index() == 0; }
  const std::variant<std::monostate, int64_t, double, std::string_view>& value() const {
    return v_;
  }

 private:
  std::variant<std::monostate, int64_t, double, std::string_view> v_;
};

using Params = std::initializer_list<Param>;
// Parameters assembled at run time (dynamic filters).
using ParamSpan = std::span<const Param>;

// A view of the current result row; valid only inside the row callback.
class Row {
 public:
  virtual ~Row() = default;
  virtual int columns() const = 0;
  virtual bool IsNull(int i) const = 0;
  virtual int64_t Int(int i) const = 0;  // 0 for NULL
  virtual double Real(int i) const = 0;
  virtual std::string_view Text(int i) const = 0;  // "" for NULL
  std::string String(int i) const { return std::string(Text(i)); }
  std::optional<int64_t> OptInt(int i) const {
    return IsNull(i) ? std::nullopt : std::optional<int64_t>(Int(i));
  }
  std::optional<std::string> OptString(int i) const {
    return IsNull(i) ? std::nullopt : std::optional<std::string>(Text(i));
  }
};

using RowFn = std::function<void(const Row&)>;

// A unit of work on one connection. Errors: a unique/foreign-key violation is kConflict, a busy or
// lost database kUnavailable, anything else kInternal (the SQL error goes to the log, not the
// client).
class Tx {
 public:
  virtual ~Tx() = default;
  virtual Dialect dialect() const = 0;
  virtual bool read_only() const = 0;
  // Runs a statement; returns the number of rows changed.
  virtual Result<int64_t> Exec(std::string_view sql, ParamSpan params) = 0;
  // Runs a query, calling `fn` for each row. `fn` must not run statements on this Tx.
  virtual Status Query(std::string_view sql, ParamSpan params, const RowFn& fn) = 0;
  Result<int64_t> Exec(std::string_view sql, Params params = {}) {
    return Exec(sql, ParamSpan(params.begin(), params.size()));
  }
  Status Query(std::string_view sql, Params params, const RowFn& fn) {
    return Query(sql, ParamSpan(params.begin(), params.size()), fn);
  }
  // Runs several statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;

  // The first column of the first row as an integer, if any row.
  Result<std::optional<int64_t>> QueryInt(std::string_view sql, Params params = {});
  // The first column of the first row as text, if any row.
  Result<std::optional<std::string>> QueryText(std::string_view sql, Params params = {});
};

struct DatabaseOptions {
  int readers = 4;               // SQLite reader connections
  int pool_size = 8;             // PostgreSQL connections
  int busy_timeout_ms = 5000;    // SQLite busy timeout; PostgreSQL pool wait
  bool synchronous_full = true;  // SQLite: FULL (every acknowledged commit durable) or NORMAL
  int max_batch = 256;           // SQLite group commit: most units of work per transaction
  int64_t mmap_bytes = 0;        // SQLite memory map per connection (0: reads copy into the cache)
};

struct PoolStats {
  int size = 0;     // connections in the pool
  int in_use = 0;   // connections lent out now
  int waiting = 0;  // units of work waiting for a connection (or queued for the SQLite writer)
  int64_t commits = 0;
  int64_t batches = 0;  // SQLite group commits (commits / batches = mean batch size)
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // Runs `fn` in one read-write transaction. The changes are committed (and, on SQLite with
  // synchronous_full, durable) before Write returns ok; if `fn` fails nothing it did is kept.
  virtual Status Write(const std::function<Status(Tx&)>& fn) = 0;
  // Runs `fn` in a read-only snapshot.
  virtual Status Read(const std::function<Status(Tx&)>& fn) = 0;
  // Checks that the database answers (for /readyz).
  virtual Status Ping() = 0;
  virtual PoolStats Stats() const = 0;
  // Waits for queued work to finish and closes every connection. Idempotent.
  virtual void Close() = 0;
  // A short description for logs ("sqlite:var/huiyin.db"), without passwords.
  virtual std::string Describe() const = 0;

  // Convenience: Write/Read returning a value.
  template <typename T, typename F>
  Result<T> WriteValue(F&& fn) {
    std::optional<T> out;
    Status s = Write([&](Tx& tx) -> Status {
      Result<T> r = fn(tx);
      if (!r.ok()) return std::move(r).error();
      out = std::move(r).value();
      return Status::Ok();
    });
    if (!s.ok()) return std::move(s).error();
    return std::move(*out);
  }
  template <typename T, typename F>
  Result<T> ReadValue(F&& fn) {
    std::optional<T> out;
    Status s = Read([&](Tx& tx) -> Status {
      Result<T> r = fn(tx);
      if (!r.ok()) return std::move(r).error();
      out = std::move(r).value();
      return Status::Ok();
    });
    if (!s.ok()) return std::move(s).error();
    return std::move(*out);
  }
};

// Opens "sqlite:PATH", "sqlite::memory:" (one private in-memory database; the test twin) or
// "postgresql://user@host:port/db" / "postgres://...". Does not migrate.
Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url,
                                               const DatabaseOptions& options);

// Schema migrations: numbered SQL files per dialect compiled into the binary.
struct MigrationInfo {
  int current = 0;  // highest version applied in the database
  int latest = 0;   // highest version this binary knows
  int applied = 0;  // how many Migrate() applied now
};
// Applies every pending migration, each in its own transaction, recording it in schema_migrations.
// A database whose version is newer than the binary's is refused with kSchemaTooNew.
Result<MigrationInfo> Migrate(Database& db);
// Reads the versions without changing anything.
Result<MigrationInfo> SchemaVersion(Database& db);

}  // namespace huiyin::storage
