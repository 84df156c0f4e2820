#include "huiyin/core/access.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace huiyin::core {
namespace {

// The demo city's tree: 通化市人民政府 /1/, 住房和城乡建设局 /1/4/, 城市管理局 /1/5/,
// 东昌区人民政府 /1/20/ with its 城市管理局 /1/20/21/.
constexpr std::string_view kCity = "/1/";
constexpr std::string_view kZhujian = "/1/4/";
constexpr std::string_view kChengguan = "/1/5/";
constexpr std::string_view kDongchang = "/1/20/";
constexpr std::string_view kDongchangChengguan = "/1/20/21/";

Principal Staff(Role role, int64_t org, std::string_view path) {
  Principal p;
  p.user_id = 7;
  p.username = "u";
  p.kind = PrincipalKind::kStaff;
  p.org_id = org;
  p.org_path = std::string(path);
  p.grants.push_back(Grant{role, org, std::string(path)});
  return p;
}

Principal Citizen(int64_t id) {
  Principal p;
  p.user_id = id;
  p.kind = PrincipalKind::kCitizen;
  p.grants.push_back(Grant{Role::kCitizen, std::nullopt, ""});
  return p;
}

TEST(Roles, NamesRoundTrip) {
  for (Role r : AllRoles()) {
    auto parsed = ParseRole(RoleName(r));
    ASSERT_TRUE(parsed.has_value()) << RoleName(r);
    EXPECT_EQ(*parsed, r);
  }
  EXPECT_EQ(RoleName(Role::kHotlineAgent), "hotline_agent");
  EXPECT_EQ(RoleName(Role::kDeptHead), "dept_head");
  EXPECT_FALSE(ParseRole("root").has_value());
  EXPECT_FALSE(ParseRole("Handler").has_value());
}

TEST(Roles, EveryPermissionIsModuleEntityAction) {
  for (const auto& p : AllPermissions()) {
    EXPECT_EQ(std::count(p.begin(), p.end(), ':'), 2) << p;
  }
}

TEST(Access, AHandlerOfZhujianCannotActOnChengguansData) {
  Principal handler = Staff(Role::kHandler, 4, kZhujian);
  EXPECT_TRUE(handler.CanOn("hotline:case:handle", kZhujian));
  EXPECT_TRUE(handler.CanOn("hotline:case:handle", "/1/4/30/"));  // its own section
  EXPECT_FALSE(handler.CanOn("hotline:case:handle", kChengguan));
  EXPECT_FALSE(handler.CanOn("hotline:case:handle", kCity));  // not upwards either
}

TEST(Access, PathPrefixMatchesWholeSegmentsOnly) {
  // '/1/4/' must not cover '/1/40/'.
  Principal handler = Staff(Role::kHandler, 4, kZhujian);
  EXPECT_FALSE(handler.CanOn("hotline:case:handle", "/1/40/"));
  EXPECT_FALSE(PathCovers("", "/1/"));
  EXPECT_FALSE(PathCovers("/1", "/1/4/"));
}

TEST(Access, AHandlerCannotApproveButItsHeadCan) {
  EXPECT_FALSE(Staff(Role::kHandler, 4, kZhujian).HasPermission("hotline:case:approve"));
  EXPECT_TRUE(Staff(Role::kDeptHead, 4, kZhujian).CanOn("hotline:case:approve", kZhujian));
}

TEST(Access, TheCitySystemAdminManagesEveryDistrictsOrganisations) {
  Principal admin = Staff(Role::kSystemAdmin, 1, kCity);
  EXPECT_TRUE(admin.CanOn("system:org:edit", kDongchangChengguan));
  EXPECT_TRUE(admin.CanOn("system:user:edit", kZhujian));
  EXPECT_TRUE(admin.CanOnCityWide("system:user:edit"));
  EXPECT_TRUE(admin.CanOn("system:user:edit", ""));  // citizens: city-wide grants only
}

TEST(Access, ADistrictAdminStaysInItsDistrict) {
  Principal admin = Staff(Role::kSystemAdmin, 20, kDongchang);
  EXPECT_TRUE(admin.CanOn("system:user:edit", kDongchangChengguan));
  EXPECT_FALSE(admin.CanOn("system:user:edit", kZhujian));
  EXPECT_FALSE(admin.CanOnCityWide("system:user:edit"));
  EXPECT_FALSE(admin.CanOn("system:user:edit", ""));
}

TEST(SeparationOfDuties, TheSystemAdminCannotReadTheAuditLog) {
  Principal admin = Staff(Role::kSystemAdmin, 1, kCity);
  EXPECT_FALSE(admin.HasPermission("audit:log:list"));
  EXPECT_FALSE(admin.HasPermission("audit:log:verify"));
  EXPECT_FALSE(admin.HasPermission("system:user:reset_password"));
  EXPECT_FALSE(admin.HasPermission("system:user:view_pii"));
}

TEST(SeparationOfDuties, TheAuditAdminReadsTheLogButManagesNobody) {
  Principal auditor = Staff(Role::kAuditAdmin, 1, kCity);
  EXPECT_TRUE(auditor.CanOn("audit:log:list", kCity));
  EXPECT_TRUE(auditor.HasPermission("audit:log:verify"));
  EXPECT_FALSE(auditor.HasPermission("system:user:edit"));
  EXPECT_FALSE(auditor.HasPermission("system:user:reset_password"));
  EXPECT_FALSE(auditor.HasPermission("system:org:edit"));
}

TEST(SeparationOfDuties, TheSecurityAdminResetsPasswordsButCannotCreateUsers) {
  Principal sec = Staff(Role::kSecurityAdmin, 1, kCity);
  EXPECT_TRUE(sec.CanOn("system:user:reset_password", kZhujian));
  EXPECT_TRUE(sec.HasPermission("system:user:unlock"));
  EXPECT_TRUE(sec.HasPermission("system:token:issue"));
  EXPECT_FALSE(sec.HasPermission("system:user:edit"));
  EXPECT_FALSE(sec.HasPermission("audit:log:list"));
}

TEST(SeparationOfDuties, NoOneHoldsTwoAdministratorRoles) {
  EXPECT_TRUE(RolesConflict(Role::kSystemAdmin, Role::kAuditAdmin));
  EXPECT_TRUE(RolesConflict(Role::kSecurityAdmin, Role::kSystemAdmin));
  EXPECT_TRUE(RolesConflict(Role::kCitizen, Role::kHandler));
  EXPECT_FALSE(RolesConflict(Role::kHandler, Role::kDeptHead));
  EXPECT_FALSE(RolesConflict(Role::kSystemAdmin, Role::kSystemAdmin));
}

TEST(Access, KnowledgeEditorsStayInTheirSubtreeAndDispatchersEditTheCatalogue) {
  // Issue 4: a 住建局 handler maintains 住建局's articles, not 城管局's (/1/5/).
  Principal handler = Staff(Role::kHandler, 4, kZhujian);
  EXPECT_TRUE(handler.CanOn("knowledge:article:edit", "/1/4/17/"));
  EXPECT_FALSE(handler.CanOn("knowledge:article:edit", kChengguan));
  EXPECT_TRUE(Staff(Role::kHotlineAgent, 1, kCity).CanOn("knowledge:article:edit", kChengguan));
  EXPECT_TRUE(Staff(Role::kDispatcher, 1, kCity).CanOnCityWide("dispatch:rule:edit"));
  EXPECT_TRUE(Staff(Role::kSystemAdmin, 1, kCity).CanOnCityWide("dispatch:rule:edit"));
  EXPECT_FALSE(handler.HasPermission("dispatch:rule:edit"));
  EXPECT_FALSE(Citizen(42).HasPermission("knowledge:article:edit"));
}

TEST(Access, ACitizenActsOnlyOnOwnData) {
  Principal c = Citizen(42);
  EXPECT_TRUE(c.CanOnOwn("hotline:case:create_own", 42));
  EXPECT_FALSE(c.CanOnOwn("hotline:case:create_own", 43));
  EXPECT_FALSE(c.CanOn("hotline:case:view", kZhujian));
  EXPECT_FALSE(c.CanOn("hotline:case:create_own", ""));  // no scope is not city-wide
  // A staff member is not a citizen of their own cases.
  EXPECT_FALSE(Staff(Role::kHandler, 4, kZhujian).CanOnOwn("hotline:case:create_own", 7));
}

TEST(Access, PermissionsAreTheSortedUnionOfAllGrants) {
  Principal p = Staff(Role::kHandler, 4, kZhujian);
  p.grants.push_back(Grant{Role::kDeptHead, 4, std::string(kZhujian)});
  auto perms = p.Permissions();
  EXPECT_TRUE(std::is_sorted(perms.begin(), perms.end()));
  EXPECT_EQ(std::adjacent_find(perms.begin(), perms.end()), perms.end());
  EXPECT_NE(std::find(perms.begin(), perms.end(), "hotline:case:approve"), perms.end());
  EXPECT_EQ(p.RoleList(), "handler,dept_head");
}

TEST(Access, PathDepthCountsSegments) {
  EXPECT_EQ(PathDepth("/1/"), 1);
  EXPECT_EQ(PathDepth("/1/4/17/"), 3);
  EXPECT_EQ(PathDepth(""), 0);
}

TEST(PrincipalKinds, NamesRoundTrip) {
  for (auto k : {PrincipalKind::kStaff, PrincipalKind::kCitizen, PrincipalKind::kEnterprise,
                 PrincipalKind::kIntegration}) {
    EXPECT_EQ(ParsePrincipalKind(PrincipalKindName(k)), k);
  }
}

}  // namespace
}  // namespace huiyin::core
