// Issue 4: the knowledge base (知识库) and the dispatch catalogue (派单目录) on every backend —
// Chinese search for terms of every length, ranking, literal wildcards, optimistic concurrency,
// organisational scope, dispatch suggestions by region fallback, and Open311 attribute checks.
#include <filesystem>
#include <set>

#include "conformance_fixture.h"
#include "foundation_world.h"
#include "huiyin/app/audit.h"
#include "huiyin/app/catalogue.h"
#include "huiyin/app/demo.h"
#include "huiyin/app/knowledge.h"

namespace huiyin::conformance {
namespace {

using app::Article;
using app::ArticleInput;
using app::ArticleQuery;
using app::ArticleStatus;

class KnowledgeCatalogue : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    accounts_ = std::make_unique<app::AccountService>(db(), crypto());
    world_ = BuildWorld(db(), *accounts_);
    AddUser("dispatcher", "city", app::Role::kDispatcher);
    AddUser("agent", "city", app::Role::kHotlineAgent);
  }

  void AddUser(const std::string& name, const std::string& org, app::Role role) {
    app::NewUser u;
    u.username = name;
    u.display_name = name;
    u.kind = app::PrincipalKind::kStaff;
    u.org_id = world_.orgs.at(org).id;
    u.password = std::string(kPassword);
    u.roles = {app::RoleSpec{role, std::nullopt}};
    auto v = accounts_->BootstrapUser(u, MetaAt(kT0));
    ASSERT_TRUE(v.ok()) << v.error().detail;
  }

  app::Principal As(const std::string& username) {
    auto r = accounts_->Login(username, kPassword, MetaAt(kT0));
    EXPECT_TRUE(r.ok()) << username << ": " << (r.ok() ? "" : r.error().detail);
    return r.ok() ? r->principal : app::Principal{};
  }

  int64_t Org(const std::string& code) { return world_.orgs.at(code).id; }

  // Creates and publishes an article of `org` at minute `minute` after kT0.
  Article Publish(const std::string& title, const std::string& body, int minute,
                  std::vector<std::string> keywords = {}, const std::string& org = "zjj") {
    app::KnowledgeService kb(db());
    ArticleInput in;
    in.title = title;
    in.body = body;
    in.keywords = std::move(keywords);
    in.org_id = Org(org);
    const auto when = MetaAt(kT0 + std::chrono::minutes(minute));
    auto a = kb.Create(Editor(), in, when);
    EXPECT_TRUE(a.ok()) << a.error().detail;
    if (!a.ok()) return {};
    auto p = kb.Publish(Editor(), a->id, a->version, when);
    EXPECT_TRUE(p.ok()) << p.error().detail;
    return p.ok() ? *p : Article{};
  }

  // The hotline agent: knowledge:article:edit over the whole city.
  const app::Principal& Editor() {
    if (!editor_) editor_ = As("agent");
    return *editor_;
  }

  // Titles of the published articles a member of the public finds for `q`.
  std::vector<std::string> Find(const std::string& q, int limit = 20) {
    app::KnowledgeService kb(db());
    ArticleQuery query;
    query.q = q;
    query.limit = limit;
    auto page = kb.Search(nullptr, query);
    EXPECT_TRUE(page.ok()) << q << ": " << page.error().detail;
    std::vector<std::string> titles;
    if (page.ok()) {
      for (const auto& a : page->items) titles.push_back(a.title);
    }
    return titles;
  }

  using Titles = std::vector<std::string>;

  std::unique_ptr<app::AccountService> accounts_;
  World world_;
  std::optional<app::Principal> editor_;
};

// ---- knowledge search ---------------------------------------------------------------------------

