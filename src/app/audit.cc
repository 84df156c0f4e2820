#include "huiyin/app/audit.h"

#include <algorithm>

#include "huiyin/app/crypto.h"

namespace huiyin::app {
namespace {

constexpr int64_t kAdvisoryLockKey = 4243;
constexpr int kVerifyBatch = 1000;

void Field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out += '=';
  out += std::to_string(value.size());
  out += ':';
  out.append(value);
  out += '\n';
}

std::string OptInt(const std::optional<int64_t>& v) {
  return v ? std::to_string(*v) : "";
}

constexpr std::string_view kColumns =
    "seq, at, actor_id, actor_name, role, org_id, source_addr, action, object_type, object_id, "
    "outcome, digest, prev_hash, hash";

AuditEntry EntryOf(const storage::Row& row) {
  AuditEntry e;
  e.seq = row.Int(0);
  e.at = FromMillis(row.Int(1));
  e.record.actor_id = row.OptInt(2);
  e.record.actor_name = row.String(3);
  e.record.role = row.String(4);
  e.record.org_id = row.OptInt(5);
  e.record.source_addr = row.String(6);
  e.record.action = row.String(7);
  e.record.object_type = row.String(8);
  e.record.object_id = row.String(9);
  e.record.outcome = row.String(10);
  e.record.digest = row.String(11);
  e.prev_hash = row.String(12);
  e.hash = row.String(13);
  return e;
}

}  // namespace

AuditRecord AuditOf(const Principal& actor, const RequestMeta& meta, std::string action,
                    std::string object_type, std::string object_id) {
  AuditRecord r;
  if (actor.user_id != 0) r.actor_id = actor.user_id;
  r.actor_name = actor.username;
  r.role = actor.RoleList();
  r.org_id = actor.org_id;
  r.source_addr = meta.remote_addr;
  r.action = std::move(action);
  r.object_type = std::move(object_type);
  r.object_id = std::move(object_id);
  return r;
}

std::string AuditCanonical(int64_t seq, Timestamp at, const AuditRecord& r) {
  std::string out;
  Field(out, "seq", std::to_string(seq));
  Field(out, "at", std::to_string(ToMillis(at)));
  Field(out, "actor_id", OptInt(r.actor_id));
  Field(out, "actor_name", r.actor_name);
  Field(out, "role", r.role);
  Field(out, "org_id", OptInt(r.org_id));
  Field(out, "source_addr", r.source_addr);
  Field(out, "action", r.action);
  Field(out, "object_type", r.object_type);
  Field(out, "object_id", r.object_id);
  Field(out, "outcome", r.outcome);
  Field(out, "digest", r.digest);
  return out;
}

std::string AuditHash(std::string_view prev_hash, int64_t seq, Timestamp at,
                      const AuditRecord& record) {
  std::string data(prev_hash);
  data += '\n';
  data += AuditCanonical(seq, at, record);
  return Crypto::Sha256Hex(data);
}

Result<int64_t> AppendAudit(storage::Tx& tx, const AuditRecord& record, Timestamp now) {
  if (tx.dialect() == storage::Dialect::kPostgres) {
    HUIYIN_TRY(tx.Exec("SELECT pg_advisory_xact_lock(?)", {kAdvisoryLockKey}));
  }
  int64_t last_seq = 0;
  std::string prev_hash(kAuditGenesisHash);
  HUIYIN_TRY(tx.Query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", {},
                      [&](const storage::Row& row) {
                        last_seq = row.Int(0);
                        prev_hash = row.String(1);
                      }));
  const int64_t seq = last_seq + 1;
  const std::string hash = AuditHash(prev_hash, seq, now, record);
  HUIYIN_TRY(tx.Exec(
      "INSERT INTO audit_log (seq, at, actor_id, actor_name, role, org_id, source_addr, action, "
      "object_type, object_id, outcome, digest, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {seq, ToMillis(now), record.actor_id, record.actor_name, record.role, record.org_id,
       record.source_addr, record.action, record.object_type, record.object_id, record.outcome,
       record.digest, prev_hash, hash}));
  return seq;
}

