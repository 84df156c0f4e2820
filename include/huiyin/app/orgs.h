// Regions (行政区划, GB/T 2260), organisations (机构: governments, departments, utilities, the
// leading group and its office, townships) and posts (岗位). Organisations form a tree; each row
// keeps its materialised path ("/1/4/17/": ancestors and self) so a role scoped to an organisation
// covers its whole subtree with one prefix test (core::PathCovers).
//
// Reading is public information (the portal shows the tree), so the list and get calls take no
// principal. Creating needs system:org:edit over the parent's subtree and is audited in the same
// transaction. OrgService is thread-safe (it holds only the Database reference).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "huiyin/app/context.h"
#include "huiyin/common/result.h"
#include "huiyin/storage/database.h"

namespace huiyin::app {

struct Region {
  std::string code;  // "220502"
  std::string name;  // "东昌区"
  std::string name_en;
  std::optional<std::string> parent_code;
  std::string level;  // "province", "city", "county"
};

// Organisation kinds stored in orgs.kind.
inline constexpr const char* kOrgKinds[] = {"government",    "department", "institution", "utility",
                                            "leading_group", "office",     "township"};

struct Org {
  int64_t id = 0;
  std::string code;  // stable short code, unique ("tonghua.zjj")
  std::string name;
  std::string name_en;
  std::string kind;  // one of kOrgKinds
  std::optional<int64_t> parent_id;
  std::optional<std::string> region_code;
  std::string path;  // "/1/4/"
  std::string phone;
  bool active = true;
  int depth = 0;  // 1 for a root
};

struct NewOrg {
  std::string code;
  std::string name;
  std::string name_en;
  std::string kind;
  std::optional<int64_t> parent_id;  // required unless bootstrapping a root
  std::optional<std::string> region_code;
  std::string phone;
};

struct Post {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string title;  // "局长"
  std::string title_en;
  bool key_post = false;  // 重点岗位: its holder is evaluated by the public
};

struct NewPost {
  int64_t org_id = 0;
  std::string title;
  std::string title_en;
  bool key_post = false;
};

class OrgService {
 public:
  // `db` must outlive the service.
  explicit OrgService(storage::Database& db) : db_(db) {}

  // Every region, parents before children (by code).
  Result<std::vector<Region>> ListRegions();
  // Every active organisation in tree order (depth-first, siblings by code).
  Result<std::vector<Org>> ListOrgs();
  // One organisation; kNotFound if absent.
  Result<Org> GetOrg(int64_t id);
  // One organisation by its code; kNotFound if absent.
  Result<Org> GetOrgByCode(std::string_view code);
  // Creates a child of `parent_id` (system:org:edit over the parent, else kForbidden); validates
  // code, name, kind and region (kInvalidArgument); a duplicate code is kConflict. Audited
  // "org.create".
  Result<Org> CreateOrg(const Principal& actor, const NewOrg& org, const RequestMeta& meta);
  // The posts of an organisation, by title.
  Result<std::vector<Post>> ListPosts(int64_t org_id);
  // Creates a post (system:org:edit over its organisation). Audited "post.create".
  Result<Post> CreatePost(const Principal& actor, const NewPost& post, const RequestMeta& meta);

  // Inside an open transaction, without permission checks (bootstrap, demo load): inserts the
  // organisation, computes its path, and returns it. The caller audits.
  static Result<Org> InsertOrg(storage::Tx& tx, const NewOrg& org, Timestamp now);
  // Inside an open transaction: inserts a post. The caller audits.
  static Result<Post> InsertPost(storage::Tx& tx, const NewPost& post);
  // Inside an open transaction: one organisation or kNotFound.
  static Result<Org> LoadOrg(storage::Tx& tx, int64_t id);

 private:
  storage::Database& db_;
};

}  // namespace huiyin::app
