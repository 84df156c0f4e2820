// Organisations, users, grants, sign-in, sessions, API tokens, personal data and scope, on every
// backend.
#include <chrono>

#include "conformance_fixture.h"
#include "foundation_world.h"
#include "huiyin/app/audit.h"
#include "huiyin/core/access.h"

namespace huiyin::conformance {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class FoundationAccounts : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    accounts_ = std::make_unique<app::AccountService>(db(), crypto());
    orgs_ = std::make_unique<app::OrgService>(db());
    world_ = BuildWorld(db(), *accounts_);
  }

  app::Principal Login(const std::string& user, Timestamp at = kT0) {
    auto r = accounts_->Login(user, kPassword, MetaAt(at));
    EXPECT_TRUE(r.ok()) << user << ": " << (r.ok() ? "" : r.error().detail);
    return r.ok() ? r->principal : app::Principal{};
  }
  int64_t Id(const std::string& user) { return world_.users.at(user); }
  int64_t Org(const std::string& code) { return world_.orgs.at(code).id; }
  int64_t CountAudit(const std::string& action) {
    auto n = db().ReadValue<std::optional<int64_t>>([&](storage::Tx& tx) {
      return tx.QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = ?", {action});
    });
    return n.ok() ? n->value_or(0) : -1;
  }

  std::unique_ptr<app::AccountService> accounts_;
  std::unique_ptr<app::OrgService> orgs_;
  World world_;
};

TEST_P(FoundationAccounts, OrganisationsRoundTripInTreeOrderWithPaths) {
  auto list = orgs_->ListOrgs();
  ASSERT_TRUE(list.ok());
  std::vector<std::string> codes;
  for (const auto& o : *list) codes.push_back(o.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"city", "cgj", "dongchang", "zjj", "zjj.wy"}));
  const auto& wy = world_.orgs.at("zjj.wy");
  EXPECT_EQ(wy.path, "/" + std::to_string(Org("city")) + "/" + std::to_string(Org("zjj")) + "/" +
                         std::to_string(wy.id) + "/");
  EXPECT_EQ(wy.depth, 3);
  auto got = orgs_->GetOrg(Org("zjj"));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "住房和城乡建设局");
  EXPECT_EQ(got->region_code.value_or(""), "220500");
  EXPECT_EQ(orgs_->GetOrg(99999).error().code, ErrorCode::kNotFound);
  auto regions = orgs_->ListRegions();
  ASSERT_TRUE(regions.ok());
  ASSERT_EQ(regions->size(), 3u);
  EXPECT_EQ(regions->front().code, "220000");
}

