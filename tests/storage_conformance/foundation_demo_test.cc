// The demo city loads on every backend, once: a second run changes nothing.
#include <filesystem>
#include <set>

#include "conformance_fixture.h"
#include "foundation_world.h"
#include "huiyin/app/audit.h"
#include "huiyin/app/demo.h"

namespace huiyin::conformance {
namespace {

std::filesystem::path DemoFile() {
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "config" /
         "demo" / "tonghua.json";
}

class FoundationDemo : public StorageTest {
 protected:
  int64_t Count(const char* table) {
    auto n = db().ReadValue<std::optional<int64_t>>(
        [&](storage::Tx& tx) { return tx.QueryInt(std::string("SELECT COUNT(*) FROM ") + table); });
    return n.ok() ? n->value_or(0) : -1;
  }
};

TEST_P(FoundationDemo, LoadsTonghuaOnceWithARandomPasswordPerAccount) {
  app::DemoOptions options;
  options.now = kT0;
  auto first = app::LoadDemo(db(), crypto(), DemoFile(), options);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_FALSE(first->already_loaded);
  EXPECT_EQ(first->regions, 9);
  EXPECT_GE(first->orgs, 40);
  ASSERT_EQ(first->accounts.size(), 16u);
  std::set<std::string> passwords, roles;
  for (const auto& a : first->accounts) {
    passwords.insert(a.password);
    for (const auto& r : a.roles) roles.insert(r.substr(0, r.find('@')));
  }
  EXPECT_EQ(passwords.size(), 16u);  // one random password each
  for (core::Role r : core::AllRoles()) {
    EXPECT_TRUE(roles.count(std::string(core::RoleName(r)))) << core::RoleName(r);
  }

  const int64_t orgs = Count("orgs"), users = Count("users"), audit = Count("audit_log");
  auto second = app::LoadDemo(db(), crypto(), DemoFile(), options);
  ASSERT_TRUE(second.ok()) << second.error().detail;
  EXPECT_TRUE(second->already_loaded);
  EXPECT_TRUE(second->accounts.empty());
  EXPECT_NE(second->message.find("nothing changed"), std::string::npos);
  EXPECT_EQ(Count("orgs"), orgs);
  EXPECT_EQ(Count("users"), users);
  EXPECT_EQ(Count("audit_log"), audit);

  // The printed password signs agent1 in, at the hotline centre.
  app::AccountService accounts(db(), crypto());
  const auto& agent = first->accounts.front();
  ASSERT_EQ(agent.username, "agent1");
  auto login = accounts.Login("agent1", agent.password, MetaAt(kT0));
  ASSERT_TRUE(login.ok()) << login.error().detail;
  EXPECT_EQ(login->principal.RoleList(), "hotline_agent");
  auto report = app::VerifyAudit(db());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->detail;
}

TEST_P(FoundationDemo, TheTreeHasTheSeedsDepartmentsAndTheLeadingGroupByPost) {
  app::DemoOptions options;
  options.now = kT0;
  options.password = "Demo-Tonghua-2026";
  ASSERT_TRUE(app::LoadDemo(db(), crypto(), DemoFile(), options).ok());
  app::OrgService orgs(db());
  auto list = orgs.ListOrgs();
  ASSERT_TRUE(list.ok());
  std::set<std::string> names;
  for (const auto& o : *list) names.insert(o.name);
  for (const char* n : {"通化市人民政府", "市政府办公室", "监察局", "人事局", "法制办", "财政局",
                        "行政审批服务中心", "住房和城乡建设局", "城市管理局", "12345 热线服务中心",
                        "服务型政府机关建设领导小组", "服务型政府机关建设领导小组办公室",
                        "东昌区人民政府", "集安市人民政府", "新站街道"}) {
    EXPECT_TRUE(names.count(n)) << n;
  }
  EXPECT_EQ(list->front().name, "通化市人民政府");
  auto group = orgs.GetOrgByCode("tonghua.lg");
  ASSERT_TRUE(group.ok());
  EXPECT_EQ(group->kind, "leading_group");
  auto posts = orgs.ListPosts(group->id);
  ASSERT_TRUE(posts.ok());
  ASSERT_FALSE(posts->empty());
  EXPECT_EQ(posts->front().title, "组长（市委常委、常务副市长）");
  // Every account signs in with the given password.
  app::AccountService accounts(db(), crypto());
  EXPECT_TRUE(accounts.Login("citizen1", "Demo-Tonghua-2026", MetaAt(kT0)).ok());
  EXPECT_TRUE(accounts.Login("enterprise1", "Demo-Tonghua-2026", MetaAt(kT0)).ok());
  auto sec = accounts.Login("secadmin1", "Demo-Tonghua-2026", MetaAt(kT0));
  ASSERT_TRUE(sec.ok());
  auto citizen = accounts.FindUserByPhone("13804359001");
  ASSERT_TRUE(citizen.ok());
  ASSERT_TRUE(citizen->has_value());
  auto view = accounts.GetUser(sec->principal, **citizen);
  ASSERT_TRUE(view.ok()) << view.error().detail;
  EXPECT_EQ(view->display_name, "张三");
}

TEST_P(FoundationDemo, APasswordBreakingTheRulesIsRefusedBeforeAnythingIsWritten) {
  app::DemoOptions options;
  options.now = kT0;
  options.password = "password";
  auto r = app::LoadDemo(db(), crypto(), DemoFile(), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Count("orgs"), 0);
}

HUIYIN_STORAGE_SUITE(FoundationDemo);

}  // namespace
}  // namespace huiyin::conformance
