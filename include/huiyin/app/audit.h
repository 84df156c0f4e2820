// The audit trail (审计日志): an append-only, hash-chained log of security-relevant actions
// (sign-ins, account and organisation changes, later every case transition), kept at least six
// months (等保 2.0 level 3). A change and its audit row are written in the same transaction.
//
// Chain: rows are numbered seq = 1, 2, 3, … without gaps. Row n stores prev_hash = hash of row n-1
// (64 '0' for row 1) and
//   hash = lower-hex SHA-256( prev_hash ‖ "\n" ‖ canonical )
// where canonical is, in this order, one line per field "name=<bytes>:<value>\n" (the value's
// byte length, a colon, the value; absent optional integers are the empty string):
//   seq, at (UTC ms), actor_id, actor_name, role, org_id, source_addr, action, object_type,
//   object_id, outcome, digest
// (see AuditCanonical). Removing a row leaves a seq gap; altering any field breaks its hash;
// re-hashing an altered row breaks the next row's prev_hash. VerifyAudit finds the first of these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huiyin/app/context.h"
#include "huiyin/common/result.h"
#include "huiyin/common/time.h"
#include "huiyin/storage/database.h"

namespace huiyin::app {

// What happened, by whom, to what. Actions are "area.verb": "auth.login", "auth.login_failed",
// "auth.logout", "account.password_change", "user.create", "user.password_reset", "user.unlock",
// "token.issue", "org.create", "post.create", "demo.load".
struct AuditRecord {
  std::optional<int64_t> actor_id;  // null for anonymous attempts and the system itself
  std::string actor_name;           // user name (or the name tried, for failed sign-ins)
  std::string role;                 // the actor's roles, comma-separated
  std::optional<int64_t> org_id;    // the actor's organisation
  std::string source_addr;          // client address
  std::string action;
  std::string object_type;  // "user", "org", "session", …
  std::string object_id;
  std::string outcome = "ok";  // "ok", "denied", "failed", "locked"
  std::string digest;          // SHA-256 hex of the request body or of a summary of the change
};

// A stored audit row.
struct AuditEntry {
  int64_t seq = 0;
  Timestamp at{};
  AuditRecord record;
  std::string prev_hash;
  std::string hash;
};

// An AuditRecord for `actor` doing `action` on (object_type, object_id) from `meta`.
AuditRecord AuditOf(const Principal& actor, const RequestMeta& meta, std::string action,
                    std::string object_type, std::string object_id);
// The canonical serialisation hashed into the chain (documented above).
std::string AuditCanonical(int64_t seq, Timestamp at, const AuditRecord& record);
// hash = SHA-256 hex of prev_hash + "\n" + canonical.
std::string AuditHash(std::string_view prev_hash, int64_t seq, Timestamp at,
                      const AuditRecord& record);
// prev_hash of the first row: 64 '0'.
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Appends `record` at `now` inside the caller's transaction (so it commits or rolls back with the
// change it records). On PostgreSQL it first takes transaction advisory lock 4243 so concurrent
// servers keep the chain linear; SQLite has a single writer. Returns the new seq.
Result<int64_t> AppendAudit(storage::Tx& tx, const AuditRecord& record, Timestamp now);

// What VerifyAudit found.
enum class AuditProblem { kNone, kGap, kHashMismatch, kPrevHashMismatch };
struct AuditVerifyReport {
  int64_t rows_checked = 0;
  int64_t last_seq = 0;  // seq of the last row read
  bool ok = true;
  AuditProblem problem = AuditProblem::kNone;
  int64_t broken_seq = 0;  // the first row found wrong (for a gap: the first missing seq)
  std::string detail;      // e.g. "row 7 was altered: its hash does not match its content"
};
// Walks the whole chain in seq order, reading 1000 rows at a time (memory stays bounded), and
// stops at the first broken link. Read-only.
Result<AuditVerifyReport> VerifyAudit(storage::Database& db);

// Which rows ListAudit returns: all conditions optional; newest first unless after_seq is given.
struct AuditFilter {
  std::optional<Timestamp> from;  // at >= from
  std::optional<Timestamp> to;    // at < to
  std::optional<int64_t> actor_id;
  std::string action;                 // exact action, or a prefix ending in '.' ("auth.")
  std::optional<int64_t> before_seq;  // cursor: rows with seq < before_seq (newest first)
  std::optional<int64_t> after_seq;   // cursor: rows with seq > after_seq (oldest first)
  int limit = 100;                    // 1..1000
};
// The matching rows; kForbidden unless `actor` has audit:log:list (audit_admin only).
Result<std::vector<AuditEntry>> ListAudit(storage::Database& db, const Principal& actor,
                                          const AuditFilter& filter);
// VerifyAudit for an actor: kForbidden unless it has audit:log:verify.
Result<AuditVerifyReport> VerifyAuditAs(storage::Database& db, const Principal& actor);

}  // namespace huiyin::app