TEST_P(FoundationAccounts, TheSystemAdminCreatesADepartmentAndItIsAudited) {
  app::Principal admin = Login("sysadmin");
  app::NewOrg o{"zjj.fc", "房产科", "Real Estate Section", "department", Org("zjj"), "220500", ""};
  auto created = orgs_->CreateOrg(admin, o, MetaAt(kT0));
  ASSERT_TRUE(created.ok()) << created.error().detail;
  EXPECT_EQ(created->path, world_.orgs.at("zjj").path + std::to_string(created->id) + "/");
  EXPECT_EQ(CountAudit("org.create"), 1);
  // The same code again is a conflict; a district admin cannot add to a city department.
  EXPECT_EQ(orgs_->CreateOrg(admin, o, MetaAt(kT0)).error().code, ErrorCode::kConflict);
  app::NewOrg other{"zjj.x", "某科", "", "department", Org("zjj"), std::nullopt, ""};
  EXPECT_EQ(orgs_->CreateOrg(Login("dcadmin"), other, MetaAt(kT0)).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(orgs_->CreateOrg(Login("zjhandler"), other, MetaAt(kT0)).error().code,
            ErrorCode::kForbidden);
  other.kind = "castle";
  EXPECT_EQ(orgs_->CreateOrg(admin, other, MetaAt(kT0)).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(FoundationAccounts, UsersAndScopedGrantsRoundTrip) {
  app::Principal admin = Login("sysadmin");
  app::NewUser u;
  u.username = "ZJHandler2";
  u.display_name = "王五";
  u.org_id = Org("zjj.wy");
  u.password = "Another-Pass-77";
  u.roles = {{app::Role::kHandler, std::nullopt}, {app::Role::kDeptHead, Org("zjj.wy")}};
  auto created = accounts_->CreateUser(admin, u, MetaAt(kT0));
  ASSERT_TRUE(created.ok()) << created.error().detail;
  EXPECT_EQ(created->username, "zjhandler2");
  EXPECT_EQ(created->org_name, "物业科");
  ASSERT_EQ(created->grants.size(), 2u);
  EXPECT_EQ(created->grants[0].scope_org_id.value_or(0), Org("zjj.wy"));
  EXPECT_EQ(created->grants[0].scope_path, world_.orgs.at("zjj.wy").path);

  auto p = accounts_->Login("zjhandler2", "Another-Pass-77", MetaAt(kT0));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->principal.RoleList(), "handler,dept_head");
  EXPECT_TRUE(p->principal.CanOn("hotline:case:handle", world_.orgs.at("zjj.wy").path));
  EXPECT_FALSE(p->principal.CanOn("hotline:case:handle", world_.orgs.at("zjj").path));
  EXPECT_EQ(CountAudit("user.create"), 8);  // 7 bootstrap + this one

  u.username = "zjhandler2";
  EXPECT_EQ(accounts_->CreateUser(admin, u, MetaAt(kT0)).error().code, ErrorCode::kConflict);
}

TEST_P(FoundationAccounts, AdministratorRolesAndOutOfScopeGrantsAreRefused) {
  app::Principal admin = Login("sysadmin");
  app::NewUser u;
  u.username = "sneaky";
  u.display_name = "x";
  u.org_id = Org("city");
  u.password = "Another-Pass-77";
  u.roles = {{app::Role::kAuditAdmin, std::nullopt}};
  EXPECT_EQ(accounts_->CreateUser(admin, u, MetaAt(kT0)).error().code, ErrorCode::kForbidden);

  app::Principal district = Login("dcadmin");
  u.roles = {{app::Role::kHandler, std::nullopt}};
  u.org_id = Org("zjj");
  EXPECT_EQ(accounts_->CreateUser(district, u, MetaAt(kT0)).error().code, ErrorCode::kForbidden);
  u.org_id = Org("dongchang");
  u.roles = {{app::Role::kHandler, Org("city")}};  // wider than the district admin's own scope
  EXPECT_EQ(accounts_->CreateUser(district, u, MetaAt(kT0)).error().code, ErrorCode::kForbidden);
  u.roles = {{app::Role::kHandler, std::nullopt}};
  EXPECT_TRUE(accounts_->CreateUser(district, u, MetaAt(kT0)).ok());

  // A user with two administrator roles is refused even by the bootstrap.
  u.username = "twohats";
  u.org_id = Org("city");
  u.roles = {{app::Role::kSystemAdmin, std::nullopt}, {app::Role::kAuditAdmin, std::nullopt}};
  EXPECT_EQ(accounts_->BootstrapUser(u, MetaAt(kT0)).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(FoundationAccounts, AWeakPasswordIsRefusedWithEverythingMissing) {
  app::NewUser u;
  u.username = "weakling";
  u.display_name = "x";
  u.org_id = Org("zjj");
  u.password = "weakling1";
  u.roles = {{app::Role::kHandler, std::nullopt}};
  auto r = accounts_->CreateUser(Login("sysadmin"), u, MetaAt(kT0));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().detail.find("at least 10 characters (it has 9)"), std::string::npos);
  EXPECT_NE(r.error().detail.find("missing: upper case, symbols"), std::string::npos);
  EXPECT_NE(r.error().detail.find("user name"), std::string::npos);
}

TEST_P(FoundationAccounts, SignInSucceedsAndReturnsSessionAndCsrfTokens) {
  auto r = accounts_->Login("ZJHANDLER", kPassword, MetaAt(kT0));
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->principal.username, "zjhandler");
  EXPECT_EQ(r->session_token.size(), 43u);
  EXPECT_NE(r->csrf_token, r->session_token);
  EXPECT_EQ(r->expires_at, kT0 + hours(12));
  // Only the SHA-256 of the token is stored.
  auto stored = db().ReadValue<std::optional<int64_t>>([&](storage::Tx& tx) {
    return tx.QueryInt("SELECT COUNT(*) FROM sessions WHERE id = ?",
                       {app::Crypto::Sha256Hex(r->session_token)});
  });
  EXPECT_EQ(stored->value_or(0), 1);
  auto raw = db().ReadValue<std::optional<int64_t>>([&](storage::Tx& tx) {
    return tx.QueryInt("SELECT COUNT(*) FROM sessions WHERE id = ?", {r->session_token});
  });
  EXPECT_EQ(raw->value_or(1), 0);
  EXPECT_EQ(CountAudit("auth.login"), 1);
}

TEST_P(FoundationAccounts, AnUnknownUserAndAWrongPasswordLookTheSame) {
  auto unknown = accounts_->Login("nobody", kPassword, MetaAt(kT0));
  auto wrong = accounts_->Login("zjhandler", "Wrong-Pass-123", MetaAt(kT0));
  ASSERT_FALSE(unknown.ok());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kBadCredentials);
  EXPECT_EQ(wrong.error().code, ErrorCode::kBadCredentials);
  EXPECT_EQ(unknown.error().detail, wrong.error().detail);
  EXPECT_EQ(CountAudit("auth.login_failed"), 2);
}

TEST_P(FoundationAccounts, FiveWrongPasswordsLockTheAccountForFifteenMinutes) {
  for (int i = 1; i <= 4; ++i) {
    auto r = accounts_->Login("zjhandler", "Wrong-Pass-123", MetaAt(kT0 + minutes(i)));
    ASSERT_EQ(r.error().code, ErrorCode::kBadCredentials) << i;
  }
  auto fifth = accounts_->Login("zjhandler", "Wrong-Pass-123", MetaAt(kT0 + minutes(5)));
  ASSERT_EQ(fifth.error().code, ErrorCode::kAccountLocked);
  // 09:05 + 15 min = 09:20 Shanghai time.
  EXPECT_NE(fifth.error().detail.find("2026-01-05T09:20:00+08:00"), std::string::npos)
      << fifth.error().detail;
  // Even the right password is refused while locked...
  auto right = accounts_->Login("zjhandler", kPassword, MetaAt(kT0 + minutes(10)));
  EXPECT_EQ(right.error().code, ErrorCode::kAccountLocked);
  // ...and accepted once the lock has passed.
  EXPECT_TRUE(accounts_->Login("zjhandler", kPassword, MetaAt(kT0 + minutes(21))).ok());
}

TEST_P(FoundationAccounts, ASuccessResetsTheFailureCounter) {
  for (int i = 0; i < 4; ++i) {
    (void)accounts_->Login("zjhandler", "Wrong-Pass-123", MetaAt(kT0));
  }
  ASSERT_TRUE(accounts_->Login("zjhandler", kPassword, MetaAt(kT0)).ok());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(accounts_->Login("zjhandler", "Wrong-Pass-123", MetaAt(kT0)).error().code,
              ErrorCode::kBadCredentials);
  }
}

