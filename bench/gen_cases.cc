// Data generator for the large-database benchmarks (docs/benchmarks.md, scripts/bench.sh).
//
// Writes N realistic cases directly through storage::Database, in batches of --batch cases per
// transaction, into a database that `huiyin migrate` and `huiyin demo` prepared (schema, regions,
// units, accounts). Works on `sqlite:PATH` and `postgresql://...` URLs.
//
//   gen_cases --db URL --key-file K --count N [--batch 2000] [--seed 1] [--profile mixed]
//             [--now 2026-11-27T09:00:00+08:00]
//
// Profiles:
//   mixed        appeals (every type) over the last two years, walked through the real appeal
//                workflow (core::ApplyClockEffects with config/workflows/appeal.json): received,
//                dispatched, handling, return review, extension, reply review, replied, closed,
//                not accepted, invalid, withdrawn; a share stuck open (hence overdue). Each case
//                gets its clocks (deadline_at/warn_at computed by core::Clock on the
//                shipped calendar, as storage::SaveClock stores them), pauses and extensions, and
//                one timeline event per step. Titles and text are Chinese, from word lists.
//   provisional  petitions accepted in the last 25 days whose 60-calendar-day handle clock ends
//                in 2027 (a year the shipped calendar does not have): one running provisional
//                clock per case, for timing `huiyin calendar import` of a 2027 calendar.
//
// Ids are assigned here (max(id) + 1 ...) so that rows go in as multi-row INSERTs (100 rows per
// statement); afterwards PostgreSQL's sequences are moved past them and case_number_seq is raised
// so that live intake continues the numbering. On SQLite the cases_fts triggers index every row.
// Prints rows/s and cases/s.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "huiyin/app/calendar_import.h"
#include "huiyin/app/crypto.h"
#include "huiyin/app/workflows.h"
#include "huiyin/common/time.h"
#include "huiyin/core/calendar.h"
#include "huiyin/core/clock.h"
#include "huiyin/core/identifiers.h"
#include "huiyin/core/workflow.h"
#include "huiyin/storage/clock_repository.h"
#include "huiyin/storage/database.h"

namespace {

using namespace huiyin;  // NOLINT
using storage::Param;
using storage::Row;
using storage::Tx;

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "gen_cases: " << what << "\n";
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.error().detail);
  return std::move(r).value();
}
void Must(const Status& s, const char* what) {
  if (!s.ok()) Die(std::string(what) + ": " + s.error().detail);
}

// A value owned until the rows are flushed.
using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;

// Rows of one table, flushed as multi-row INSERTs of at most `per_stmt` rows.
class Table {
 public:
  Table(std::string name, std::vector<std::string> columns, int per_stmt)
      : name_(std::move(name)), columns_(std::move(columns)), per_stmt_(per_stmt) {}

  void Add(std::vector<Value> row) {
    if (row.size() != columns_.size()) Die("column count for " + name_);
    values_.insert(values_.end(), std::make_move_iterator(row.begin()),
                   std::make_move_iterator(row.end()));
    ++rows_;
  }
  int64_t rows() const { return rows_; }

  Status Flush(Tx& tx) {
    const size_t ncol = columns_.size();
    size_t done = 0;
    std::vector<Param> params;
    while (done < static_cast<size_t>(rows_)) {
      const size_t n = std::min<size_t>(per_stmt_, rows_ - done);
      std::string& sql = SqlFor(n);
      params.clear();
      params.reserve(n * ncol);
      for (size_t i = done * ncol; i < (done + n) * ncol; ++i) {
        const Value& v = values_[i];
        switch (v.index()) {
          case 0:
            params.emplace_back(nullptr);
            break;
          case 1:
            params.emplace_back(std::get<int64_t>(v));
            break;
          case 2:
            params.emplace_back(std::get<double>(v));
            break;
          default:
            params.emplace_back(std::string_view(std::get<std::string>(v)));
            break;
        }
      }
      auto r = tx.Exec(sql, storage::ParamSpan(params));
      if (!r.ok()) return std::move(r).error();
      done += n;
    }
    values_.clear();
    total_ += rows_;
    rows_ = 0;
    return Status::Ok();
  }
  int64_t total() const { return total_; }

