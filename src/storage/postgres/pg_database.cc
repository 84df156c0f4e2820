#include "storage/postgres/pg_database.h"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace huiyin::storage {

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out.push_back(c);
    } else if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
    } else if (c == '?') {
      out.push_back('$');
      out += std::to_string(++n);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

namespace {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

std::string Redact(const std::string& url) {
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

class PgRow final : public Row {
 public:
  PgRow(PGresult* r, int row) : r_(r), row_(row) {}
  int columns() const override { return PQnfields(r_); }
  bool IsNull(int i) const override { return PQgetisnull(r_, row_, i) != 0; }
  int64_t Int(int i) const override {
    const char* p = PQgetvalue(r_, row_, i);
    int len = PQgetlength(r_, row_, i);
    if (len == 1 && (p[0] == 't' || p[0] == 'f')) return p[0] == 't' ? 1 : 0;  // booleans
    int64_t v = 0;
    std::from_chars(p, p + len, v);
    return v;
  }
  double Real(int i) const override {
    const char* p = PQgetvalue(r_, row_, i);
    return std::strtod(p, nullptr);
  }
  std::string_view Text(int i) const override {
    return {PQgetvalue(r_, row_, i), static_cast<size_t>(PQgetlength(r_, row_, i))};
  }

 private:
  PGresult* r_;
  int row_;
};

struct ResultGuard {
  PGresult* r;
  ~ResultGuard() {
    if (r) PQclear(r);
  }
};

class PgConn {
 public:
  explicit PgConn(std::string conninfo) : conninfo_(std::move(conninfo)) {}
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;
  ~PgConn() {
    if (c_) PQfinish(c_);
  }

  Status Connect() {
    if (c_ && PQstatus(c_) == CONNECTION_OK) return Status::Ok();
    if (c_) PQfinish(c_);
    statements_.clear();
    c_ = PQconnectdb(conninfo_.c_str());
    if (PQstatus(c_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(c_);
      spdlog::warn("postgresql: cannot connect: {}", msg);
      return MakeError(ErrorCode::kUnavailable, "the database cannot be reached; retry shortly");
    }
    PGresult* r = PQexec(c_, "SET client_min_messages=warning; SET TIME ZONE 'UTC'");
    PQclear(r);
    return Status::Ok();
  }

  bool healthy() const { return c_ && PQstatus(c_) == CONNECTION_OK; }

  Error ErrorOf(PGresult* r, std::string_view sql) {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c_);
    last_state_ = state ? state : "";
    if (PQstatus(c_) != CONNECTION_OK) {
      spdlog::warn("postgresql: connection lost: {}", msg);
      return MakeError(ErrorCode::kUnavailable, "the database connection was lost; retry");
    }
    if (state && std::strncmp(state, "23", 2) == 0) {
      return MakeError(ErrorCode::kConflict, "a record with the same key already exists");
    }
    if (state && (std::strcmp(state, "40001") == 0 || std::strcmp(state, "40P01") == 0)) {
      return MakeError(ErrorCode::kUnavailable, "concurrent update; retry");
    }
    if (state && (std::strncmp(state, "53", 2) == 0 || std::strncmp(state, "57", 2) == 0 ||
                  std::strncmp(state, "08", 2) == 0)) {
      spdlog::warn("postgresql: unavailable ({}): {}", state, msg);
      return MakeError(ErrorCode::kUnavailable, "the database is unavailable; retry shortly");
    }
    spdlog::error("postgresql error {}: {} in: {}", state ? state : "?", msg, sql.substr(0, 200));
    return MakeError(ErrorCode::kInternal, "database error");
  }

  const std::string& last_state() const { return last_state_; }

  Result<PGresult*> Run(std::string_view sql, ParamSpan params) {
    last_state_.clear();
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
      std::string name = "s" + std::to_string(statements_.size());
      std::string rewritten = RewritePlaceholders(sql);
      PGresult* r = PQprepare(c_, name.c_str(), rewritten.c_str(), 0, nullptr);
      ResultGuard g{r};
      if (PQresultStatus(r) != PGRES_COMMAND_OK) return ErrorOf(r, sql);
      it = statements_.emplace(std::string(sql), std::move(name)).first;
    }
    const size_t n = params.size();
    std::vector<std::string> storage;
    storage.reserve(n);
    std::vector<const char*> values(n, nullptr);
    std::vector<int> lengths(n, 0);
    size_t i = 0;
    for (const Param& p : params) {
      std::visit(
          [&](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, std::monostate>) {
              values[i] = nullptr;
            } else if constexpr (std::is_same_v<V, int64_t>) {
              storage.push_back(std::to_string(v));
              values[i] = storage.back().c_str();
              lengths[i] = static_cast<int>(storage.back().size());
            } else if constexpr (std::is_same_v<V, double>) {
              char buf[64];
              auto res = std::to_chars(buf, buf + sizeof buf, v);
              storage.emplace_back(buf, res.ptr);
              values[i] = storage.back().c_str();
              lengths[i] = static_cast<int>(storage.back().size());
            } else {
              // libpq reads text parameters as C strings: copy to add the terminator.
              storage.emplace_back(v);
              values[i] = storage.back().c_str();
              lengths[i] = static_cast<int>(v.size());
            }
          },
          p.value());
      ++i;
    }
    PGresult* r = PQexecPrepared(c_, it->second.c_str(), static_cast<int>(n), values.data(),
                                 lengths.data(), nullptr, 0);
    auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      ResultGuard g{r};
      return ErrorOf(r, sql);
    }
    return r;
  }

  Status Script(std::string_view sql) {
    last_state_.clear();
    std::string s(sql);
    PGresult* r = PQexec(c_, s.c_str());
    ResultGuard g{r};
    auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return ErrorOf(r, sql);
    return Status::Ok();
  }

 private:
  std::string conninfo_;
  PGconn* c_ = nullptr;
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> statements_;
  std::string last_state_;
};

