#include "huiyin/app/orgs.h"

#include <algorithm>
#include <map>

#include "huiyin/app/audit.h"
#include "huiyin/app/crypto.h"
#include "huiyin/core/access.h"

namespace huiyin::app {
namespace {

constexpr std::string_view kOrgColumns =
    "id, code, name, name_en, kind, parent_id, region_code, path, phone, active";

Org OrgOf(const storage::Row& row) {
  Org o;
  o.id = row.Int(0);
  o.code = row.String(1);
  o.name = row.String(2);
  o.name_en = row.String(3);
  o.kind = row.String(4);
  o.parent_id = row.OptInt(5);
  o.region_code = row.OptString(6);
  o.path = row.String(7);
  o.phone = row.String(8);
  o.active = row.Int(9) != 0;
  o.depth = core::PathDepth(o.path);
  return o;
}

bool ValidCode(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  });
}

Status ValidateNewOrg(const NewOrg& org) {
  if (!ValidCode(org.code)) {
    return FieldInvalid("code", "1–64 characters of a-z, 0-9, '.', '-', '_'");
  }
  if (org.name.empty() || org.name.size() > 200) return FieldInvalid("name", "1–200 bytes");
  if (std::none_of(std::begin(kOrgKinds), std::end(kOrgKinds),
                   [&](const char* k) { return org.kind == k; })) {
    return FieldInvalid("kind",
                        "one of government, department, institution, utility, leading_group, "
                        "office, township");
  }
  return Status::Ok();
}

std::string OrgSummary(const Org& o) {
  return "org|" + o.code + "|" + o.name + "|" + o.kind + "|" +
         (o.parent_id ? std::to_string(*o.parent_id) : "") + "|" + o.region_code.value_or("");
}

}  // namespace

Result<std::vector<Region>> OrgService::ListRegions() {
  return db_.ReadValue<std::vector<Region>>([](storage::Tx& tx) -> Result<std::vector<Region>> {
    std::vector<Region> out;
    HUIYIN_TRY(tx.Query("SELECT code, name, name_en, parent_code, level FROM regions ORDER BY code",
                        {}, [&](const storage::Row& row) {
                          out.push_back(Region{row.String(0), row.String(1), row.String(2),
                                               row.OptString(3), row.String(4)});
                        }));
    // Parents first: a parent code may sort after its child only across provinces; fix order.
    std::stable_sort(out.begin(), out.end(), [](const Region& a, const Region& b) {
      auto rank = [](const std::string& level) {
        return level == "province" ? 0 : level == "city" ? 1 : 2;
      };
      return rank(a.level) < rank(b.level);
    });
    return out;
  });
}

Result<std::vector<Org>> OrgService::ListOrgs() {
  HUIYIN_ASSIGN_OR_RETURN(
      auto all, db_.ReadValue<std::vector<Org>>([](storage::Tx& tx) -> Result<std::vector<Org>> {
        std::vector<Org> out;
        HUIYIN_TRY(tx.Query(
            "SELECT " + std::string(kOrgColumns) + " FROM orgs WHERE active = 1 ORDER BY code", {},
            [&](const storage::Row& row) { out.push_back(OrgOf(row)); }));
        return out;
      }));
  // Depth-first from the roots; siblings stay in code order.
  std::map<std::optional<int64_t>, std::vector<size_t>> children;
  std::map<int64_t, bool> present;
  for (const auto& o : all) present[o.id] = true;
  for (size_t i = 0; i < all.size(); ++i) {
    auto parent = all[i].parent_id;
    if (parent && !present.count(*parent)) parent.reset();  // parent inactive: show as a root
    children[parent].push_back(i);
  }
  std::vector<Org> out;
  out.reserve(all.size());
  std::vector<size_t> stack;
  auto push_children = [&](std::optional<int64_t> parent) {
    auto it = children.find(parent);
    if (it == children.end()) return;
    for (auto c = it->second.rbegin(); c != it->second.rend(); ++c) stack.push_back(*c);
  };
  push_children(std::nullopt);
  while (!stack.empty()) {
    size_t i = stack.back();
    stack.pop_back();
    out.push_back(all[i]);
    push_children(all[i].id);
  }
  return out;
}

Result<Org> OrgService::LoadOrg(storage::Tx& tx, int64_t id) {
  std::optional<Org> org;
  HUIYIN_TRY(tx.Query("SELECT " + std::string(kOrgColumns) + " FROM orgs WHERE id = ?", {id},
                      [&](const storage::Row& row) { org = OrgOf(row); }));
  if (!org) return MakeError(ErrorCode::kNotFound, "no organisation " + std::to_string(id));
  return *org;
}

Result<Org> OrgService::GetOrg(int64_t id) {
  return db_.ReadValue<Org>([&](storage::Tx& tx) { return LoadOrg(tx, id); });
}

Result<Org> OrgService::GetOrgByCode(std::string_view code) {
  return db_.ReadValue<Org>([&](storage::Tx& tx) -> Result<Org> {
    std::optional<Org> org;
    HUIYIN_TRY(tx.Query("SELECT " + std::string(kOrgColumns) + " FROM orgs WHERE code = ?", {code},
                        [&](const storage::Row& row) { org = OrgOf(row); }));
    if (!org) return MakeError(ErrorCode::kNotFound, "no organisation " + std::string(code));
    return *org;
  });
}