TEST_P(FoundationAccounts, TheSecurityAdminUnlocksButTheSystemAdminCannot) {
  for (int i = 0; i < 5; ++i) (void)accounts_->Login("zjhandler", "Wrong-Pass-123", MetaAt(kT0));
  EXPECT_EQ(accounts_->Login("zjhandler", kPassword, MetaAt(kT0)).error().code,
            ErrorCode::kAccountLocked);
  EXPECT_EQ(accounts_->UnlockUser(Login("sysadmin"), "zjhandler", MetaAt(kT0)).error().code,
            ErrorCode::kForbidden);
  ASSERT_TRUE(accounts_->UnlockUser(Login("secadmin"), "zjhandler", MetaAt(kT0)).ok());
  EXPECT_TRUE(accounts_->Login("zjhandler", kPassword, MetaAt(kT0)).ok());
  EXPECT_EQ(CountAudit("user.unlock"), 1);
}

TEST_P(FoundationAccounts, ASessionExpiresAfterThirtyIdleMinutes) {
  auto login = accounts_->Login("zjhandler", kPassword, MetaAt(kT0));
  ASSERT_TRUE(login.ok());
  const std::string token = login->session_token;
  auto a = accounts_->Authenticate(token, kT0 + minutes(29));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->csrf_token, login->csrf_token);
  EXPECT_EQ(a->principal.username, "zjhandler");
  // Used at 09:29, so still alive at 09:58; then idle for 31 minutes.
  EXPECT_TRUE(accounts_->Authenticate(token, kT0 + minutes(58)).ok());
  EXPECT_EQ(accounts_->Authenticate(token, kT0 + minutes(89)).error().code,
            ErrorCode::kSessionExpired);
  EXPECT_EQ(accounts_->Authenticate("made-up", kT0).error().code, ErrorCode::kSessionExpired);
}