class PgTx final : public Tx {
 public:
  PgTx(PgConn& c, bool read_only) : c_(c), read_only_(read_only) {}
  Dialect dialect() const override { return Dialect::kPostgres; }
  bool read_only() const override { return read_only_; }
  Result<int64_t> Exec(std::string_view sql, ParamSpan params) override {
    HUIYIN_ASSIGN_OR_RETURN(PGresult * r, c_.Run(sql, params));
    ResultGuard g{r};
    const char* n = PQcmdTuples(r);
    int64_t v = 0;
    if (n && *n) std::from_chars(n, n + std::strlen(n), v);
    return v;
  }
  Status Query(std::string_view sql, ParamSpan params, const RowFn& fn) override {
    HUIYIN_ASSIGN_OR_RETURN(PGresult * r, c_.Run(sql, params));
    ResultGuard g{r};
    int rows = PQntuples(r);
    for (int i = 0; i < rows; ++i) fn(PgRow(r, i));
    return Status::Ok();
  }
  Status ExecScript(std::string_view sql) override { return c_.Script(sql); }

 private:
  PgConn& c_;
  bool read_only_;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, DatabaseOptions options) : url_(std::move(url)), options_(options) {}
  ~PgDatabase() override { Close(); }

  Status Init() {
    for (int i = 0; i < std::max(1, options_.pool_size); ++i) {
      auto c = std::make_unique<PgConn>(url_);
      if (i == 0) {
        Status s = c->Connect();
        if (!s.ok()) {
          return MakeError(ErrorCode::kUnavailable,
                           "cannot connect to PostgreSQL at " + Redact(url_) +
                               ": check that the server runs and the URL, user and password are "
                               "right");
        }
      }
      idle_.push_back(c.get());
      all_.push_back(std::move(c));
    }
    return Status::Ok();
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status Write(const std::function<Status(Tx&)>& fn) override { return Run(fn, false); }
  Status Read(const std::function<Status(Tx&)>& fn) override { return Run(fn, true); }

  Status Ping() override {
    return Read([](Tx& tx) -> Status {
      auto r = tx.QueryInt("SELECT 1");
      if (!r.ok()) return std::move(r).error();
      return Status::Ok();
    });
  }

  PoolStats Stats() const override {
    std::lock_guard lock(mu_);
    PoolStats s;
    s.size = static_cast<int>(all_.size());
    s.in_use = static_cast<int>(all_.size() - idle_.size());
    s.waiting = waiting_;
    s.commits = commits_.load();
    s.batches = commits_.load();
    return s;
  }

  void Close() override {
    std::unique_lock lock(mu_);
    if (closed_) return;
    closed_ = true;
    // Wait (bounded) for lent connections to come back.
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return idle_.size() == all_.size(); });
    idle_.clear();
    all_.clear();
  }

  std::string Describe() const override { return Redact(url_); }

 private:
  Result<PgConn*> Acquire() {
    std::unique_lock lock(mu_);
    ++waiting_;
    bool got = cv_.wait_for(lock, std::chrono::milliseconds(options_.busy_timeout_ms),
                            [&] { return closed_ || !idle_.empty(); });
    --waiting_;
    if (closed_) return MakeError(ErrorCode::kUnavailable, "the database is closing");
    if (!got) return MakeError(ErrorCode::kUnavailable, "all database connections are busy; retry");
    PgConn* c = idle_.back();
    idle_.pop_back();
    return c;
  }

  void Release(PgConn* c) {
    {
      std::lock_guard lock(mu_);
      idle_.push_back(c);
    }
    cv_.notify_all();
  }

  Status Run(const std::function<Status(Tx&)>& fn, bool read_only) {
    HUIYIN_ASSIGN_OR_RETURN(PgConn * c, Acquire());
    Status result = Status::Ok();
    for (int attempt = 0; attempt < 5; ++attempt) {
      result = c->Connect();
      if (!result.ok()) break;
      result = c->Script(read_only ? "BEGIN READ ONLY" : "BEGIN");
      if (!result.ok()) continue;  // the connection may have dropped: reconnect once more
      PgTx tx(*c, read_only);
      try {
        result = fn(tx);
      } catch (const std::exception& e) {
        spdlog::error("unit of work threw: {}", e.what());
        result = MakeError(ErrorCode::kInternal, "internal error");
      }
      if (result.ok()) {
        result = c->Script("COMMIT");
        if (result.ok()) {
          ++commits_;
          break;
        }
      } else {
        (void)c->Script("ROLLBACK");
      }
      const std::string& st = c->last_state();
      bool retry = st == "40001" || st == "40P01";
      if (!retry) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2 << attempt));
    }
    Release(c);
    return result;
  }

  std::string url_;
  DatabaseOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn>> all_;
  std::vector<PgConn*> idle_;
  int waiting_ = 0;
  bool closed_ = false;
  std::atomic<int64_t> commits_{0};
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url,
                                               const DatabaseOptions& options) {
  auto db = std::make_unique<PgDatabase>(url, options);
  HUIYIN_TRY(db->Init());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace huiyin::storage
