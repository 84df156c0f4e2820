#include "huiyin/core/access.h"

#include <algorithm>
#include <array>
#include <set>

namespace huiyin::core {
namespace {

struct RoleRow {
  Role role;
  std::string_view name;
  std::vector<std::string_view> permissions;  // sorted at first use
};

// THE permission table: one row per role. Keep each list alphabetical.
std::vector<RoleRow> BuildTable() {
  std::vector<RoleRow> t = {
      {Role::kCitizen,
       "citizen",
       {"account:self:edit", "hotline:case:create_own", "hotline:case:rate_own",
        "hotline:case:view_own"}},
      {Role::kEnterprise,
       "enterprise",
       {"account:self:edit", "hotline:case:create_own", "hotline:case:rate_own",
        "hotline:case:view_own"}},
      {Role::kHotlineAgent,
       "hotline_agent",
       {"account:self:edit", "hotline:case:intake", "hotline:case:view", "knowledge:article:edit",
        "system:org:list"}},
      {Role::kWindowClerk,
       "window_clerk",
       {"account:self:edit", "hotline:case:intake", "hotline:case:view", "system:org:list"}},
      {Role::kDispatcher,
       "dispatcher",
       {"account:self:edit", "dispatch:rule:edit", "hotline:case:dispatch", "hotline:case:intake",
        "hotline:case:view", "knowledge:article:edit", "system:org:list"}},
      {Role::kHandler,
       "handler",
       {"account:self:edit", "hotline:case:handle", "hotline:case:view", "knowledge:article:edit",
        "system:org:list"}},
      {Role::kDeptHead,
       "dept_head",
       {"account:self:edit", "catalogue:item:edit", "dashboard:indicator:view",
        "hotline:case:approve", "hotline:case:handle", "hotline:case:view",
        "knowledge:article:edit", "system:org:list", "system:user:list"}},
      {Role::kSupervisor,
       "supervisor",
       {"account:self:edit", "dashboard:indicator:view", "hotline:case:supervise",
        "hotline:case:view", "system:org:list"}},
      {Role::kLeader,
       "leader",
       {"account:self:edit", "dashboard:indicator:view", "hotline:case:instruct",
        "hotline:case:view", "system:org:list"}},
      {Role::kApprovalOfficer,
       "approval_officer",
       {"account:self:edit", "catalogue:item:edit", "catalogue:item:publish", "system:org:list"}},
      {Role::kSystemAdmin,
       "system_admin",
       {"account:self:edit", "calendar:day:edit", "dispatch:rule:edit", "system:org:edit",
        "system:org:list", "system:user:edit", "system:user:list"}},
      {Role::kSecurityAdmin,
       "security_admin",
       {"account:self:edit", "system:org:list", "system:session:revoke", "system:token:issue",
        "system:user:list", "system:user:reset_password", "system:user:unlock",
        "system:user:view_pii"}},
      {Role::kAuditAdmin,
       "audit_admin",
       {"account:self:edit", "audit:log:list", "audit:log:verify", "system:org:list"}},
  };
  for (auto& row : t) std::sort(row.permissions.begin(), row.permissions.end());
  return t;
}

const std::vector<RoleRow>& Table() {
  static const std::vector<RoleRow> table = BuildTable();
  return table;
}

const RoleRow& RowOf(Role role) {
  return Table()[static_cast<size_t>(role)];
}

constexpr std::array<Role, 13> kAllRoles = {
    Role::kCitizen,    Role::kEnterprise,      Role::kHotlineAgent, Role::kWindowClerk,
    Role::kDispatcher, Role::kHandler,         Role::kDeptHead,     Role::kSupervisor,
    Role::kLeader,     Role::kApprovalOfficer, Role::kSystemAdmin,  Role::kSecurityAdmin,
    Role::kAuditAdmin};

}  // namespace

std::span<const Role> AllRoles() {
  return kAllRoles;
}

std::string_view RoleName(Role role) {
  return RowOf(role).name;
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& row : Table()) {
    if (row.name == name) return row.role;
  }
  return std::nullopt;
}