 private:
  std::string& SqlFor(size_t n) {
    auto it = sql_.find(n);
    if (it != sql_.end()) return it->second;
    std::string tuple = "(";
    for (size_t i = 0; i < columns_.size(); ++i) tuple += i ? ", ?" : "?";
    tuple += ")";
    std::string sql = "INSERT INTO " + name_ + " (";
    for (size_t i = 0; i < columns_.size(); ++i) sql += (i ? ", " : "") + columns_[i];
    sql += ") VALUES ";
    for (size_t i = 0; i < n; ++i) sql += (i ? ", " : "") + tuple;
    return sql_.emplace(n, std::move(sql)).first->second;
  }

  std::string name_;
  std::vector<std::string> columns_;
  int per_stmt_;
  std::vector<Value> values_;
  int64_t rows_ = 0;
  int64_t total_ = 0;
  std::map<size_t, std::string> sql_;
};

// ---- Word lists -------------------------------------------------------------------------------

const std::vector<std::string> kPlaces = {
    "新站街道", "桃园街道", "快大茂镇", "朝阳镇",   "柳河镇",   "山城镇",   "通胜街道", "东昌路",
    "江南大街", "滨江路",   "建设大街", "龙泉街道", "民主街道", "光明小区", "幸福家园", "阳光花园",
    "金厂镇",   "二道江乡", "五道江镇", "鸭园镇",   "江东乡",   "团结路",   "新华大街", "胜利路"};
const std::vector<std::string> kSubjects = {"小区",   "路口",     "菜市场",   "学校门口", "公交站",
                                            "人行道", "居民楼",   "工地",     "广场",     "公园",
                                            "商业街", "农贸市场", "老旧小区", "地下通道", "停车场"};
struct Issue {
  const char* title;
  const char* detail;
  const char* category;
};
const std::vector<Issue> kIssues = {
    {"夜间施工噪音扰民", "连续多日夜间施工至凌晨,噪音严重影响居民休息", "环境保护/噪声污染"},
    {"路灯不亮", "多盏路灯长期不亮,夜间出行存在安全隐患", "城市管理/市政设施"},
    {"供暖温度不达标", "室内温度长期低于十八度,老人孩子难以过冬", "供热/供暖质量"},
    {"自来水浑浊", "自来水发黄浑浊有异味,无法正常饮用", "供水/水质"},
    {"道路坑洼积水", "路面破损坑洼严重,雨后大面积积水,车辆行人通行困难", "交通/道路养护"},
    {"违章占道经营", "商贩长期占用人行道经营,影响通行和环境卫生", "城市管理/市容秩序"},
    {"垃圾清运不及时", "垃圾桶满溢多日无人清运,气味难闻蚊蝇滋生", "城市管理/环境卫生"},
    {"物业服务不到位", "物业公司收费后不履行维修义务,电梯长期故障", "住房/物业管理"},
    {"拖欠农民工工资", "施工单位拖欠工资数月,多次讨要未果", "人社/劳动保障"},
    {"违法建设", "有住户私搭乱建占用公共绿地,影响邻里采光", "住建/违法建设"},
    {"公交车绕行不停站", "该线路公交车经常不按站点停靠,乘客候车时间过长", "交通/公共交通"},
    {"餐饮油烟扰民", "楼下饭店油烟直排,居民无法开窗", "环境保护/大气污染"},
    {"医保报销咨询", "咨询异地就医医保报销的办理流程和所需材料", "医疗卫生/医疗保障"},
    {"子女入学咨询", "咨询随迁子女就近入学的政策和报名时间", "教育/招生入学"},
    {"食品安全问题", "超市销售过期食品,要求相关部门查处", "市场监管/食品安全"},
    {"停车收费不合理", "停车场收费标准不公示,存在乱收费现象", "市场监管/价格"},
    {"井盖缺失", "井盖缺失未设置警示标志,存在严重安全隐患", "城市管理/市政设施"},
    {"窗口服务态度差", "办事窗口工作人员态度生硬推诿扯皮", "政务服务/作风效能"},
    {"表扬热心工作人员", "工作人员耐心细致帮助解决实际困难,特此表扬", "政务服务/表扬"},
    {"建议增设公交线路", "新建小区附近没有公交线路,建议增设线路方便出行", "交通/公共交通"}};
const std::vector<std::string> kSurnames = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄",
                                            "周", "吴", "孙", "马", "朱", "胡", "郭", "林"};
const std::vector<std::string> kGiven = {"晓明", "丽",   "建国", "秀英", "伟",   "芳",
                                         "志强", "桂兰", "海燕", "立新", "文华", "春梅"};