TEST_P(KnowledgeCatalogue, SearchFindsOneTwoAndLongerChineseTermsAndAscii) {
  Publish("供暖期起止时间", "本市供暖期为每年10月15日至次年4月15日。", 1, {"暖气"});
  Publish("社保卡补办", "携带身份证到网点办理社保卡,可拨打12333咨询。", 2, {"社保"});
  Publish("营业执照办理", "登录 Huiyin 网上大厅申请营业执照。", 3, {"注册"});

  EXPECT_EQ(Find("暖"), Titles{"供暖期起止时间"});       // 1 character
  EXPECT_EQ(Find("卡"), Titles{"社保卡补办"});           // 1 character, in title and body
  EXPECT_EQ(Find("社保"), Titles{"社保卡补办"});         // 2 characters
  EXPECT_EQ(Find("大厅"), Titles{"营业执照办理"});       // 2 characters, body only
  EXPECT_EQ(Find("供暖期"), Titles{"供暖期起止时间"});   // 3 characters: the trigram index
  EXPECT_EQ(Find("营业执照"), Titles{"营业执照办理"});   // 4 characters
  EXPECT_EQ(Find("注册"), Titles{"营业执照办理"});       // a keyword
  EXPECT_EQ(Find("12333"), Titles{"社保卡补办"});        // ASCII digits
  EXPECT_EQ(Find("HUIYIN"), Titles{"营业执照办理"});     // ASCII letters ignore case
  EXPECT_EQ(Find("社保 身份证"), Titles{"社保卡补办"});  // every term must occur
  EXPECT_EQ(Find("社保　暖气"), Titles{});               // ideographic space separates terms
  EXPECT_EQ(Find("养老金"), Titles{});
  EXPECT_EQ(Find("").size(), 3u);  // no terms: everything published, newest first
  EXPECT_EQ(Find("").front(), "营业执照办理");
}