Result<Org> OrgService::InsertOrg(storage::Tx& tx, const NewOrg& org, Timestamp now) {
  HUIYIN_TRY(ValidateNewOrg(org));
  std::string parent_path;
  if (org.parent_id) {
    auto parent = LoadOrg(tx, *org.parent_id);
    if (!parent.ok()) return FieldInvalid("parent_id", "no such organisation");
    parent_path = parent->path;
  } else {
    parent_path = "/";
  }
  if (org.region_code) {
    HUIYIN_ASSIGN_OR_RETURN(
        auto found, tx.QueryInt("SELECT COUNT(*) FROM regions WHERE code = ?", {*org.region_code}));
    if (found.value_or(0) == 0) return FieldInvalid("region_code", "no such region");
  }
  HUIYIN_ASSIGN_OR_RETURN(auto dup,
                          tx.QueryInt("SELECT COUNT(*) FROM orgs WHERE code = ?", {org.code}));
  if (dup.value_or(0) > 0) {
    return MakeError(ErrorCode::kConflict, "an organisation with code " + org.code + " exists");
  }
  HUIYIN_ASSIGN_OR_RETURN(
      auto id,
      tx.QueryInt("INSERT INTO orgs (code, name, name_en, kind, parent_id, region_code, "
                  "path, phone, active, created_at) VALUES (?, ?, ?, ?, ?, ?, '', ?, 1, ?) "
                  "RETURNING id",
                  {org.code, org.name, org.name_en, org.kind, org.parent_id, org.region_code,
                   org.phone, ToMillis(now)}));
  if (!id) return MakeError(ErrorCode::kInternal, "organisation id not returned");
  std::string path = parent_path + std::to_string(*id) + "/";
  HUIYIN_TRY(tx.Exec("UPDATE orgs SET path = ? WHERE id = ?", {path, *id}));
  return LoadOrg(tx, *id);
}

Result<Org> OrgService::CreateOrg(const Principal& actor, const NewOrg& org,
                                  const RequestMeta& meta) {
  if (!org.parent_id) return FieldInvalid("parent_id", "required");
  return db_.WriteValue<Org>([&](storage::Tx& tx) -> Result<Org> {
    auto parent = LoadOrg(tx, *org.parent_id);
    if (!parent.ok() || !actor.CanOn("system:org:edit", parent->path)) {
      if (parent.ok() && actor.HasPermission("system:org:edit")) {
        return MakeError(ErrorCode::kForbidden, "the parent organisation is outside your scope");
      }
      if (!parent.ok()) return FieldInvalid("parent_id", "no such organisation");
      return MakeError(ErrorCode::kForbidden, "creating organisations needs system:org:edit");
    }
    HUIYIN_ASSIGN_OR_RETURN(Org created, InsertOrg(tx, org, meta.now));
    AuditRecord rec = AuditOf(actor, meta, "org.create", "org", std::to_string(created.id));
    rec.digest = Crypto::Sha256Hex(OrgSummary(created));
    HUIYIN_TRY(AppendAudit(tx, rec, meta.now));
    return created;
  });
}

Result<std::vector<Post>> OrgService::ListPosts(int64_t org_id) {
  return db_.ReadValue<std::vector<Post>>([&](storage::Tx& tx) -> Result<std::vector<Post>> {
    std::vector<Post> out;
    HUIYIN_TRY(tx.Query(
        "SELECT id, org_id, title, title_en, key_post FROM posts WHERE org_id = ? ORDER BY id",
        {org_id}, [&](const storage::Row& row) {
          out.push_back(
              Post{row.Int(0), row.Int(1), row.String(2), row.String(3), row.Int(4) != 0});
        }));
    return out;
  });
}

Result<Post> OrgService::InsertPost(storage::Tx& tx, const NewPost& post) {
  if (post.title.empty() || post.title.size() > 200) return FieldInvalid("title", "1–200 bytes");
  HUIYIN_ASSIGN_OR_RETURN(
      auto id, tx.QueryInt("INSERT INTO posts (org_id, title, title_en, key_post) VALUES (?, ?, ?, "
                           "?) RETURNING id",
                           {post.org_id, post.title, post.title_en, post.key_post ? 1 : 0}));
  if (!id) return MakeError(ErrorCode::kInternal, "post id not returned");
  return Post{*id, post.org_id, post.title, post.title_en, post.key_post};
}

Result<Post> OrgService::CreatePost(const Principal& actor, const NewPost& post,
                                    const RequestMeta& meta) {
  return db_.WriteValue<Post>([&](storage::Tx& tx) -> Result<Post> {
    auto org = LoadOrg(tx, post.org_id);
    if (!org.ok()) return FieldInvalid("org_id", "no such organisation");
    if (!actor.CanOn("system:org:edit", org->path)) {
      return MakeError(ErrorCode::kForbidden, "the organisation is outside your scope");
    }
    HUIYIN_ASSIGN_OR_RETURN(Post created, InsertPost(tx, post));
    AuditRecord rec = AuditOf(actor, meta, "post.create", "post", std::to_string(created.id));
    rec.digest = Crypto::Sha256Hex("post|" + std::to_string(post.org_id) + "|" + post.title);
    HUIYIN_TRY(AppendAudit(tx, rec, meta.now));
    return created;
  });
}

}  // namespace huiyin::app
