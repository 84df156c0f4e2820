// The hash-chained audit log on every backend: appends inside the caller's transaction, verify
// finds altered and removed rows, and only the audit admin reads it.
#include <atomic>
#include <thread>
#include <vector>

#include "conformance_fixture.h"
#include "foundation_world.h"
#include "huiyin/app/audit.h"

namespace huiyin::conformance {
namespace {

class FoundationAudit : public StorageTest {
 protected:
  // Appends `n` records "test.event" with object ids 1..n, one transaction each.
  void Append(int n, Timestamp at = kT0) {
    for (int i = 1; i <= n; ++i) {
      app::AuditRecord r;
      r.actor_id = 42;
      r.actor_name = "zjhandler";
      r.role = "handler";
      r.org_id = 4;
      r.source_addr = "203.0.113.7";
      r.action = i % 2 ? "auth.login" : "case.sign_for";
      r.object_type = "case";
      r.object_id = std::to_string(i);
      r.digest = app::Crypto::Sha256Hex("body " + std::to_string(i));
      Status s = db().Write([&](storage::Tx& tx) -> Status {
        HUIYIN_TRY(app::AppendAudit(tx, r, at + std::chrono::seconds(i)));
        return Status::Ok();
      });
      ASSERT_TRUE(s.ok()) << s.error().detail;
    }
  }
  void Exec(const std::string& sql) {
    Status s = db().Write([&](storage::Tx& tx) -> Status {
      HUIYIN_TRY(tx.Exec(sql));
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.error().detail;
  }
  static app::Principal As(app::Role role) {
    app::Principal p;
    p.user_id = 1;
    p.username = std::string(core::RoleName(role));
    p.grants.push_back(app::Grant{role, 1, "/1/"});
    return p;
  }
};

TEST_P(FoundationAudit, AnEmptyLogVerifies) {
  auto report = app::VerifyAudit(db());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->rows_checked, 0);
}

TEST_P(FoundationAudit, AppendsFormAContiguousChainThatVerifies) {
  Append(10);
  auto rows = app::ListAudit(db(), As(app::Role::kAuditAdmin), {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 10u);
  EXPECT_EQ(rows->front().seq, 10);  // newest first
  EXPECT_EQ(rows->back().seq, 1);
  EXPECT_EQ(rows->back().prev_hash, app::kAuditGenesisHash);
  EXPECT_EQ((*rows)[0].prev_hash, (*rows)[1].hash);
  EXPECT_EQ(rows->back().record.actor_id.value_or(0), 42);
  auto report = app::VerifyAudit(db());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->detail;
  EXPECT_EQ(report->rows_checked, 10);
}

TEST_P(FoundationAudit, VerifyWalksMoreThanOneBatch) {
  Append(1203);
  auto report = app::VerifyAudit(db());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->detail;
  EXPECT_EQ(report->rows_checked, 1203);
}

TEST_P(FoundationAudit, AnAlteredRowIsReportedBySeq) {
  Append(10);
  Exec("UPDATE audit_log SET action = 'auth.logout' WHERE seq = 6");
  auto report = app::VerifyAudit(db());
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->problem, app::AuditProblem::kHashMismatch);
  EXPECT_EQ(report->broken_seq, 6);
  EXPECT_EQ(report->rows_checked, 6);
  EXPECT_NE(report->detail.find("row 6 was altered"), std::string::npos);
}

TEST_P(FoundationAudit, ARemovedMiddleRowIsReportedAsAGap) {
  Append(10);
  Exec("DELETE FROM audit_log WHERE seq = 4");
  auto report = app::VerifyAudit(db());
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->problem, app::AuditProblem::kGap);
  EXPECT_EQ(report->broken_seq, 4);
  EXPECT_NE(report->detail.find("row 4 is missing"), std::string::npos);
}

TEST_P(FoundationAudit, AnAlteredAndRehashedRowBreaksTheNextLink) {
  Append(5);
  // A forger who recomputes row 3's own hash still breaks row 4's prev_hash.
  auto rows = app::ListAudit(db(), As(app::Role::kAuditAdmin), {});
  ASSERT_TRUE(rows.ok());
  app::AuditEntry third = (*rows)[2];
  ASSERT_EQ(third.seq, 3);
  third.record.actor_name = "someone-else";
  std::string forged = app::AuditHash(third.prev_hash, 3, third.at, third.record);
  Status s = db().Write([&](storage::Tx& tx) -> Status {
    HUIYIN_TRY(tx.Exec("UPDATE audit_log SET actor_name = ?, hash = ? WHERE seq = 3",
                       {third.record.actor_name, forged}));
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok());
  auto report = app::VerifyAudit(db());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->problem, app::AuditProblem::kPrevHashMismatch);
  EXPECT_EQ(report->broken_seq, 4);
}

TEST_P(FoundationAudit, AFailedChangeLeavesNoAuditRow) {
  Status s = db().Write([&](storage::Tx& tx) -> Status {
    app::AuditRecord r;
    r.action = "org.create";
    HUIYIN_TRY(app::AppendAudit(tx, r, kT0));
    return MakeError(ErrorCode::kConflict, "the change itself failed");
  });
  ASSERT_FALSE(s.ok());
  auto rows = app::ListAudit(db(), As(app::Role::kAuditAdmin), {});
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
}

TEST_P(FoundationAudit, ConcurrentAppendsStayLinear) {
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        app::AuditRecord r;
        r.action = "test.concurrent";
        r.object_id = std::to_string(t) + "/" + std::to_string(i);
        Status s = db().Write([&](storage::Tx& tx) -> Status {
          HUIYIN_TRY(app::AppendAudit(tx, r, kT0));
          return Status::Ok();
        });
        if (!s.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto report = app::VerifyAudit(db());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->detail;
  EXPECT_EQ(report->rows_checked, kThreads * kEach);
}

TEST_P(FoundationAudit, OnlyTheAuditAdminReadsAndVerifies) {
  Append(3);
  EXPECT_EQ(app::ListAudit(db(), As(app::Role::kSystemAdmin), {}).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(app::ListAudit(db(), As(app::Role::kSecurityAdmin), {}).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(app::VerifyAuditAs(db(), As(app::Role::kSystemAdmin)).error().code,
            ErrorCode::kForbidden);
  EXPECT_TRUE(app::VerifyAuditAs(db(), As(app::Role::kAuditAdmin)).ok());
}

TEST_P(FoundationAudit, FiltersByTimeActorActionAndCursor) {
  Append(10);
  app::Principal auditor = As(app::Role::kAuditAdmin);
  app::AuditFilter f;
  f.action = "auth.";  // prefix
  auto logins = app::ListAudit(db(), auditor, f);
  ASSERT_TRUE(logins.ok());
  EXPECT_EQ(logins->size(), 5u);
  f.action = "case.sign_for";
  EXPECT_EQ(app::ListAudit(db(), auditor, f)->size(), 5u);
  f = {};
  f.from = kT0 + std::chrono::seconds(3);
  f.to = kT0 + std::chrono::seconds(6);
  auto window = app::ListAudit(db(), auditor, f);
  ASSERT_TRUE(window.ok());
  ASSERT_EQ(window->size(), 3u);  // seq 3, 4, 5
  EXPECT_EQ(window->front().seq, 5);
  f = {};
  f.actor_id = 43;
  EXPECT_TRUE(app::ListAudit(db(), auditor, f)->empty());
  f = {};
  f.after_seq = 7;
  f.limit = 2;
  auto page = app::ListAudit(db(), auditor, f);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].seq, 8);
  EXPECT_EQ((*page)[1].seq, 9);
  f = {};
  f.before_seq = 3;
  auto older = app::ListAudit(db(), auditor, f);
  ASSERT_EQ(older->size(), 2u);
  EXPECT_EQ((*older)[0].seq, 2);
}

HUIYIN_STORAGE_SUITE(FoundationAudit);

}  // namespace
}  // namespace huiyin::conformance