TEST_P(KnowledgeCatalogue, TitleMatchesRankFirstThenTheMostRecent) {
  Publish("公积金提取条件", "职工购房、租房可申请提取。", 1);
  Publish("购房贷款办理", "贷款可用公积金冲还,也可提取余额。", 5);
  Publish("公积金缴存基数调整", "每年7月调整缴存基数。", 9);
  Publish("租房补贴", "与住房有关的补贴政策。", 12);

  EXPECT_EQ(Find("公积金"), (Titles{"公积金缴存基数调整", "公积金提取条件", "购房贷款办理"}));
  // Two terms: the title holding both beats the one holding one.
  EXPECT_EQ(Find("公积金 提取"),
            (Titles{"公积金提取条件", "购房贷款办理"}));  // 基数调整 has no 提取
  // Pages follow the same order and end.
  app::KnowledgeService kb(db());
  ArticleQuery q;
  q.q = "公积金";
  q.limit = 1;
  Titles paged;
  for (int i = 0; i < 5; ++i) {
    auto page = kb.Search(nullptr, q);
    ASSERT_TRUE(page.ok()) << page.error().detail;
    for (const auto& a : page->items) paged.push_back(a.title);
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  EXPECT_EQ(paged, (Titles{"公积金缴存基数调整", "公积金提取条件", "购房贷款办理"}));
  q.cursor = "not-a-cursor";
  auto bad = kb.Search(nullptr, q);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(KnowledgeCatalogue, LikeWildcardsInTheQueryAreLiteral) {
  Publish("满意率统计口径", "今年满意率100%的单位受表扬。", 1);
  Publish("办件数量", "全年共1000件,同比增长。", 2);
  Publish("a_b 接口说明", "字段名带下划线。", 3);
  Publish("axb 接口说明", "没有下划线。", 4);
  Publish("文件路径", "模板放在 C:\\模板 目录。", 5);

  EXPECT_EQ(Find("100%"), Titles{"满意率统计口径"});
  EXPECT_EQ(Find("0%"), Titles{"满意率统计口径"});
  EXPECT_EQ(Find("%"), Titles{"满意率统计口径"});
  EXPECT_EQ(Find("a_b"), Titles{"a_b 接口说明"});
  EXPECT_EQ(Find("_"), Titles{"a_b 接口说明"});
  EXPECT_EQ(Find("\\"), Titles{"文件路径"});
  EXPECT_EQ(Find("c:\\模板"), Titles{"文件路径"});
  EXPECT_EQ(Find("\"说明"), Titles{});  // a quote cannot break out of the FTS phrase
}

TEST_P(KnowledgeCatalogue, TheIndexFollowsEditsInTheSameTransaction) {
  Article a = Publish("停水通知", "东昌区明日停水。", 1);
  EXPECT_EQ(Find("东昌区"), Titles{"停水通知"});
  app::KnowledgeService kb(db());
  ArticleInput in{"停水通知", "二道江区明日停水。", {}, std::nullopt, std::nullopt};
  auto u = kb.Update(Editor(), a.id, a.version, in, MetaAt(kT0 + std::chrono::minutes(3)));
  ASSERT_TRUE(u.ok()) << u.error().detail;
  EXPECT_EQ(Find("东昌区"), Titles{});
  EXPECT_EQ(Find("二道江"), Titles{"停水通知"});
  auto archived = kb.Archive(Editor(), a.id, u->version, MetaAt(kT0));
  ASSERT_TRUE(archived.ok()) << archived.error().detail;
  EXPECT_EQ(Find("二道江"), Titles{});  // archived: no longer public
}

TEST_P(KnowledgeCatalogue, AStaleVersionIsAVersionConflict) {
  app::KnowledgeService kb(db());
  app::Principal zj = As("zjhandler");
  ArticleInput in{"物业费标准", "按合同约定收取。", {"物业"}, std::nullopt, std::nullopt};
  auto a = kb.Create(zj, in, MetaAt(kT0));
  ASSERT_TRUE(a.ok()) << a.error().detail;
  EXPECT_EQ(a->version, 1);
  EXPECT_EQ(a->org_id, Org("zjj"));  // defaults to the editor's unit
  EXPECT_EQ(a->status, ArticleStatus::kDraft);
  in.body = "按物业服务合同约定收取,政府指导价另行公布。";
  auto v2 = kb.Update(zj, a->id, 1, in, MetaAt(kT0));
  ASSERT_TRUE(v2.ok()) << v2.error().detail;
  EXPECT_EQ(v2->version, 2);
  auto stale = kb.Update(zj, a->id, 1, in, MetaAt(kT0));  // another editor still holds v1
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kVersionConflict);
  auto stale_publish = kb.Publish(zj, a->id, 1, MetaAt(kT0));
  ASSERT_FALSE(stale_publish.ok());
  EXPECT_EQ(stale_publish.error().code, ErrorCode::kVersionConflict);
  auto published = kb.Publish(zj, a->id, 2, MetaAt(kT0));
  ASSERT_TRUE(published.ok()) << published.error().detail;
  EXPECT_EQ(published->version, 3);
  EXPECT_TRUE(published->published_at.has_value());
  auto again = kb.Publish(zj, a->id, std::nullopt, MetaAt(kT0));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kIllegalTransition);
  auto got = kb.Get(nullptr, a->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->body, "按物业服务合同约定收取,政府指导价另行公布。");
  auto audit = app::VerifyAudit(db());
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(audit->ok) << audit->detail;
}