const std::vector<std::string> kChannels = {"phone",  "phone",  "phone",  "phone", "web",
                                            "mobile", "mobile", "letter", "visit", "sms"};

// ---- The walk through the workflow -------------------------------------------------------------

struct Step {
  const char* transition;
  double min_h, max_h;  // time after the previous step, hours
};

// Paths through the appeal workflow with weights (per mille).
struct Path {
  int weight;
  std::vector<Step> steps;
};
const std::vector<Path> kAppealPaths = {
    {760,
     {{"dispatch", 0.2, 20},
      {"sign_for", 0.1, 3},
      {"submit_reply", 4, 400},
      {"approve_reply", 1, 48},
      {"call_back", 4, 72}}},
    {60, {{"answer", 0.05, 2}}},  // enquiry answered from the knowledge base (types: enquiry)
    {40, {{"not_accept", 0.1, 4}}},
    {10, {{"invalidate", 0.1, 4}}},
    {10, {{"withdraw", 1, 48}}},
    {40,
     {{"dispatch", 0.2, 20},
      {"sign_for", 0.1, 3},
      {"request_extension", 24, 200},
      {"approve_extension", 1, 24},
      {"submit_reply", 24, 300},
      {"approve_reply", 1, 48},
      {"call_back", 4, 72}}},
    {40,
     {{"dispatch", 0.2, 20},
      {"return", 0.5, 20},
      {"reject_return", 1, 24},
      {"submit_reply", 4, 400},
      {"approve_reply", 1, 48},
      {"call_back", 4, 72}}},
    {40,
     {{"dispatch", 0.2, 20},
      {"sign_for", 0.1, 3},
      {"submit_reply", 4, 300},
      {"approve_reply", 1, 48},
      {"redo", 4, 72},
      {"submit_reply", 24, 200},
      {"approve_reply", 1, 48},
      {"call_back", 4, 72}}},
};

const char* ActorFor(std::string_view t) {
  if (t == "dispatch" || t == "reject_return" || t == "approve_extension" || t == "invalidate")
    return "派单员一";
  if (t == "sign_for" || t == "submit_reply" || t == "return" || t == "request_extension")
    return "承办人";
  if (t == "approve_reply") return "部门负责人";
  return "话务员一";
}
const char* RoleFor(std::string_view t) {
  if (t == "dispatch" || t == "reject_return" || t == "approve_extension" || t == "invalidate")
    return "dispatcher";
  if (t == "sign_for" || t == "submit_reply" || t == "return" || t == "request_extension")
    return "handler";
  if (t == "approve_reply") return "dept_head";
  return "hotline_agent";
}

struct Unit {
  int64_t id;
  std::string path;
};

