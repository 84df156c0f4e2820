// Access control (权限): roles, the one table of role → permissions, and the Principal (who is
// acting) with its organisation-scoped grants. Pure: no I/O; app services load a Principal from
// storage and ask it before they act.
//
// Permissions are `module:entity:action` strings shared with the web UI (e.g. "system:user:edit").
// A staff grant is scoped to an organisation and its whole subtree: the grant's scope path
// ("/1/4/") must be a prefix of the target organisation's materialised path ("/1/4/17/").
// Citizen and enterprise grants have no scope (null): they act on their own data only.
//
// Separation of duties (等保 三员分立): system_admin manages organisations, users and roles but
// cannot read the audit log; security_admin manages passwords, lockouts, tokens and may see
// personal identifiers; audit_admin reads and verifies the audit log and manages nobody. A user
// never holds two of the three administrator roles (RolesConflict).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "huiyin/common/time.h"

namespace huiyin::core {

// Every role of DESIGN.md "Who uses it". Names (RoleName) are the snake_case words.
enum class Role {
  kCitizen,       // citizen: files and tracks own cases
  kEnterprise,    // enterprise: the same, for a legal person
  kHotlineAgent,  // hotline_agent (话务员)
  kWindowClerk,   // window_clerk (窗口人员)
  kDispatcher,    // dispatcher (派单员)
  kHandler,       // handler (承办人)
  kDeptHead,      // dept_head (部门负责人)
  kSupervisor,    // supervisor (督办员)
  kLeader,        // leader (市长, 领导小组)
  kApprovalOfficer,  // approval_officer (审批服务管理员): keeps and publishes the service catalogue
  kSystemAdmin,    // system_admin (系统管理员)
  kSecurityAdmin,  // security_admin (安全管理员)
  kAuditAdmin,     // audit_admin (审计管理员)
};

// All roles in declaration order.
std::span<const Role> AllRoles();
// "hotline_agent" for Role::kHotlineAgent.
std::string_view RoleName(Role role);
// The role named `name` (exact snake_case), or nullopt.
std::optional<Role> ParseRole(std::string_view name);
// True for citizen and enterprise: grants without an organisation scope (own data only).
bool IsOwnDataRole(Role role);
// True for system_admin, security_admin and audit_admin.
bool IsAdminRole(Role role);
// True when one user may not hold both roles (two different administrator roles; or a staff role
// together with citizen/enterprise).
bool RolesConflict(Role a, Role b);

// The permissions a role grants, sorted; the single table lives in access.cc.
std::span<const std::string_view> RolePermissions(Role role);
// True when `role` grants `permission`.
bool RoleGrants(Role role, std::string_view permission);
// Every permission any role grants, sorted and unique (for the UI and docs).
std::vector<std::string> AllPermissions();

// True when `scope_path` ("/1/4/") covers `target_path` ("/1/4/17/"): a non-empty prefix.
bool PathCovers(std::string_view scope_path, std::string_view target_path);
// Number of segments of a path: "/1/" → 1, "/1/4/17/" → 3, "" → 0.
int PathDepth(std::string_view path);

// What kind of account acts.
enum class PrincipalKind { kStaff, kCitizen, kEnterprise, kIntegration };
// "staff", "citizen", "enterprise", "integration".
std::string_view PrincipalKindName(PrincipalKind kind);
// The kind named `name`, or nullopt.
std::optional<PrincipalKind> ParsePrincipalKind(std::string_view name);

// One role held by a user, over an organisation subtree (scope_org_id/scope_path) or none.
struct Grant {
  Role role = Role::kCitizen;
  std::optional<int64_t> scope_org_id;  // null for citizen/enterprise
  std::string scope_path;               // "/1/4/" of scope_org_id; "" when null
};

// Who is acting: an authenticated account with its grants. A plain value; thread-compatible.
struct Principal {
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
  PrincipalKind kind = PrincipalKind::kStaff;
  std::optional<int64_t> org_id;  // home organisation (null for citizens, enterprises)
  std::string org_path;           // its path, "" when null
  std::vector<Grant> grants;
  // Huiyin itself (the scheduler taking a workflow's automatic transitions): no grants, and the
  // only principal that may take them.
  bool is_system = false;

  // The scheduler's principal ("system").
  static Principal System() {
    Principal p;
    p.username = "system";
    p.display_name = "系统 Huiyin";
    p.is_system = true;
    return p;
  }

  // True when some grant gives `permission` (anywhere).
  bool HasPermission(std::string_view permission) const;
  // True when some grant gives `permission` with a scope covering `target_org_path`. An empty
  // target (data outside the organisation tree, e.g. a citizen account) is covered only by a grant
  // whose scope is a top-level organisation (the whole city) — see CanOnCityWide.
  bool CanOn(std::string_view permission, std::string_view target_org_path) const;
  // True when some grant gives `permission` over a top-level organisation (depth 1): city-wide.
  bool CanOnCityWide(std::string_view permission) const;
  // True when an own-data grant (citizen/enterprise, null scope) gives `permission` and the data
  // belongs to this principal.
  bool CanOnOwn(std::string_view permission, int64_t owner_user_id) const;
  // Every permission of every grant, sorted and unique (for the UI).
  std::vector<std::string> Permissions() const;
  // The distinct roles held, in Role order.
  std::vector<Role> Roles() const;
  // Comma-separated role names ("handler,dept_head"), as recorded in the audit log.
  std::string RoleList() const;
};

// Facts about the request an operation runs for (recorded in the audit log).
struct RequestMeta {
  std::string remote_addr;  // client address as seen by the server (after trusted proxies)
  std::string request_id;   // correlation id for logs
  Timestamp now{};          // the instant the operation happens (injected for tests)
};

}  // namespace huiyin::core
