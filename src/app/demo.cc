#include "huiyin/app/demo.h"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "huiyin/app/accounts.h"
#include "huiyin/app/audit.h"
#include "huiyin/app/orgs.h"
#include "huiyin/core/access.h"

namespace huiyin::app {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kMarkerKey = "demo.loaded";

struct DemoRegion {
  std::string code, name, name_en, level;
  std::optional<std::string> parent;
};
struct DemoPost {
  std::string title, title_en;
  bool key_post = false;
};
struct DemoOrg {
  std::string code, name, name_en, kind, phone;
  std::optional<std::string> parent, region;
  std::vector<DemoPost> posts;
};
struct DemoRole {
  Role role = Role::kCitizen;
  std::optional<std::string> scope;  // organisation code
};
struct DemoUser {
  std::string username, display_name, kind, phone, id_number, credit_code;
  std::optional<std::string> org, post;
  std::vector<DemoRole> roles;
};
struct DemoData {
  std::vector<DemoRegion> regions;
  std::vector<DemoOrg> orgs;
  std::vector<DemoUser> users;
};

Error Bad(const std::string& where, const std::string& what) {
  return FieldInvalid(where, what);
}

Result<std::string> Str(const Json& obj, const char* key, const std::string& where,
                        bool required = true) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) return Bad(where + "/" + key, "required");
    return std::string();
  }
  if (!it->is_string()) return Bad(where + "/" + key, "must be a string");
  return it->get<std::string>();
}

Result<std::optional<std::string>> OptStr(const Json& obj, const char* key,
                                          const std::string& where) {
  HUIYIN_ASSIGN_OR_RETURN(std::string s, Str(obj, key, where, false));
  if (s.empty()) return std::optional<std::string>();
  return std::optional<std::string>(s);
}

Result<DemoData> Parse(std::string_view text) {
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Bad("/", "not a JSON object");
  if (doc.value("format", "") != "huiyin-demo/1") {
    return Bad("/format", "must be \"huiyin-demo/1\"");
  }
  DemoData d;
  for (const char* key : {"regions", "orgs", "accounts"}) {
    if (!doc.contains(key) || !doc[key].is_array()) return Bad(std::string("/") + key, "an array");
  }
  for (size_t i = 0; i < doc["regions"].size(); ++i) {
    const Json& r = doc["regions"][i];
    std::string at = "/regions/" + std::to_string(i);
    if (!r.is_object()) return Bad(at, "an object");
    DemoRegion x;
    HUIYIN_ASSIGN_OR_RETURN(x.code, Str(r, "code", at));
    HUIYIN_ASSIGN_OR_RETURN(x.name, Str(r, "name", at));
    HUIYIN_ASSIGN_OR_RETURN(x.name_en, Str(r, "name_en", at, false));
    HUIYIN_ASSIGN_OR_RETURN(x.level, Str(r, "level", at));
    HUIYIN_ASSIGN_OR_RETURN(x.parent, OptStr(r, "parent", at));
    d.regions.push_back(std::move(x));
  }
  for (size_t i = 0; i < doc["orgs"].size(); ++i) {
    const Json& o = doc["orgs"][i];
    std::string at = "/orgs/" + std::to_string(i);
    if (!o.is_object()) return Bad(at, "an object");
    DemoOrg x;
    HUIYIN_ASSIGN_OR_RETURN(x.code, Str(o, "code", at));
    HUIYIN_ASSIGN_OR_RETURN(x.name, Str(o, "name", at));
    HUIYIN_ASSIGN_OR_RETURN(x.name_en, Str(o, "name_en", at, false));
    HUIYIN_ASSIGN_OR_RETURN(x.kind, Str(o, "kind", at));
    HUIYIN_ASSIGN_OR_RETURN(x.phone, Str(o, "phone", at, false));
    HUIYIN_ASSIGN_OR_RETURN(x.parent, OptStr(o, "parent", at));
    HUIYIN_ASSIGN_OR_RETURN(x.region, OptStr(o, "region", at));
    if (o.contains("posts")) {
      if (!o["posts"].is_array()) return Bad(at + "/posts", "an array");
      for (size_t j = 0; j < o["posts"].size(); ++j) {
        const Json& p = o["posts"][j];
        std::string pat = at + "/posts/" + std::to_string(j);
        if (!p.is_object()) return Bad(pat, "an object");
        DemoPost post;
        HUIYIN_ASSIGN_OR_RETURN(post.title, Str(p, "title", pat));
        HUIYIN_ASSIGN_OR_RETURN(post.title_en, Str(p, "title_en", pat, false));
        post.key_post = p.value("key_post", false);
        x.posts.push_back(std::move(post));
      }
    }
    d.orgs.push_back(std::move(x));
  }
  for (size_t i = 0; i < doc["accounts"].size(); ++i) {
    const Json& a = doc["accounts"][i];
    std::string at = "/accounts/" + std::to_string(i);
    if (!a.is_object()) return Bad(at, "an object");
    DemoUser x;
    HUIYIN_ASSIGN_OR_RETURN(x.username, Str(a, "username", at));
    HUIYIN_ASSIGN_OR_RETURN(x.display_name, Str(a, "display_name", at));
    HUIYIN_ASSIGN_OR_RETURN(x.kind, Str(a, "kind", at));
    HUIYIN_ASSIGN_OR_RETURN(x.phone, Str(a, "phone", at, false));
    HUIYIN_ASSIGN_OR_RETURN(x.id_number, Str(a, "id_number", at, false));
    HUIYIN_ASSIGN_OR_RETURN(x.credit_code, Str(a, "credit_code", at, false));
    HUIYIN_ASSIGN_OR_RETURN(x.org, OptStr(a, "org", at));
    HUIYIN_ASSIGN_OR_RETURN(x.post, OptStr(a, "post", at));
    if (!a.contains("roles") || !a["roles"].is_array()) return Bad(at + "/roles", "an array");
    for (size_t j = 0; j < a["roles"].size(); ++j) {
      const Json& r = a["roles"][j];
      std::string rat = at + "/roles/" + std::to_string(j);
      if (!r.is_object()) return Bad(rat, "an object");
      HUIYIN_ASSIGN_OR_RETURN(std::string name, Str(r, "role", rat));
      auto role = core::ParseRole(name);
      if (!role) return Bad(rat + "/role", "unknown role " + name);
      HUIYIN_ASSIGN_OR_RETURN(auto scope, OptStr(r, "scope", rat));
      x.roles.push_back(DemoRole{*role, scope});
    }
    d.users.push_back(std::move(x));
  }
  return d;
}