Result<AuditVerifyReport> VerifyAudit(storage::Database& db) {
  return db.ReadValue<AuditVerifyReport>([&](storage::Tx& tx) -> Result<AuditVerifyReport> {
    AuditVerifyReport report;
    std::string prev_hash(kAuditGenesisHash);
    int64_t expected = 1;
    const std::string sql = "SELECT " + std::string(kColumns) +
                            " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT " +
                            std::to_string(kVerifyBatch);
    while (report.ok) {
      int rows = 0;
      HUIYIN_TRY(tx.Query(sql, {report.last_seq}, [&](const storage::Row& row) {
        ++rows;
        if (!report.ok) return;
        AuditEntry e = EntryOf(row);
        report.last_seq = e.seq;
        if (e.seq != expected) {
          report.ok = false;
          report.problem = AuditProblem::kGap;
          report.broken_seq = expected;
          report.detail = expected + 1 == e.seq
                              ? "row " + std::to_string(expected) + " is missing (removed)"
                              : "rows " + std::to_string(expected) + " to " +
                                    std::to_string(e.seq - 1) + " are missing (removed)";
          return;
        }
        ++report.rows_checked;
        if (e.prev_hash != prev_hash) {
          report.ok = false;
          report.problem = AuditProblem::kPrevHashMismatch;
          report.broken_seq = e.seq;
          report.detail = "row " + std::to_string(e.seq) +
                          " does not link to the row before it (prev_hash mismatch): an earlier "
                          "row was altered and re-hashed, or rows were replaced";
          return;
        }
        if (AuditHash(e.prev_hash, e.seq, e.at, e.record) != e.hash) {
          report.ok = false;
          report.problem = AuditProblem::kHashMismatch;
          report.broken_seq = e.seq;
          report.detail =
              "row " + std::to_string(e.seq) + " was altered: its hash does not match its content";
          return;
        }
        prev_hash = e.hash;
        ++expected;
      }));
      if (rows < kVerifyBatch) break;
    }
    if (report.ok) {
      report.detail = report.rows_checked == 0
                          ? "the audit log is empty"
                          : "all " + std::to_string(report.rows_checked) + " rows are intact";
    }
    return report;
  });
}

Result<std::vector<AuditEntry>> ListAudit(storage::Database& db, const Principal& actor,
                                          const AuditFilter& filter) {
  if (!actor.HasPermission("audit:log:list")) {
    return MakeError(ErrorCode::kForbidden, "reading the audit log needs the audit_admin role");
  }
  const int limit = std::clamp(filter.limit, 1, 1000);
  const bool ascending = filter.after_seq.has_value();
  std::optional<int64_t> from, to;
  if (filter.from) from = ToMillis(*filter.from);
  if (filter.to) to = ToMillis(*filter.to);
  std::optional<std::string> action_exact, action_prefix;
  if (!filter.action.empty()) {
    if (filter.action.back() == '.') {
      action_prefix = filter.action;
    } else {
      action_exact = filter.action;
    }
  }
  // Each optional condition is "(CAST(? AS type) IS NULL OR condition)": one statement text for
  // every combination, which both dialects prepare once.
  std::string sql = "SELECT " + std::string(kColumns) +
                    " FROM audit_log WHERE "
                    "(CAST(? AS BIGINT) IS NULL OR at >= CAST(? AS BIGINT)) AND "
                    "(CAST(? AS BIGINT) IS NULL OR at < CAST(? AS BIGINT)) AND "
                    "(CAST(? AS BIGINT) IS NULL OR actor_id = CAST(? AS BIGINT)) AND "
                    "(CAST(? AS TEXT) IS NULL OR action = CAST(? AS TEXT)) AND "
                    "(CAST(? AS TEXT) IS NULL OR "
                    "substr(action, 1, length(CAST(? AS TEXT))) = CAST(? AS TEXT)) AND "
                    "(CAST(? AS BIGINT) IS NULL OR seq < CAST(? AS BIGINT)) AND "
                    "(CAST(? AS BIGINT) IS NULL OR seq > CAST(? AS BIGINT))";
  const std::string order = std::string(" ORDER BY seq ") + (ascending ? "ASC" : "DESC") +
                            " LIMIT " + std::to_string(limit);
  return db.ReadValue<std::vector<AuditEntry>>(
      [&](storage::Tx& tx) -> Result<std::vector<AuditEntry>> {
        std::vector<AuditEntry> out;
        // An audit admin granted over a part of the city reads what the staff of that part did
        // (the records of its units); over the whole city, everything.
        std::string scope;
        if (!actor.CanOnCityWide("audit:log:list")) {
          std::string units;  // integers only
          for (const auto& g : actor.grants) {
            if (g.scope_path.empty() || !core::RoleGrants(g.role, "audit:log:list")) continue;
            HUIYIN_TRY(tx.Query("SELECT id FROM orgs WHERE substr(path, 1, ?) = ?",
                                {static_cast<int64_t>(g.scope_path.size()), g.scope_path},
                                [&](const storage::Row& r) {
                                  units += (units.empty() ? "" : ",") + std::to_string(r.Int(0));
                                }));
          }
          scope = " AND org_id IN (" + (units.empty() ? std::string("0") : units) + ")";
        }
        HUIYIN_TRY(
            tx.Query(sql + scope + order,
                     {from, from, to, to, filter.actor_id, filter.actor_id, action_exact,
                      action_exact, action_prefix, action_prefix, action_prefix, filter.before_seq,
                      filter.before_seq, filter.after_seq, filter.after_seq},
                     [&](const storage::Row& row) { out.push_back(EntryOf(row)); }));
        return out;
      });
}

Result<AuditVerifyReport> VerifyAuditAs(storage::Database& db, const Principal& actor) {
  if (!actor.HasPermission("audit:log:verify")) {
    return MakeError(ErrorCode::kForbidden, "verifying the audit log needs the audit_admin role");
  }
  return VerifyAudit(db);
}

}  // namespace huiyin::app