TEST_P(KnowledgeCatalogue, EditorsActOnlyOnTheirUnitsSubtree) {
  app::KnowledgeService kb(db());
  app::Principal zj = As("zjhandler");
  app::Principal cg = As("cghandler");
  // 住建局's handler writes for 物业科 (its subtree).
  ArticleInput in{"维修基金使用", "经业主表决后使用。", {}, std::nullopt, Org("zjj.wy")};
  auto a = kb.Create(zj, in, MetaAt(kT0));
  ASSERT_TRUE(a.ok()) << a.error().detail;
  // 城管局's handler neither sees the draft nor edits it: not found, as if absent.
  auto seen = kb.Get(&cg, a->id);
  ASSERT_FALSE(seen.ok());
  EXPECT_EQ(seen.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(kb.Get(nullptr, a->id).ok());
  auto edit = kb.Update(cg, a->id, a->version, in, MetaAt(kT0));
  ASSERT_FALSE(edit.ok());
  EXPECT_EQ(edit.error().code, ErrorCode::kNotFound);
  auto publish = kb.Publish(cg, a->id, std::nullopt, MetaAt(kT0));
  ASSERT_FALSE(publish.ok());
  EXPECT_EQ(publish.error().code, ErrorCode::kNotFound);
  // Nor may it create articles for 住建局.
  in.org_id = Org("zjj");
  auto create = kb.Create(cg, in, MetaAt(kT0));
  ASSERT_FALSE(create.ok());
  EXPECT_EQ(create.error().code, ErrorCode::kForbidden);
  // Draft listings are scoped; the public cannot ask for drafts at all.
  ArticleQuery drafts;
  drafts.status = ArticleStatus::kDraft;
  auto mine = kb.Search(&zj, drafts);
  ASSERT_TRUE(mine.ok()) << mine.error().detail;
  EXPECT_EQ(mine->items.size(), 1u);
  auto theirs = kb.Search(&cg, drafts);
  ASSERT_TRUE(theirs.ok()) << theirs.error().detail;
  EXPECT_TRUE(theirs->items.empty());
  auto anon = kb.Search(nullptr, drafts);
  ASSERT_FALSE(anon.ok());
  EXPECT_EQ(anon.error().code, ErrorCode::kForbidden);
  // Once published everyone reads it, and 城管局 still cannot edit it.
  ASSERT_TRUE(kb.Publish(zj, a->id, std::nullopt, MetaAt(kT0)).ok());
  EXPECT_TRUE(kb.Get(&cg, a->id).ok());
  EXPECT_TRUE(kb.Get(nullptr, a->id).ok());
  EXPECT_EQ(kb.Update(cg, a->id, 2, in, MetaAt(kT0)).error().code, ErrorCode::kNotFound);
}

TEST_P(KnowledgeCatalogue, ArticleInputIsValidated) {
  app::KnowledgeService kb(db());
  ArticleInput in{"", "正文", {"a,b"}, std::string("no.such"), Org("zjj")};
  auto r = kb.Create(Editor(), in, MetaAt(kT0));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  std::set<std::string> fields;
  for (const auto& f : r.error().fields) fields.insert(f.field);
  EXPECT_TRUE(fields.count("title"));
  EXPECT_TRUE(fields.count("keywords/0"));
  in.title = "标题";
  in.keywords = {};
  auto cat = kb.Create(Editor(), in, MetaAt(kT0));
  ASSERT_FALSE(cat.ok());
  EXPECT_EQ(cat.error().fields.at(0).field, "category");
}

// ---- dispatch catalogue -------------------------------------------------------------------------

app::CategoryInput Cat(std::string code, std::string name,
                       std::vector<app::AttributeDef> attributes = {}) {
  app::CategoryInput c;
  c.code = std::move(code);
  c.name = std::move(name);
  c.attributes = std::move(attributes);
  for (size_t i = 0; i < c.attributes.size(); ++i) c.attributes[i].order = static_cast<int>(i) + 1;
  return c;
}

app::AttributeDef Attr(std::string code, app::AttributeType type, bool required,
                       std::vector<app::AttributeValue> values = {}) {
  app::AttributeDef a;
  a.code = std::move(code);
  a.datatype = type;
  a.required = required;
  a.description = "问题 " + a.code;
  a.values = std::move(values);
  return a;
}

TEST_P(KnowledgeCatalogue, SuggestionsFallBackFromTheRegionToItsParentsToAnyRegion) {
  app::CatalogueService catalogue(db());
  app::Principal d = As("dispatcher");
  ASSERT_TRUE(catalogue.CreateCategory(d, Cat("urban", "城市管理"), MetaAt(kT0)).ok());
  ASSERT_TRUE(catalogue.CreateCategory(d, Cat("urban.road", "道路破损"), MetaAt(kT0)).ok());
  ASSERT_TRUE(catalogue.CreateCategory(d, Cat("urban.road.manhole", "井盖"), MetaAt(kT0)).ok());
  auto rule = [&](std::optional<std::string> region, const std::string& lead,
                  std::vector<int64_t> co, int priority) {
    app::RuleInput in;
    in.category_code = "urban.road";
    in.region_code = std::move(region);
    in.lead_org_id = Org(lead);
    in.co_org_ids = std::move(co);
    in.priority = priority;
    auto r = catalogue.CreateRule(d, in, MetaAt(kT0));
    EXPECT_TRUE(r.ok()) << r.error().detail;
    return r.ok() ? r->id : 0;
  };
  const int64_t dongchang = rule("220502", "dongchang", {}, 10);
  rule("220500", "cgj", {Org("zjj")}, 20);
  rule(std::nullopt, "city", {Org("cgj")}, 100);  // cgj again as co-unit: listed once

  auto names = [](const std::vector<app::UnitSuggestion>& s) {
    std::vector<std::string> out;
    for (const auto& x : s)
      out.push_back(x.unit.code + "/" + x.role + "/" + std::string(app::RuleMatchName(x.match)));
    return out;
  };
  auto in_dongchang = catalogue.SuggestUnits(d, "urban.road", "220502");
  ASSERT_TRUE(in_dongchang.ok()) << in_dongchang.error().detail;
  EXPECT_EQ(names(*in_dongchang), (Titles{"dongchang/lead/region", "cgj/lead/parent_region",
                                          "zjj/co/parent_region", "city/lead/any_region"}));
  EXPECT_NE(in_dongchang->front().reason.find("东昌区(220502)"), std::string::npos)
      << in_dongchang->front().reason;

  // 220503 is not in the regions table: its parent follows from the code (220500).
  auto elsewhere = catalogue.SuggestUnits(d, "urban.road", "220503");
  ASSERT_TRUE(elsewhere.ok()) << elsewhere.error().detail;
  EXPECT_EQ(names(*elsewhere),
            (Titles{"cgj/lead/parent_region", "zjj/co/parent_region", "city/lead/any_region"}));
  auto nowhere = catalogue.SuggestUnits(d, "urban.road", "");
  ASSERT_TRUE(nowhere.ok());
  EXPECT_EQ(names(*nowhere), (Titles{"city/lead/any_region", "cgj/co/any_region"}));

  // A subcategory without rules of its own inherits its parent's.
  auto manhole = catalogue.SuggestUnits(d, "urban.road.manhole", "220502");
  ASSERT_TRUE(manhole.ok());
  ASSERT_FALSE(manhole->empty());
  EXPECT_EQ(manhole->front().unit.code, "dongchang");
  EXPECT_EQ(manhole->front().rule_category, "urban.road");
  // The top category has no rules: nothing to suggest.
  auto top = catalogue.SuggestUnits(d, "urban", "220502");
  ASSERT_TRUE(top.ok());
  EXPECT_TRUE(top->empty());

  // A deactivated rule no longer applies.
  ASSERT_TRUE(catalogue.DeactivateRule(d, dongchang, 1, MetaAt(kT0)).ok());
  auto after = catalogue.SuggestUnits(d, "urban.road", "220502");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->front().unit.code, "cgj");

  EXPECT_EQ(catalogue.SuggestUnits(d, "no.such", "220502").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(catalogue.SuggestUnits(d, "urban.road", "22").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalogue.SuggestUnits(As("zjhandler"), "urban.road", "220502").error().code,
            ErrorCode::kForbidden);
}

TEST_P(KnowledgeCatalogue, RulesAreVersionedAndScoped) {
  app::CatalogueService catalogue(db());
  app::Principal d = As("dispatcher");
  ASSERT_TRUE(catalogue.CreateCategory(d, Cat("water", "供水"), MetaAt(kT0)).ok());
  app::RuleInput in;
  in.category_code = "water";
  in.lead_org_id = Org("zjj");
  auto r = catalogue.CreateRule(d, in, MetaAt(kT0));
  ASSERT_TRUE(r.ok()) << r.error().detail;
  in.priority = 5;
  in.co_org_ids = {Org("cgj")};
  auto v2 = catalogue.UpdateRule(d, r->id, 1, in, MetaAt(kT0));
  ASSERT_TRUE(v2.ok()) << v2.error().detail;
  EXPECT_EQ(v2->version, 2);
  ASSERT_EQ(v2->co_units.size(), 1u);
  EXPECT_EQ(v2->co_units[0].code, "cgj");
  EXPECT_EQ(catalogue.UpdateRule(d, r->id, 1, in, MetaAt(kT0)).error().code,
            ErrorCode::kVersionConflict);
  // Bad input names the fields.
  app::RuleInput bad = in;
  bad.region_code = "999999";
  bad.co_org_ids = {Org("zjj")};  // the lead again
  auto invalid = catalogue.CreateRule(d, bad, MetaAt(kT0));
  ASSERT_FALSE(invalid.ok());
  std::set<std::string> fields;
  for (const auto& f : invalid.error().fields) fields.insert(f.field);
  EXPECT_TRUE(fields.count("region_code"));
  EXPECT_TRUE(fields.count("co_org_ids/0"));
  // Only dispatch:rule:edit holders; a district system admin only within its district.
  EXPECT_EQ(catalogue.CreateRule(As("zjhandler"), in, MetaAt(kT0)).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(catalogue.CreateRule(As("dcadmin"), in, MetaAt(kT0)).error().code,
            ErrorCode::kForbidden);
  app::RuleInput district = in;
  district.lead_org_id = Org("dongchang");
  district.co_org_ids = {};
  district.region_code = "220502";
  EXPECT_TRUE(catalogue.CreateRule(As("dcadmin"), district, MetaAt(kT0)).ok());
  auto listed = catalogue.ListRules(d, {.category_code = "water"});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(listed->front().region_code, std::optional<std::string>("220502"));  // any-region last
  auto audit = app::VerifyAudit(db());
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(audit->ok) << audit->detail;
}

TEST_P(KnowledgeCatalogue, CategoriesAreATreeEditedCityWideWithVersions) {
  app::CatalogueService catalogue(db());
  app::Principal d = As("dispatcher");
  EXPECT_EQ(
      catalogue.CreateCategory(d, Cat("heating.not_warm", "暖气不热"), MetaAt(kT0)).error().code,
      ErrorCode::kInvalidArgument);  // the parent must exist first
  ASSERT_TRUE(catalogue.CreateCategory(d, Cat("heating", "供热"), MetaAt(kT0)).ok());
  auto child = catalogue.CreateCategory(d, Cat("heating.not_warm", "暖气不热"), MetaAt(kT0));
  ASSERT_TRUE(child.ok()) << child.error().detail;
  EXPECT_EQ(child->group, "供热");  // listed under its top-level ancestor
  EXPECT_EQ(catalogue.CreateCategory(d, Cat("heating", "供热"), MetaAt(kT0)).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(catalogue.CreateCategory(d, Cat("Bad Code", "x"), MetaAt(kT0)).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalogue.CreateCategory(As("zjhandler"), Cat("gas", "燃气"), MetaAt(kT0)).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(catalogue.CreateCategory(As("dcadmin"), Cat("gas", "燃气"), MetaAt(kT0)).error().code,
            ErrorCode::kForbidden);  // a district admin is not city-wide

  // A list attribute needs values; a plain one must not have them.
  auto no_values = Cat("heating.fee", "供热收费",
                       {Attr("mode", app::AttributeType::kSingleValueList, true),
                        Attr("x", app::AttributeType::kNumber, false, {{"a", "A"}})});
  auto invalid = catalogue.CreateCategory(d, no_values, MetaAt(kT0));
  ASSERT_FALSE(invalid.ok());
  ASSERT_EQ(invalid.error().fields.size(), 2u);
  EXPECT_EQ(invalid.error().fields[0].field, "attributes/0/values");
  EXPECT_EQ(invalid.error().fields[1].field, "attributes/1/values");

  app::CategoryInput update =
      Cat("", "暖气不热(室温低)", {Attr("indoor_temperature", app::AttributeType::kNumber, true)});
  auto v2 = catalogue.UpdateCategory(d, "heating.not_warm", 1, update, MetaAt(kT0));
  ASSERT_TRUE(v2.ok()) << v2.error().detail;
  EXPECT_EQ(v2->version, 2);
  ASSERT_EQ(v2->attributes.size(), 1u);
  EXPECT_EQ(catalogue.UpdateCategory(d, "heating.not_warm", 1, update, MetaAt(kT0)).error().code,
            ErrorCode::kVersionConflict);
  update.is_public = false;
  ASSERT_TRUE(catalogue.UpdateCategory(d, "heating.not_warm", 2, update, MetaAt(kT0)).ok());
  auto public_list = catalogue.ListCategories(true);
  ASSERT_TRUE(public_list.ok());
  ASSERT_EQ(public_list->size(), 1u);  // the non-public child is hidden from citizens
  EXPECT_EQ(catalogue.GetCategory("heating.not_warm", true).error().code, ErrorCode::kNotFound);
  auto staff_list = catalogue.ListCategories(false);
  ASSERT_TRUE(staff_list.ok());
  ASSERT_EQ(staff_list->size(), 2u);
  EXPECT_EQ(staff_list->front().code, "heating");  // parents first
}

TEST_P(KnowledgeCatalogue, AttributeValuesAreCheckedAgainstTheirDefinitions) {
  app::CatalogueService catalogue(db());
  app::Principal d = As("dispatcher");
  ASSERT_TRUE(catalogue.CreateCategory(d, Cat("heating", "供热"), MetaAt(kT0)).ok());
  app::AttributeDef notice = Attr("notice", app::AttributeType::kString, false);
  notice.variable = false;
  auto cat = Cat("heating.not_warm", "暖气不热",
                 {Attr("indoor_temperature", app::AttributeType::kNumber, true),
                  Attr("community", app::AttributeType::kString, true),
                  Attr("heating_mode", app::AttributeType::kSingleValueList, true,
                       {{"central", "集中供热"}, {"district", "小区锅炉房"}}),
                  Attr("periods", app::AttributeType::kMultiValueList, false,
                       {{"day", "白天"}, {"night", "夜间"}}),
                  Attr("since", app::AttributeType::kDatetime, false), notice});
  ASSERT_TRUE(catalogue.CreateCategory(d, cat, MetaAt(kT0)).ok());

  auto check = [&](const app::AttributeValues& v) {
    return catalogue.ValidateAttributes("heating.not_warm", v);
  };
  auto fields_of = [](const Status& s) {
    std::vector<std::string> out;
    if (!s.ok()) {
      for (const auto& f : s.error().fields) out.push_back(f.field);
    }
    return out;
  };
  app::AttributeValues good = {{"indoor_temperature", {"15.5"}},
                               {"community", {"江南小区"}},
                               {"heating_mode", {"central"}},
                               {"periods", {"day", "night"}},
                               {"since", {"2026-01-05T20:00:00+08:00"}}};
  EXPECT_TRUE(check(good).ok()) << check(good).error().detail;

  Status missing = check({{"community", {"江南小区"}}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(fields_of(missing),
            (Titles{"attribute[indoor_temperature]", "attribute[heating_mode]"}));

  auto bad = good;
  bad["indoor_temperature"] = {"十五度"};
  bad["heating_mode"] = {"gas"};
  bad["since"] = {"yesterday"};
  EXPECT_EQ(fields_of(check(bad)), (Titles{"attribute[indoor_temperature]",
                                           "attribute[heating_mode]", "attribute[since]"}));
  Status wrong_key = check(bad);
  EXPECT_NE(wrong_key.error().fields[1].message.find("central, district"), std::string::npos);

  auto many = good;
  many["heating_mode"] = {"central", "district"};  // one value only
  many["community"] = {"甲", "乙"};
  EXPECT_EQ(fields_of(check(many)), (Titles{"attribute[community]", "attribute[heating_mode]"}));
  auto dup = good;
  dup["periods"] = {"night", "night"};
  EXPECT_EQ(fields_of(check(dup)), Titles{"attribute[periods]"});
  auto unknown = good;
  unknown["colour"] = {"red"};
  unknown["notice"] = {"x"};
  EXPECT_EQ(fields_of(check(unknown)), (Titles{"attribute[colour]", "attribute[notice]"}));
  auto blank = good;
  blank["community"] = {"  "};  // blank is missing
  EXPECT_EQ(fields_of(check(blank)), Titles{"attribute[community]"});
  EXPECT_EQ(catalogue.ValidateAttributes("no.such", good).error().code, ErrorCode::kNotFound);
}

// ---- the demo catalogue -------------------------------------------------------------------------

std::filesystem::path DemoDir() {
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "config" /
         "demo";
}

// A fresh database without the test world: the demo city brings its own organisations.
class DemoCatalogue : public StorageTest {};

TEST_P(DemoCatalogue, LoadsOnceAfterTheDemoCity) {
  auto early = app::LoadDemoCatalogue(db(), DemoDir() / "catalogue.json", kT0);
  ASSERT_FALSE(early.ok());  // the demo city's organisations are missing
  EXPECT_NE(early.error().detail.find("huiyin demo"), std::string::npos) << early.error().detail;

  app::DemoOptions options;
  options.now = kT0;
  options.password = "Demo-Tonghua-2026";
  auto city = app::LoadDemo(db(), crypto(), DemoDir() / "tonghua.json", options);
  ASSERT_TRUE(city.ok()) << city.error().detail;
  auto first = app::LoadDemoCatalogue(db(), DemoDir() / "catalogue.json", kT0);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_FALSE(first->already_loaded);
  EXPECT_GE(first->categories, 15);
  EXPECT_GE(first->rules, 15);
  EXPECT_GE(first->articles, 10);
  auto second = app::LoadDemoCatalogue(db(), DemoDir() / "catalogue.json", kT0);
  ASSERT_TRUE(second.ok()) << second.error().detail;
  EXPECT_TRUE(second->already_loaded);
  EXPECT_EQ(second->categories + second->rules + second->articles, 0);

  app::KnowledgeService kb(db());
  ArticleQuery q;
  q.q = "供暖期";
  auto found = kb.Search(nullptr, q);
  ASSERT_TRUE(found.ok());
  ASSERT_FALSE(found->items.empty());
  EXPECT_EQ(found->items.front().title, "本市供暖期起止时间");
  q.q = "落户";  // two characters
  found = kb.Search(nullptr, q);
  ASSERT_TRUE(found.ok());
  ASSERT_FALSE(found->items.empty());
  EXPECT_EQ(found->items.front().title, "户口迁入(落户)办理指南");

  app::AccountService accounts(db(), crypto());
  auto dispatcher = accounts.Login("dispatcher1", "Demo-Tonghua-2026", MetaAt(kT0));
  ASSERT_TRUE(dispatcher.ok()) << dispatcher.error().detail;
  app::CatalogueService catalogue(db());
  auto road = catalogue.SuggestUnits(dispatcher->principal, "urban.road", "220502");
  ASSERT_TRUE(road.ok()) << road.error().detail;
  ASSERT_FALSE(road->empty());
  EXPECT_EQ(road->front().unit.name, "东昌区城市管理局");
  auto heat = catalogue.GetCategory("heating.not_warm");
  ASSERT_TRUE(heat.ok());
  EXPECT_GE(heat->attributes.size(), 3u);
  auto all = catalogue.ListCategories(true);
  ASSERT_TRUE(all.ok());
  EXPECT_GE(all->size(), 15u);
  auto report = app::VerifyAudit(db());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->detail;
}

HUIYIN_STORAGE_SUITE(DemoCatalogue);
HUIYIN_STORAGE_SUITE(KnowledgeCatalogue);

}  // namespace
}  // namespace huiyin::conformance
