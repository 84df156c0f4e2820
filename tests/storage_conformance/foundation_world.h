// A small city for the foundation conformance tests: regions, an organisation tree and one account
// per administrative role, built with the same services production uses.
//   通化市人民政府 (city) ─┬─ 住房和城乡建设局 (zjj) ── 物业科 (zjj.wy)
//                         ├─ 城市管理局 (cgj)
//                         └─ 东昌区人民政府 (dongchang)
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "huiyin/app/accounts.h"
#include "huiyin/app/orgs.h"
#include "huiyin/storage/database.h"

namespace huiyin::conformance {

// 2026-01-05T09:00:00+08:00, a Monday.
inline const Timestamp kT0 = FromMillis(1767574800000);
// A password that passes the rules; tests never print it.
inline constexpr std::string_view kPassword = "Tonghua-Test-2026";

inline app::RequestMeta MetaAt(Timestamp now, std::string addr = "203.0.113.7") {
  app::RequestMeta m;
  m.now = now;
  m.remote_addr = std::move(addr);
  m.request_id = "test";
  return m;
}

struct World {
  std::map<std::string, app::Org> orgs;  // by code
  std::map<std::string, int64_t> users;  // username -> id
};

// Builds the world; on failure records a gtest failure and returns what it has.
inline World BuildWorld(storage::Database& db, app::AccountService& accounts) {
  World w;
  Status s = db.Write([&](storage::Tx& tx) -> Status {
    HUIYIN_TRY(
        tx.Exec("INSERT INTO regions (code, name, name_en, parent_code, level) VALUES "
                "('220000', '吉林省', 'Jilin Province', NULL, 'province')"));
    HUIYIN_TRY(
        tx.Exec("INSERT INTO regions (code, name, name_en, parent_code, level) VALUES "
                "('220500', '通化市', 'Tonghua City', '220000', 'city')"));
    HUIYIN_TRY(
        tx.Exec("INSERT INTO regions (code, name, name_en, parent_code, level) VALUES "
                "('220502', '东昌区', 'Dongchang District', '220500', 'county')"));
    auto add = [&](std::string code, std::string name, std::string kind,
                   std::optional<std::string> parent, std::string region) -> Status {
      app::NewOrg o{code, name, "", kind, std::nullopt, region, ""};
      if (parent) o.parent_id = w.orgs.at(*parent).id;
      HUIYIN_ASSIGN_OR_RETURN(app::Org org, app::OrgService::InsertOrg(tx, o, kT0));
      w.orgs[code] = org;
      return Status::Ok();
    };
    HUIYIN_TRY(add("city", "通化市人民政府", "government", std::nullopt, "220500"));
    HUIYIN_TRY(add("zjj", "住房和城乡建设局", "department", "city", "220500"));
    HUIYIN_TRY(add("cgj", "城市管理局", "department", "city", "220500"));
    HUIYIN_TRY(add("dongchang", "东昌区人民政府", "government", "city", "220502"));
    HUIYIN_TRY(add("zjj.wy", "物业科", "department", "zjj", "220500"));
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.error().detail;
  if (!s.ok()) return w;
  auto user = [&](std::string name, std::string org, app::Role role, std::string phone = "",
                  std::string id_number = "") {
    app::NewUser u;
    u.username = name;
    u.display_name = name;
    u.kind = app::PrincipalKind::kStaff;
    u.org_id = w.orgs.at(org).id;
    u.password = std::string(kPassword);
    u.phone = phone;
    u.id_number = id_number;
    u.roles = {app::RoleSpec{role, std::nullopt}};
    auto v = accounts.BootstrapUser(u, MetaAt(kT0));
    EXPECT_TRUE(v.ok()) << name << ": " << v.error().detail;
    if (v.ok()) w.users[name] = v->id;
  };
  user("sysadmin", "city", app::Role::kSystemAdmin);
  user("secadmin", "city", app::Role::kSecurityAdmin);
  user("auditor", "city", app::Role::kAuditAdmin);
  user("zjhead", "zjj", app::Role::kDeptHead);
  user("zjhandler", "zjj", app::Role::kHandler, "13943512345", "220502198503151239");
  user("cghandler", "cgj", app::Role::kHandler, "13943554321");
  user("dcadmin", "dongchang", app::Role::kSystemAdmin);
  return w;
}

}  // namespace huiyin::conformance