TEST_P(FoundationAccounts, ASessionEndsAfterTwelveHoursEvenWhenBusy) {
  auto login = accounts_->Login("zjhandler", kPassword, MetaAt(kT0));
  ASSERT_TRUE(login.ok());
  Timestamp t = kT0;
  for (int i = 0; i < 12 * 3; ++i) {  // every 20 minutes
    t += minutes(20);
    auto a = accounts_->Authenticate(login->session_token, t);
    if (t < kT0 + hours(12)) {
      ASSERT_TRUE(a.ok()) << i;
    } else {
      EXPECT_EQ(a.error().code, ErrorCode::kSessionExpired);
    }
  }
}

TEST_P(FoundationAccounts, LastSeenIsWrittenAtMostOnceAMinute) {
  auto login = accounts_->Login("zjhandler", kPassword, MetaAt(kT0));
  ASSERT_TRUE(login.ok());
  auto last_seen = [&] {
    auto v = db().ReadValue<std::optional<int64_t>>([&](storage::Tx& tx) {
      return tx.QueryInt("SELECT last_seen_at FROM sessions WHERE id = ?",
                         {app::Crypto::Sha256Hex(login->session_token)});
    });
    return v.ok() ? v->value_or(0) : 0;
  };
  ASSERT_TRUE(accounts_->Authenticate(login->session_token, kT0 + seconds(30)).ok());
  EXPECT_EQ(last_seen(), ToMillis(kT0));
  ASSERT_TRUE(accounts_->Authenticate(login->session_token, kT0 + seconds(61)).ok());
  EXPECT_EQ(last_seen(), ToMillis(kT0 + seconds(61)));
}

TEST_P(FoundationAccounts, LogoutEndsTheSession) {
  auto login = accounts_->Login("zjhandler", kPassword, MetaAt(kT0));
  ASSERT_TRUE(login.ok());
  ASSERT_TRUE(accounts_->Logout(login->session_token, MetaAt(kT0)).ok());
  EXPECT_EQ(accounts_->Authenticate(login->session_token, kT0).error().code,
            ErrorCode::kSessionExpired);
  EXPECT_TRUE(accounts_->Logout(login->session_token, MetaAt(kT0)).ok());  // idempotent
  EXPECT_EQ(CountAudit("auth.logout"), 1);
}