Result<bool> AlreadyLoaded(storage::Tx& tx) {
  HUIYIN_ASSIGN_OR_RETURN(auto v,
                          tx.QueryText("SELECT value FROM settings WHERE key = ?", {kMarkerKey}));
  return v.has_value();
}

// The NewUser of a demo account; org and post ids are filled in once the tree exists (a
// placeholder id 0 is enough for PrepareUser, which checks only their presence).
NewUser ToNewUser(const DemoUser& u, const std::string& password) {
  NewUser n;
  n.username = u.username;
  n.display_name = u.display_name;
  n.kind = core::ParsePrincipalKind(u.kind).value_or(PrincipalKind::kStaff);
  if (u.org) n.org_id = 0;
  if (u.post) n.post_id = 0;
  n.password = password;
  n.phone = u.phone;
  n.id_number = u.id_number;
  n.credit_code = u.credit_code;
  for (const auto& r : u.roles) {
    RoleSpec spec{r.role, std::nullopt};
    if (r.scope) spec.scope_org_id = 0;
    n.roles.push_back(spec);
  }
  return n;
}

}  // namespace

Result<DemoSummary> LoadDemoJson(storage::Database& db, const Crypto& crypto, std::string_view json,
                                 const DemoOptions& options) {
  HUIYIN_ASSIGN_OR_RETURN(DemoData data, Parse(json));
  const Timestamp now = options.now == Timestamp{} ? Now() : options.now;
  RequestMeta meta;
  meta.now = now;
  meta.remote_addr = "cli";

  DemoSummary summary;
  HUIYIN_ASSIGN_OR_RETURN(bool loaded, db.ReadValue<bool>(AlreadyLoaded));
  if (loaded) {
    summary.already_loaded = true;
    summary.message = "the demo city is already loaded; nothing changed";
    return summary;
  }

  // Validate and hash every account before the transaction (argon2id is slow).
  AccountService accounts(db, crypto);
  std::vector<NewUser> users;
  std::vector<PreparedUser> prepared;
  std::vector<std::string> passwords;
  for (size_t i = 0; i < data.users.size(); ++i) {
    const DemoUser& u = data.users[i];
    if (!core::ParsePrincipalKind(u.kind)) {
      return Bad("/accounts/" + std::to_string(i) + "/kind", "unknown kind " + u.kind);
    }
    std::string password = options.password.value_or("");
    while (!options.password) {
      password = Crypto::RandomPassword(16);
      if (CheckPasswordRules(accounts.policy().password, u.username, password).ok()) break;
    }
    NewUser n = ToNewUser(u, password);
    auto p = accounts.PrepareUser(n);
    if (!p.ok()) {
      Error e = std::move(p).error();
      e.detail = "/accounts/" + std::to_string(i) + " (" + u.username + "): " + e.detail;
      return e;
    }
    users.push_back(std::move(n));
    prepared.push_back(std::move(p).value());
    passwords.push_back(std::move(password));
  }

  Status s = db.Write([&](storage::Tx& tx) -> Status {
    summary = DemoSummary{};
    HUIYIN_ASSIGN_OR_RETURN(bool again, AlreadyLoaded(tx));
    if (again) {
      summary.already_loaded = true;
      return Status::Ok();
    }
    for (const auto& r : data.regions) {
      HUIYIN_ASSIGN_OR_RETURN(auto exists,
                              tx.QueryInt("SELECT COUNT(*) FROM regions WHERE code = ?", {r.code}));
      if (exists.value_or(0) > 0) continue;
      HUIYIN_TRY(tx.Exec(
          "INSERT INTO regions (code, name, name_en, parent_code, level) VALUES (?, ?, ?, ?, ?)",
          {r.code, r.name, r.name_en, r.parent, r.level}));
      ++summary.regions;
    }
    std::map<std::string, Org> orgs;
    std::map<std::pair<std::string, std::string>, int64_t> posts;  // (org code, title) -> id
    for (size_t i = 0; i < data.orgs.size(); ++i) {
      const DemoOrg& o = data.orgs[i];
      NewOrg n{o.code, o.name, o.name_en, o.kind, std::nullopt, o.region, o.phone};
      if (o.parent) {
        auto parent = orgs.find(*o.parent);
        if (parent == orgs.end()) {
          return Bad("/orgs/" + std::to_string(i) + "/parent",
                     "unknown or later organisation " + *o.parent);
        }
        n.parent_id = parent->second.id;
      }
      auto org = OrgService::InsertOrg(tx, n, now);
      if (!org.ok()) {
        Error e = std::move(org).error();
        e.detail = "/orgs/" + std::to_string(i) + " (" + o.code + "): " + e.detail;
        return e;
      }
      for (const auto& p : o.posts) {
        HUIYIN_ASSIGN_OR_RETURN(
            Post post, OrgService::InsertPost(tx, {org->id, p.title, p.title_en, p.key_post}));
        posts[{o.code, p.title}] = post.id;
        ++summary.posts;
      }
      orgs.emplace(o.code, *org);
      ++summary.orgs;
    }
    for (size_t i = 0; i < data.users.size(); ++i) {
      const DemoUser& u = data.users[i];
      NewUser& n = users[i];
      std::string at = "/accounts/" + std::to_string(i);
      DemoAccount shown;
      shown.username = prepared[i].username;
      shown.display_name = u.display_name;
      shown.kind = u.kind;
      shown.password = passwords[i];
      if (u.org) {
        auto org = orgs.find(*u.org);
        if (org == orgs.end()) return Bad(at + "/org", "unknown organisation " + *u.org);
        n.org_id = org->second.id;
        shown.org_name = org->second.name;
      }
      if (u.post) {
        auto post = posts.find({u.org.value_or(""), *u.post});
        if (post == posts.end()) return Bad(at + "/post", "no post " + *u.post + " there");
        n.post_id = post->second;
        shown.post_title = *u.post;
      }
      for (size_t j = 0; j < u.roles.size(); ++j) {
        std::string label(core::RoleName(u.roles[j].role));
        if (u.roles[j].scope) {
          auto scope = orgs.find(*u.roles[j].scope);
          if (scope == orgs.end()) {
            return Bad(at + "/roles/" + std::to_string(j) + "/scope",
                       "unknown organisation " + *u.roles[j].scope);
          }
          n.roles[j].scope_org_id = scope->second.id;
          label += "@" + scope->second.name;
        } else if (!shown.org_name.empty()) {
          label += "@" + shown.org_name;
        }
        shown.roles.push_back(std::move(label));
      }
      auto inserted = accounts.InsertUser(tx, SystemPrincipal(), n, prepared[i], meta);
      if (!inserted.ok()) {
        Error e = std::move(inserted).error();
        e.detail = at + " (" + u.username + "): " + e.detail;
        return e;
      }
      summary.accounts.push_back(std::move(shown));
    }
    AuditRecord rec = AuditOf(SystemPrincipal(), meta, "demo.load", "demo", "tonghua");
    rec.digest = Crypto::Sha256Hex(json);
    HUIYIN_TRY(AppendAudit(tx, rec, now));
    HUIYIN_TRY(tx.Exec("INSERT INTO settings (key, value) VALUES (?, ?)",
                       {kMarkerKey, FormatIso(now) + " " + rec.digest}));
    return Status::Ok();
  });
  if (!s.ok()) return std::move(s).error();
  if (summary.already_loaded) {
    summary.message = "the demo city is already loaded; nothing changed";
  } else {
    summary.message = "loaded the demo city: " + std::to_string(summary.regions) + " regions, " +
                      std::to_string(summary.orgs) + " organisations, " +
                      std::to_string(summary.posts) + " posts, " +
                      std::to_string(summary.accounts.size()) + " accounts";
  }
  return summary;
}

Result<DemoSummary> LoadDemo(storage::Database& db, const Crypto& crypto,
                             const std::filesystem::path& data_file, const DemoOptions& options) {
  std::ifstream in(data_file, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "cannot read the demo data file " + data_file.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  return LoadDemoJson(db, crypto, text.str(), options);
}

}  // namespace huiyin::app
