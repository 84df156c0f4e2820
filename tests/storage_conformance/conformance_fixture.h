// The storage conformance fixture: every TEST_P of a suite derived from StorageTest runs on
// "memory" (sqlite::memory:), "sqlite" (a temporary file) and "postgres" (only when
// HUIYIN_TEST_PG_URL is set, e.g. postgresql://huiyin@127.0.0.1:5433/huiyin_test; otherwise
// skipped with a message). Each test gets a fresh, migrated database: on PostgreSQL a private
// schema (search_path) that TearDown drops, so test binaries may share one server.
//
// Use:   class MySuite : public huiyin::conformance::StorageTest {};
//        TEST_P(MySuite, Something) { db(); ... }
//        HUIYIN_STORAGE_SUITE(MySuite);
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "huiyin/app/crypto.h"
#include "huiyin/storage/database.h"

namespace huiyin::conformance {

class StorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string backend = GetParam();
    if (backend == "memory") {
      url_ = "sqlite::memory:";
    } else if (backend == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() /
             ("huiyin-conformance-" + app::Crypto::RandomToken(6));
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "test.db").string();
    } else {
      const char* pg = std::getenv("HUIYIN_TEST_PG_URL");
      if (pg == nullptr || *pg == '\0') {
        GTEST_SKIP() << "PostgreSQL backend skipped: set HUIYIN_TEST_PG_URL (scripts/test.sh does)";
      }
      base_url_ = pg;
      schema_ = "hy_test_" + LowerAlnum(app::Crypto::RandomToken(9));
      auto admin = storage::OpenDatabase(base_url_, {});
      ASSERT_TRUE(admin.ok()) << admin.error().detail;
      Status s = (*admin)->Write(
          [&](storage::Tx& tx) -> Status { return tx.ExecScript("CREATE SCHEMA " + schema_); });
      ASSERT_TRUE(s.ok()) << s.error().detail;
      (*admin)->Close();
      url_ = base_url_ + (base_url_.find('?') == std::string::npos ? "?" : "&") +
             "options=-csearch_path%3D" + schema_;
    }
    auto db = storage::OpenDatabase(url_, {});
    ASSERT_TRUE(db.ok()) << db.error().detail;
    db_ = std::move(db).value();
    auto m = storage::Migrate(*db_);
    ASSERT_TRUE(m.ok()) << m.error().detail;
    crypto_ = std::make_unique<app::Crypto>(
        app::Crypto::FromKey(std::string(32, 'm'), app::CryptoOptions::ForTests()).value());
  }

  void TearDown() override {
    if (db_) db_->Close();
    db_.reset();
    if (!schema_.empty()) {
      auto admin = storage::OpenDatabase(base_url_, {});
      if (admin.ok()) {
        (void)(*admin)->Write([&](storage::Tx& tx) -> Status {
          return tx.ExecScript("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
        });
        (*admin)->Close();
      }
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  storage::Database& db() { return *db_; }
  const app::Crypto& crypto() { return *crypto_; }
  bool is_postgres() const { return GetParam() == "postgres"; }
  // Another connection set to the same database (not for "memory", which is private).
  Result<std::unique_ptr<storage::Database>> OpenAgain() { return storage::OpenDatabase(url_, {}); }

 private:
  static std::string LowerAlnum(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
    }
    return out;
  }

  std::string url_;
  std::string base_url_;
  std::string schema_;
  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<app::Crypto> crypto_;
};

inline std::string BackendName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace huiyin::conformance

// Runs every TEST_P of `suite` on the three backends.
#define HUIYIN_STORAGE_SUITE(suite)                                                            \
  INSTANTIATE_TEST_SUITE_P(Backends, suite, ::testing::Values("memory", "sqlite", "postgres"), \
                           ::huiyin::conformance::BackendName)