TEST_P(FoundationAccounts, ApiTokensWorkUntilTheyExpire) {
  app::Principal sec = Login("secadmin");
  auto issued =
      accounts_->IssueApiToken(sec, "zjhandler", "gis sync", kT0 + hours(24), MetaAt(kT0));
  ASSERT_TRUE(issued.ok()) << issued.error().detail;
  auto p = accounts_->AuthenticateBearer(issued->token, kT0 + hours(1));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->username, "zjhandler");
  EXPECT_EQ(accounts_->AuthenticateBearer(issued->token, kT0 + hours(24)).error().code,
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(accounts_->AuthenticateBearer("nope", kT0).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(accounts_->IssueApiToken(Login("sysadmin"), "zjhandler", "x", std::nullopt, MetaAt(kT0))
                .error()
                .code,
            ErrorCode::kForbidden);
  EXPECT_EQ(accounts_->IssueApiToken(sec, "ghost", "x", std::nullopt, MetaAt(kT0)).error().code,
            ErrorCode::kNotFound);
  // Revoked in the database: refused at once.
  ASSERT_TRUE(db().Write([&](storage::Tx& tx) -> Status {
                    HUIYIN_TRY(tx.Exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ?",
                                       {ToMillis(kT0), issued->id}));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(accounts_->AuthenticateBearer(issued->token, kT0 + hours(1)).error().code,
            ErrorCode::kUnauthenticated);
}

TEST_P(FoundationAccounts, PersonalIdentifiersAreStoredEncryptedAndFoundByBlindIndex) {
  auto raw = db().ReadValue<std::vector<std::string>>(
      [&](storage::Tx& tx) -> Result<std::vector<std::string>> {
        std::vector<std::string> cols;
        HUIYIN_TRY(
            tx.Query("SELECT phone_enc, phone_index, id_number_enc, id_number_index "
                     "FROM users WHERE id = ?",
                     {Id("zjhandler")}, [&](const storage::Row& row) {
                       for (int i = 0; i < 4; ++i) cols.push_back(row.String(i));
                     }));
        return cols;
      });
  ASSERT_TRUE(raw.ok());
  ASSERT_EQ(raw->size(), 4u);
  for (const auto& col : *raw) {
    EXPECT_FALSE(col.empty());
    EXPECT_EQ(col.find("13943512345"), std::string::npos);
    EXPECT_EQ(col.find("3512345"), std::string::npos);
    EXPECT_EQ(col.find("220502198503151239"), std::string::npos);
  }
  EXPECT_EQ(crypto().Decrypt((*raw)[0]).value(), "13943512345");
  auto found = accounts_->FindUserByPhone("+86 139-4351-2345");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->value_or(0), Id("zjhandler"));
  EXPECT_EQ(accounts_->FindUserByIdNumber("220502198503151239")->value_or(0), Id("zjhandler"));
  EXPECT_FALSE(accounts_->FindUserByPhone("13900000000")->has_value());
}

TEST_P(FoundationAccounts, IdentifiersAreMaskedUnlessTheRoleNeedsThem) {
  auto as_sys = accounts_->GetUser(Login("sysadmin"), Id("zjhandler"));
  ASSERT_TRUE(as_sys.ok()) << as_sys.error().detail;
  EXPECT_EQ(as_sys->phone, "139****2345");
  EXPECT_EQ(as_sys->id_number, "220502**********39");
  EXPECT_FALSE(as_sys->pii_visible);
  auto as_head = accounts_->GetUser(Login("zjhead"), Id("zjhandler"));
  ASSERT_TRUE(as_head.ok());
  EXPECT_EQ(as_head->phone, "139****2345");
  auto as_sec = accounts_->GetUser(Login("secadmin"), Id("zjhandler"));
  ASSERT_TRUE(as_sec.ok());
  EXPECT_TRUE(as_sec->pii_visible);
  EXPECT_EQ(as_sec->phone, "13943512345");
  EXPECT_EQ(as_sec->id_number, "220502198503151239");
}

TEST_P(FoundationAccounts, AUserOutsideTheActorsScopeIsNotFound) {
  app::Principal head = Login("zjhead");  // dept_head of 住建局: lists its own staff only
  EXPECT_TRUE(accounts_->GetUser(head, Id("zjhandler")).ok());
  EXPECT_EQ(accounts_->GetUser(head, Id("cghandler")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(accounts_->GetUser(head, 999999).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(accounts_->ListUsers(head, Org("cgj")).error().code, ErrorCode::kNotFound);
  auto mine = accounts_->ListUsers(head, Org("zjj"));
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].username, "zjhandler");
  EXPECT_EQ((*mine)[1].username, "zjhead");
  // A handler has no user list at all: still "not found", never "forbidden".
  EXPECT_EQ(accounts_->GetUser(Login("zjhandler"), Id("zjhead")).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(accounts_->GetUser(Login("dcadmin"), Id("zjhandler")).error().code,
            ErrorCode::kNotFound);
  auto all = accounts_->ListUsers(Login("sysadmin"), Org("city"));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 7u);
}

TEST_P(FoundationAccounts, CitizensAndEnterprisesSignThemselvesUp) {
  app::CitizenSignUp c;
  c.username = "zhangsan";
  c.display_name = "张三";
  c.password = "Citizen-Pass-88";
  c.phone = "13843500001";
  c.id_number = "11010519491231002X";
  auto citizen = accounts_->RegisterCitizen(c, MetaAt(kT0));
  ASSERT_TRUE(citizen.ok()) << citizen.error().detail;
  EXPECT_EQ(citizen->kind, app::PrincipalKind::kCitizen);
  EXPECT_FALSE(citizen->org_id.has_value());
  auto login = accounts_->Login("zhangsan", "Citizen-Pass-88", MetaAt(kT0));
  ASSERT_TRUE(login.ok());
  EXPECT_TRUE(login->principal.CanOnOwn("hotline:case:create_own", citizen->id));
  EXPECT_EQ(CountAudit("account.register"), 1);
  // A city-wide admin may see the citizen; a district admin may not.
  EXPECT_TRUE(accounts_->GetUser(Login("sysadmin"), citizen->id).ok());
  EXPECT_EQ(accounts_->GetUser(Login("dcadmin"), citizen->id).error().code, ErrorCode::kNotFound);

  c.username = "zhangsan2";
  EXPECT_EQ(accounts_->RegisterCitizen(c, MetaAt(kT0)).error().code, ErrorCode::kConflict);
  c.phone = "13843500002";
  c.id_number = "11010119900230447X";
  EXPECT_EQ(accounts_->RegisterCitizen(c, MetaAt(kT0)).error().code, ErrorCode::kInvalidArgument);

  app::CitizenSignUp e;
  e.username = "tonghua-steel";
  e.display_name = "通化示例钢铁有限公司";
  e.kind = app::PrincipalKind::kEnterprise;
  e.password = "Enterprise-Pass-9";
  e.phone = "13843500003";
  e.credit_code = "91350100M000100Y44";  // check character off: a warning, not a refusal
  auto ent = accounts_->RegisterCitizen(e, MetaAt(kT0));
  ASSERT_TRUE(ent.ok()) << ent.error().detail;
  ASSERT_EQ(ent->warnings.size(), 1u);
  EXPECT_EQ(ent->credit_code, "91350100M000100Y44");
  e.username = "no-code";
  e.phone = "13843500004";
  e.credit_code = "";
  EXPECT_EQ(accounts_->RegisterCitizen(e, MetaAt(kT0)).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(FoundationAccounts, ChangingAndResettingPasswords) {
  app::Principal me = Login("zjhandler");
  EXPECT_EQ(
      accounts_->ChangePassword(me, "Wrong-Pass-123", "New-Secret-456", MetaAt(kT0)).error().code,
      ErrorCode::kBadCredentials);
  EXPECT_EQ(accounts_->ChangePassword(me, kPassword, "short", MetaAt(kT0)).error().code,
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(accounts_->ChangePassword(me, kPassword, "New-Secret-456", MetaAt(kT0)).ok());
  EXPECT_EQ(accounts_->Login("zjhandler", kPassword, MetaAt(kT0)).error().code,
            ErrorCode::kBadCredentials);
  auto session = accounts_->Login("zjhandler", "New-Secret-456", MetaAt(kT0));
  ASSERT_TRUE(session.ok());

  EXPECT_EQ(
      accounts_->ResetPassword(Login("sysadmin"), "zjhandler", "Reset-Secret-789", MetaAt(kT0))
          .error()
          .code,
      ErrorCode::kForbidden);
  ASSERT_TRUE(
      accounts_->ResetPassword(Login("secadmin"), "zjhandler", "Reset-Secret-789", MetaAt(kT0))
          .ok());
  // The reset revokes the user's sessions.
  EXPECT_EQ(accounts_->Authenticate(session->session_token, kT0).error().code,
            ErrorCode::kSessionExpired);
  EXPECT_TRUE(accounts_->Login("zjhandler", "Reset-Secret-789", MetaAt(kT0)).ok());
  EXPECT_EQ(accounts_->ResetPassword(Login("secadmin"), "ghost", "Reset-Secret-789", MetaAt(kT0))
                .error()
                .code,
            ErrorCode::kNotFound);
}

TEST_P(FoundationAccounts, EveryChangeAboveLeftAnIntactAuditChain) {
  (void)accounts_->Login("zjhandler", "Wrong-Pass-123", MetaAt(kT0));
  (void)Login("zjhandler");
  auto report = app::VerifyAudit(db());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->detail;
  EXPECT_EQ(report->rows_checked, 7 + 2);
}

HUIYIN_STORAGE_SUITE(FoundationAccounts);

}  // namespace
}  // namespace huiyin::conformance
