// Storage behaviour every backend must share: migrations, constraint errors, atomic units of work,
// concurrent writers, read-your-writes.
#include <atomic>
#include <thread>
#include <vector>

#include "conformance_fixture.h"

namespace huiyin::conformance {
namespace {

class FoundationStorage : public StorageTest {};

TEST_P(FoundationStorage, MigrationsAreRecordedAndIdempotent) {
  auto v = storage::SchemaVersion(db());
  ASSERT_TRUE(v.ok());
  EXPECT_GE(v->current, 1);
  EXPECT_EQ(v->current, v->latest);
  auto again = storage::Migrate(db());
  ASSERT_TRUE(again.ok()) << again.error().detail;
  EXPECT_EQ(again->applied, 0);
  auto count = db().ReadValue<std::optional<int64_t>>(
      [](storage::Tx& tx) { return tx.QueryInt("SELECT COUNT(*) FROM schema_migrations"); });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->value_or(0), v->latest);
}

TEST_P(FoundationStorage, ADatabaseFromANewerBinaryIsRefused) {
  ASSERT_TRUE(db().Write([](storage::Tx& tx) -> Status {
                    HUIYIN_TRY(
                        tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) "
                                "VALUES (9999, 'from_the_future', 0)"));
                    return Status::Ok();
                  })
                  .ok());
  auto m = storage::Migrate(db());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kSchemaTooNew);
}

TEST_P(FoundationStorage, AUniqueViolationIsAConflict) {
  auto insert = [&] {
    return db().Write([](storage::Tx& tx) -> Status {
      HUIYIN_TRY(tx.Exec("INSERT INTO settings (key, value) VALUES ('k', 'v')"));
      return Status::Ok();
    });
  };
  ASSERT_TRUE(insert().ok());
  Status second = insert();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
}

TEST_P(FoundationStorage, AFailingUnitOfWorkLeavesNothingBehind) {
  Status s = db().Write([](storage::Tx& tx) -> Status {
    HUIYIN_TRY(tx.Exec("INSERT INTO settings (key, value) VALUES ('a', '1')"));
    return MakeError(ErrorCode::kInvalidArgument, "changed my mind");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  auto n = db().ReadValue<std::optional<int64_t>>(
      [](storage::Tx& tx) { return tx.QueryInt("SELECT COUNT(*) FROM settings"); });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->value_or(-1), 0);
}

TEST_P(FoundationStorage, EightThreadsTimesFiftyWritesAllCommit) {
  constexpr int kThreads = 8;
  constexpr int kWrites = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        std::string key = "t" + std::to_string(t) + "-" + std::to_string(i);
        Status s = db().Write([&](storage::Tx& tx) -> Status {
          HUIYIN_TRY(tx.Exec("INSERT INTO settings (key, value) VALUES (?, ?)", {key, key}));
          return Status::Ok();
        });
        if (!s.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto n = db().ReadValue<std::optional<int64_t>>(
      [](storage::Tx& tx) { return tx.QueryInt("SELECT COUNT(*) FROM settings"); });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->value_or(0), kThreads * kWrites);
}

TEST_P(FoundationStorage, AReadSeesCommittedWrites) {
  ASSERT_TRUE(db().Write([](storage::Tx& tx) -> Status {
                    HUIYIN_TRY(tx.Exec("INSERT INTO settings (key, value) VALUES (?, ?)",
                                       {"city", "通化市"}));
                    return Status::Ok();
                  })
                  .ok());
  auto v = db().ReadValue<std::optional<std::string>>([](storage::Tx& tx) {
    return tx.QueryText("SELECT value FROM settings WHERE key = ?", {"city"});
  });
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->value_or(""), "通化市");
  if (GetParam() != "memory") {  // and another connection set sees it too
    auto other = OpenAgain();
    ASSERT_TRUE(other.ok());
    auto w = (*other)->ReadValue<std::optional<std::string>>([](storage::Tx& tx) {
      return tx.QueryText("SELECT value FROM settings WHERE key = ?", {"city"});
    });
    ASSERT_TRUE(w.ok());
    EXPECT_EQ(w->value_or(""), "通化市");
    (*other)->Close();
  }
}

HUIYIN_STORAGE_SUITE(FoundationStorage);

}  // namespace
}  // namespace huiyin::conformance