bool IsOwnDataRole(Role role) {
  return role == Role::kCitizen || role == Role::kEnterprise;
}

bool IsAdminRole(Role role) {
  return role == Role::kSystemAdmin || role == Role::kSecurityAdmin || role == Role::kAuditAdmin;
}

bool RolesConflict(Role a, Role b) {
  if (a == b) return false;
  if (IsAdminRole(a) && IsAdminRole(b)) return true;
  return IsOwnDataRole(a) != IsOwnDataRole(b);
}

std::span<const std::string_view> RolePermissions(Role role) {
  return RowOf(role).permissions;
}

bool RoleGrants(Role role, std::string_view permission) {
  const auto& perms = RowOf(role).permissions;
  return std::binary_search(perms.begin(), perms.end(), permission);
}

std::vector<std::string> AllPermissions() {
  std::set<std::string_view> all;
  for (const auto& row : Table()) all.insert(row.permissions.begin(), row.permissions.end());
  return {all.begin(), all.end()};
}

bool PathCovers(std::string_view scope_path, std::string_view target_path) {
  return !scope_path.empty() && scope_path.back() == '/' && target_path.starts_with(scope_path);
}

int PathDepth(std::string_view path) {
  int n = static_cast<int>(std::count(path.begin(), path.end(), '/'));
  return n > 0 ? n - 1 : 0;
}

std::string_view PrincipalKindName(PrincipalKind kind) {
  switch (kind) {
    case PrincipalKind::kStaff:
      return "staff";
    case PrincipalKind::kCitizen:
      return "citizen";
    case PrincipalKind::kEnterprise:
      return "enterprise";
    case PrincipalKind::kIntegration:
      return "integration";
  }
  return "staff";
}

std::optional<PrincipalKind> ParsePrincipalKind(std::string_view name) {
  for (auto k : {PrincipalKind::kStaff, PrincipalKind::kCitizen, PrincipalKind::kEnterprise,
                 PrincipalKind::kIntegration}) {
    if (PrincipalKindName(k) == name) return k;
  }
  return std::nullopt;
}

bool Principal::HasPermission(std::string_view permission) const {
  return std::any_of(grants.begin(), grants.end(),
                     [&](const Grant& g) { return RoleGrants(g.role, permission); });
}

bool Principal::CanOn(std::string_view permission, std::string_view target_org_path) const {
  if (target_org_path.empty()) return CanOnCityWide(permission);
  return std::any_of(grants.begin(), grants.end(), [&](const Grant& g) {
    return g.scope_org_id && PathCovers(g.scope_path, target_org_path) &&
           RoleGrants(g.role, permission);
  });
}

bool Principal::CanOnCityWide(std::string_view permission) const {
  return std::any_of(grants.begin(), grants.end(), [&](const Grant& g) {
    return g.scope_org_id && PathDepth(g.scope_path) == 1 && RoleGrants(g.role, permission);
  });
}

bool Principal::CanOnOwn(std::string_view permission, int64_t owner_user_id) const {
  if (owner_user_id != user_id) return false;
  return std::any_of(grants.begin(), grants.end(), [&](const Grant& g) {
    return !g.scope_org_id && IsOwnDataRole(g.role) && RoleGrants(g.role, permission);
  });
}

std::vector<std::string> Principal::Permissions() const {
  std::set<std::string_view> all;
  for (const auto& g : grants) {
    auto perms = RolePermissions(g.role);
    all.insert(perms.begin(), perms.end());
  }
  return {all.begin(), all.end()};
}

std::vector<Role> Principal::Roles() const {
  std::vector<Role> out;
  for (Role r : AllRoles()) {
    if (std::any_of(grants.begin(), grants.end(), [&](const Grant& g) { return g.role == r; })) {
      out.push_back(r);
    }
  }
  return out;
}

std::string Principal::RoleList() const {
  std::string out;
  for (Role r : Roles()) {
    if (!out.empty()) out += ',';
    out += RoleName(r);
  }
  return out;
}

}  // namespace huiyin::core
