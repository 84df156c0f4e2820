#include "huiyin/common/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace huiyin {
namespace {

std::string WriteTemp(const std::string& text) {
  std::string path = ::testing::TempDir() + "huiyin_config_test.toml";
  std::ofstream(path) << text;
  return path;
}

TEST(Config, DefaultsServeTheDemoCityOnSqlite) {
  auto c = LoadConfig("", {}, {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->server.port, 8080);
  EXPECT_EQ(c->database.url, "sqlite:var/huiyin.db");
}

TEST(Config, FileThenEnvironmentThenFlagsOverride) {
  std::string path = WriteTemp("[server]\nport = 9000\nworkers = 4\n[database]\nreaders = 2\n");
  auto c = LoadConfig(path, {{"HUIYIN_SERVER_PORT", "9100"}}, {{"server.workers", "8"}});
  ASSERT_TRUE(c.ok()) << c.error().detail;
  EXPECT_EQ(c->server.port, 9100);    // environment beats file
  EXPECT_EQ(c->server.workers, 8);    // flag beats file
  EXPECT_EQ(c->database.readers, 2);  // file beats default
}

TEST(Config, BadValueNamesKeyValueOriginAndWhatIsAllowed) {
  auto c = LoadConfig("", {{"HUIYIN_SERVER_PORT", "80000"}}, {});
  ASSERT_FALSE(c.ok());
  const std::string& d = c.error().detail;
  EXPECT_NE(d.find("server.port"), std::string::npos);
  EXPECT_NE(d.find("80000"), std::string::npos);
  EXPECT_NE(d.find("HUIYIN_SERVER_PORT"), std::string::npos);
  EXPECT_NE(d.find("0 to 65535"), std::string::npos);
}

TEST(Config, UnknownKeyInFileIsRefused) {
  std::string path = WriteTemp("[server]\nprot = 9000\n");
  auto c = LoadConfig(path, {}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().detail.find("server.prot"), std::string::npos);
}

TEST(Config, ChoicesAreChecked) {
  auto c = LoadConfig("", {}, {{"database.synchronous", "sometimes"}});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().detail.find("one of full, normal"), std::string::npos);
}

TEST(Config, DatabaseUrlSchemeIsChecked) {
  auto c = LoadConfig("", {}, {{"database.url", "mysql://x"}});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().detail.find("database.url"), std::string::npos);
}

TEST(Config, TomlSyntaxErrorNamesTheLine) {
  std::string path = WriteTemp("[server]\nport = = 1\n");
  auto c = LoadConfig(path, {}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().detail.find("line 2"), std::string::npos);
}

}  // namespace
}  // namespace huiyin