struct Args {
  std::string db;
  std::string key_file;
  int64_t count = 0;
  int batch = 2000;
  uint32_t seed = 1;
  std::string profile = "mixed";
  std::string now;
};

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + k);
      return argv[++i];
    };
    if (k == "--db")
      a.db = next();
    else if (k == "--key-file")
      a.key_file = next();
    else if (k == "--count")
      a.count = std::stoll(next());
    else if (k == "--batch")
      a.batch = std::stoi(next());
    else if (k == "--seed")
      a.seed = static_cast<uint32_t>(std::stoul(next()));
    else if (k == "--profile")
      a.profile = next();
    else if (k == "--now")
      a.now = next();
    else
      Die("unknown argument " + k + " (see the comment at the top of bench/gen_cases.cc)");
  }
  if (a.db.empty() || a.key_file.empty() || a.count <= 0) {
    Die("usage: gen_cases --db URL --key-file K --count N [--batch 2000] [--seed 1] "
        "[--profile mixed|provisional] [--now ISO]");
  }
  if (a.profile != "mixed" && a.profile != "provisional") Die("unknown profile " + a.profile);
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = Parse(argc, argv);
  const Timestamp now = args.now.empty() ? Now() : Must(ParseIso(args.now), "--now");
  const int64_t now_ms = ToMillis(now);

  auto crypto = Must(app::Crypto::FromKeyFile(args.key_file), "key file");
  auto registry =
      Must(app::WorkflowRegistry::LoadDir(HUIYIN_SOURCE_DIR "/config/workflows"), "workflows");
  auto cal_data = Must(app::LoadCalendarDir(HUIYIN_SOURCE_DIR "/config/calendars"), "calendar");
  auto cal = Must(core::Calendar::Create(cal_data), "calendar");
  storage::DatabaseOptions options;
  auto db = Must(storage::OpenDatabase(args.db, options), "open database");
  const bool pg = db->dialect() == storage::Dialect::kPostgres;
  const int per_stmt = 100;

  // What the demo loaded: units (departments, utilities, townships), counties, next ids.
  std::vector<Unit> units;
  std::vector<std::string> regions;
  int64_t next_case = 1, next_clock = 1, next_event = 1;
  std::map<std::string, int64_t> seq;  // case_number_seq
  Must(db->Read([&](Tx& tx) -> Status {
    HUIYIN_TRY(
        tx.Query("SELECT id, path FROM orgs WHERE active = 1 AND kind IN ('department', 'utility', "
                 "'township') ORDER BY id",
                 {}, [&](const Row& r) {
                   units.push_back({r.Int(0), r.String(1)});
                 }));
    HUIYIN_TRY(tx.Query("SELECT code FROM regions WHERE level = 'county' ORDER BY code", {},
                        [&](const Row& r) { regions.push_back(r.String(0)); }));
    HUIYIN_TRY(tx.Query("SELECT prefix, last FROM case_number_seq", {},
                        [&](const Row& r) { seq[r.String(0)] = r.Int(1); }));
    // Also from the cases themselves: an interrupted run leaves cases but no sequence.
    HUIYIN_TRY(tx.Query(
        "SELECT substr(number, 1, 10), max(CAST(substr(number, 11) AS INTEGER)) FROM cases "
        "WHERE length(number) = 16 GROUP BY substr(number, 1, 10)",
        {}, [&](const Row& r) {
          auto& last = seq[r.String(0)];
          last = std::max(last, r.Int(1));
        }));
    auto max_id = [&](const char* table, int64_t& out) -> Status {
      HUIYIN_ASSIGN_OR_RETURN(
          auto m, tx.QueryInt(std::string("SELECT coalesce(max(id), 0) FROM ") + table));
      out = m.value_or(0) + 1;
      return Status::Ok();
    };
    HUIYIN_TRY(max_id("cases", next_case));
    HUIYIN_TRY(max_id("case_clocks", next_clock));
    HUIYIN_TRY(max_id("case_events", next_event));
    return Status::Ok();
  }),
       "read the demo city");
  if (units.empty() || regions.empty()) Die("no units/regions: run `huiyin demo` first");

  Table cases("cases",
              {"id",
               "number",
               "kind",
               "type",
               "channel",
               "state",
               "title",
               "content",
               "category",
               "region_code",
               "address",
               "requester_name_enc",
               "requester_phone_enc",
               "requester_phone_index",
               "requester_name_masked",
               "anonymous",
               "confidential",
               "lead_org_id",
               "reply",
               "check_code_hash",
               "version",
               "created_at",
               "updated_at",
               "closed_at",
               "dispatched_at",
               "signed_at",
               "replied_at",
               "called_back_at",
               "resolved",
               "satisfaction",
               "returns",
               "improper_returns",
               "extensions",
               "redo_count"},
              per_stmt / 2);
  Table clocks("case_clocks",
               {"id", "case_id", "name", "org_id", "unit", "length", "start_at", "stop_at",
                "warn_kind", "warn_numerator", "warn_denominator", "warn_units", "deadline_at",
                "warn_at", "paused", "is_window"},
               per_stmt);
  Table pauses("clock_pauses", {"clock_id", "seq", "reason", "from_at", "to_at"}, per_stmt);
  Table extensions("clock_extensions", {"clock_id", "seq", "length", "reason", "approved_by"},
                   per_stmt);
  Table events("case_events",
               {"id", "case_id", "at", "actor_name", "role", "action", "from_state", "to_state",
                "note", "public"},
               per_stmt);

  std::mt19937_64 rng(args.seed);
  auto uniform = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  auto pick = [&](const auto& v) -> const auto& {
    return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
  };
  auto chance = [&](double p) { return uniform(0, 1) < p; };
  // Units get skewed shares (city departments more than townships), as a real hotline does.
  std::vector<double> unit_weights;
  for (size_t i = 0; i < units.size(); ++i) unit_weights.push_back(1.0 + 8.0 / (1.0 + i % 7));
  std::discrete_distribution<size_t> unit_dist(unit_weights.begin(), unit_weights.end());
  std::vector<int> path_weights;
  for (const auto& p : kAppealPaths) path_weights.push_back(p.weight);
  std::discrete_distribution<size_t> path_dist(path_weights.begin(), path_weights.end());

  const core::WorkflowDef& appeal = *registry->Find("appeal");
  const core::WorkflowDef& petition = *registry->Find("petition");
  const bool provisional_profile = args.profile == "provisional";
  const int64_t day_ms = 86400000;
  const int64_t span_ms = provisional_profile ? 25 * day_ms : 730 * day_ms;

  auto number_for = [&](const std::string& prefix, int64_t created_ms) {
    std::string day = FormatDate(LocalDate(FromMillis(created_ms)));
    day.erase(std::remove(day.begin(), day.end(), '-'), day.end());
    std::string key = prefix + day;
    int64_t n = ++seq[key];
    char buf[24];
    std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(n));
    return key + buf;
  };

  const int64_t first_case = next_case;
  int64_t open_clocks = 0, overdue_cases = 0, provisional_clocks = 0;
  std::map<std::string, int64_t> by_state;
  auto gen_one = [&]() {
    const int64_t id = next_case++;
    const core::WorkflowDef& def = provisional_profile ? petition : appeal;
    // Created: spread over the span in id order, as a live system numbers its cases (a month is a
    // run of neighbouring rows), during the day (07:00-22:00 Shanghai), never in the future.
    const double position =
        (static_cast<double>(id - first_case) + uniform(0, 1)) / static_cast<double>(args.count);
    int64_t created = now_ms - span_ms + static_cast<int64_t>(position * span_ms);
    created = created - (created + 8 * 3600000) % day_ms +
              static_cast<int64_t>(uniform(-1, 14) * 3600000);
    if (created > now_ms - 60000) created = now_ms - static_cast<int64_t>(uniform(1, 600) * 60000);
    const Issue& issue = pick(kIssues);
    std::string place = pick(kPlaces);
    std::string subject = pick(kSubjects);
    std::string title = place + subject + issue.title;
    std::string content = "市民来电反映:" + place + subject + "附近" + issue.detail + "。" +
                          (chance(0.5) ? "此前已多次向有关单位反映,问题一直没有解决," : "") +
                          "请相关部门尽快核实处理并答复。";
    std::string type;
    std::vector<Step> steps;
    if (provisional_profile) {
      static const std::vector<std::string> ptypes = {"suggestion", "complaint", "claim"};
      type = pick(ptypes);
      steps = {{"transfer", 2, 72}, {"acknowledge", 2, 48}};
    } else {
      const Path& path = kAppealPaths[path_dist(rng)];
      steps = path.steps;
      static const std::vector<std::string> atypes = {
          "complaint", "complaint", "help", "help", "enquiry", "report", "suggestion", "praise"};
      type = steps[0].transition == std::string_view("answer") ? "enquiry" : pick(atypes);
      // 3% of cases stall at a random step (and run late), as in any real hotline.
      if (steps.size() > 1 && chance(0.03)) {
        steps.resize(1 + std::uniform_int_distribution<size_t>(0, steps.size() - 2)(rng));
      }
    }
    const std::string number = number_for(def.prefix, created);
    std::string name = pick(kSurnames) + pick(kGiven);
    char phone[16];
    std::snprintf(phone, sizeof phone, "13%09llu",
                  static_cast<unsigned long long>(rng() % 1000000000ULL));
    const bool confidential = def.Type(type) && def.Type(type)->confidential_requester;

    std::map<std::string, core::Clock> cmap;
    Must(core::ApplyClockEffects(def, def.intake_effects, type, FromMillis(created), 0, "system",
                                 cmap),
         "intake effects");
    std::string state = def.initial;
    events.Add({next_event++, id, created, std::string("话务员一"), std::string("hotline_agent"),
                std::string("intake"), std::string(""), state, std::string("channel phone"),
                int64_t{1}});
    int64_t at = created, version = 1;
    std::optional<int64_t> lead, closed_at, dispatched_at, signed_at, replied_at, called_back_at,
        resolved, satisfaction;
    int64_t returns = 0, improper = 0, ext = 0, redo = 0;
    std::string reply;
    for (const Step& s : steps) {
      int64_t next = at + static_cast<int64_t>(uniform(s.min_h, s.max_h) * 3600000);
      if (provisional_profile) next = std::min(next, now_ms - 1000);
      if (next > now_ms) break;
      const core::TransitionDef* t = def.Transition(s.transition);
      if (!t) Die(std::string("no transition ") + s.transition);
      if (!t->from.count(state)) break;  // e.g. a stalled path
      int days = t->name == "approve_extension" ? 5 : 0;
      if (!core::ApplyClockEffects(def, t->effects, type, FromMillis(next), days, ActorFor(t->name),
                                   cmap)
               .ok()) {
        break;
      }
      at = next;
      ++version;
      const std::string from = state;
      if (!t->to.empty()) state = t->to;
      std::string note;
      if (t->name == "dispatch") {
        lead = units[unit_dist(rng)].id;
        note = "派单";
      }
      if (t->name == "submit_reply") reply = "经核实,已责成相关单位整改,问题已处理完毕。";
      if (t->name == "return") note = "非本单位职责";
      if (t->name == "request_extension" || t->name == "approve_extension") note = "延期5个工作日";
      if (t->name == "call_back" || t->name == "redo") {
        bool ok = t->name == "call_back" && chance(0.85);
        resolved = ok ? 1 : 0;
        satisfaction =
            ok ? static_cast<int64_t>(3 + rng() % 3) : static_cast<int64_t>(1 + rng() % 2);
      }
      if (t->mark == "dispatched_at") dispatched_at = at;
      if (t->mark == "signed_at") signed_at = at;
      if (t->mark == "replied_at") replied_at = at;
      if (t->mark == "called_back_at") called_back_at = at;
      if (t->counter == "returns") ++returns;
      if (t->counter == "improper_returns") ++improper;
      if (t->counter == "extensions") ++ext;
      if (t->counter == "redo_count") ++redo;
      if (t->publishes_reply && reply.empty())
        reply = "您反映的问题已转相关部门处理,感谢您的来电。";
      events.Add({next_event++, id, at, std::string(ActorFor(t->name)),
                  std::string(RoleFor(t->name)), t->name, from, state, note,
                  int64_t{t->public_event ? 1 : 0}});
      if (const auto* sd = def.State(state); sd && sd->terminal) closed_at = at;
    }
    if (provisional_profile) lead = units[unit_dist(rng)].id;
    ++by_state[state];
    bool overdue = false;
    for (const auto& [cname, clock] : cmap) {
      const core::ClockFields& f = clock.fields();
      core::ClockStatus st = clock.Evaluate(*cal, now);
      Timestamp warn = clock.WarnAt(*cal, now);
      const core::ClockSpec* spec = def.ClockNamed(cname);
      const bool is_window = spec != nullptr && spec->window;
      const int64_t cid = next_clock++;
      const char* wk =
          f.warning.kind == core::WarningKind::kShareLeft ? "share_left" : "last_units";
      clocks.Add({cid, id, f.name, lead ? Value(*lead) : Value(nullptr),
                  std::string(core::ClockUnitName(f.unit)), int64_t{f.length}, ToMillis(f.start),
                  f.stop ? Value(ToMillis(*f.stop)) : Value(nullptr), std::string(wk),
                  int64_t{f.warning.numerator}, int64_t{f.warning.denominator},
                  int64_t{f.warning.units}, ToMillis(st.deadline), ToMillis(warn),
                  int64_t{clock.IsPaused() ? 1 : 0}, int64_t{is_window ? 1 : 0}});
      for (size_t i = 0; i < f.pauses.size(); ++i) {
        const auto& p = f.pauses[i];
        pauses.Add({cid, static_cast<int64_t>(i), p.reason, ToMillis(p.from),
                    p.to ? Value(ToMillis(*p.to)) : Value(nullptr)});
      }
      for (size_t i = 0; i < f.extensions.size(); ++i) {
        const auto& e = f.extensions[i];
        extensions.Add({cid, static_cast<int64_t>(i), int64_t{e.length}, e.reason, e.approved_by});
      }
      if (!f.stop) {
        ++open_clocks;
        if (st.provisional) ++provisional_clocks;
        if (!is_window && ToMillis(st.deadline) < now_ms) overdue = true;
      }
    }
    if (overdue) ++overdue_cases;
    const std::string masked = core::MaskName(name);
    cases.Add({id,
               number,
               def.kind,
               type,
               pick(kChannels),
               state,
               title,
               content,
               std::string(issue.category),
               pick(regions),
               place + subject,
               crypto.Encrypt(name),
               crypto.Encrypt(phone),
               crypto.BlindIndex("phone", phone),
               masked,
               int64_t{0},
               int64_t{confidential ? 1 : 0},
               lead ? Value(*lead) : Value(nullptr),
               reply,
               crypto.BlindIndex("check", number),
               version,
               created,
               at,
               closed_at ? Value(*closed_at) : Value(nullptr),
               dispatched_at ? Value(*dispatched_at) : Value(nullptr),
               signed_at ? Value(*signed_at) : Value(nullptr),
               replied_at ? Value(*replied_at) : Value(nullptr),
               called_back_at ? Value(*called_back_at) : Value(nullptr),
               resolved ? Value(*resolved) : Value(nullptr),
               satisfaction ? Value(*satisfaction) : Value(nullptr),
               returns,
               improper,
               ext,
               redo});
  };

  const auto t0 = std::chrono::steady_clock::now();
  double write_s = 0;
  int64_t written = 0;
  int64_t rows = 0;
  while (written < args.count) {
    const int64_t n = std::min<int64_t>(args.batch, args.count - written);
    for (int64_t i = 0; i < n; ++i) gen_one();
    const auto w0 = std::chrono::steady_clock::now();
    Must(db->Write([&](Tx& tx) -> Status {
      HUIYIN_TRY(cases.Flush(tx));  // parents first (foreign keys)
      HUIYIN_TRY(clocks.Flush(tx));
      HUIYIN_TRY(pauses.Flush(tx));
      HUIYIN_TRY(extensions.Flush(tx));
      HUIYIN_TRY(events.Flush(tx));
      return Status::Ok();
    }),
         "write a batch");
    write_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    written += n;
    if (written % 100000 < n || written == args.count) {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      rows = cases.total() + clocks.total() + pauses.total() + extensions.total() + events.total();
      std::fprintf(stderr, "  %lld cases, %lld rows, %.1f s, %.0f rows/s\n",
                   static_cast<long long>(written), static_cast<long long>(rows), s, rows / s);
    }
  }
  // Numbering continues after the generated cases; PostgreSQL sequences move past our ids.
  Must(db->Write([&](Tx& tx) -> Status {
    for (const auto& [prefix, last] : seq) {
      HUIYIN_TRY(tx.Exec(
          "INSERT INTO case_number_seq (prefix, last) VALUES (?, ?) ON CONFLICT (prefix) DO "
          "UPDATE SET last = CASE WHEN excluded.last > case_number_seq.last THEN "
          "excluded.last ELSE case_number_seq.last END",
          {prefix, last}));
    }
    if (pg) {
      for (const char* t : {"cases", "case_clocks", "case_events"}) {
        HUIYIN_TRY(tx.Query(std::string("SELECT setval(pg_get_serial_sequence('") + t +
                                "', 'id'), (SELECT max(id) FROM " + t + "))",
                            {}, [](const Row&) {}));
      }
    }
    return Status::Ok();
  }),
       "finish");
  if (pg) {
    Must(db->Write([&](Tx& tx) -> Status {
      return tx.ExecScript("ANALYZE cases; ANALYZE case_clocks; ANALYZE case_events;");
    }),
         "analyze");
  } else {
    Must(db->Write([&](Tx& tx) -> Status { return tx.ExecScript("ANALYZE;"); }), "analyze");
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rows = cases.total() + clocks.total() + pauses.total() + extensions.total() + events.total();
  std::printf(
      "generated %lld cases (%s, %s) in %.1f s: %.0f cases/s, %lld rows, %.0f rows/s "
      "(write %.1f s)\n  clocks %lld (open %lld, provisional %lld), events %lld, pauses %lld, "
      "extensions %lld, overdue cases %lld\n  states:",
      static_cast<long long>(args.count), args.profile.c_str(), db->Describe().c_str(), s,
      args.count / s, static_cast<long long>(rows), rows / s, write_s,
      static_cast<long long>(clocks.total()), static_cast<long long>(open_clocks),
      static_cast<long long>(provisional_clocks), static_cast<long long>(events.total()),
      static_cast<long long>(pauses.total()), static_cast<long long>(extensions.total()),
      static_cast<long long>(overdue_cases));
  for (const auto& [st, n] : by_state)
    std::printf(" %s=%lld", st.c_str(), static_cast<long long>(n));
  std::printf("\n");
  db->Close();
  return 0;
}
