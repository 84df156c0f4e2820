// Reading calendar files: the shipped config/calendars data, chinese-days JSON, CSV uploads, and
// errors that name the line or key.
#include "huiyin/app/calendar_import.h"

#include <gtest/gtest.h>

#include <string>

namespace huiyin::app {
namespace {

using core::Calendar;
using core::CalendarData;
using core::OfficialDayKind;

Date D(const char* text) {
  return *ParseDate(text);
}

int Count(const CalendarData& data, int year, OfficialDayKind kind) {
  int n = 0;
  for (const auto& [date, day] : data.official_days) {
    if (std::chrono::year_month_day{date}.year() == std::chrono::year{year} && day.kind == kind) {
      ++n;
    }
  }
  return n;
}

void ExpectInvalid(const Result<CalendarData>& result, const std::string& where,
                   const std::string& words) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  ASSERT_FALSE(result.error().fields.empty());
  EXPECT_EQ(result.error().fields[0].field, where) << result.error().detail;
  EXPECT_NE(result.error().detail.find(words), std::string::npos) << result.error().detail;
}

const char* kDir = HUIYIN_SOURCE_DIR "/config/calendars";

TEST(CalendarImportTest, ShippedDirectoryHasTheOfficialYears2004To2026) {
  auto data = LoadCalendarDir(kDir);
  ASSERT_TRUE(data.ok()) << data.error().detail;
  EXPECT_EQ(*data->years.begin(), 2004);
  EXPECT_EQ(*data->years.rbegin(), 2026);
  EXPECT_EQ(data->years.size(), 23u);
  EXPECT_EQ(data->source.rfind("chinese-days@", 0), 0u) << data->source;
  EXPECT_EQ(Count(*data, 2025, OfficialDayKind::kOff), 28);
  EXPECT_EQ(Count(*data, 2025, OfficialDayKind::kWork), 5);
  EXPECT_EQ(Count(*data, 2026, OfficialDayKind::kOff), 33);
  EXPECT_EQ(Count(*data, 2026, OfficialDayKind::kWork), 6);
  EXPECT_EQ(data->official_days.at(D("2025-10-06")).name, "中秋");
  auto cal = Calendar::Create(*data);
  ASSERT_TRUE(cal.ok());
  EXPECT_TRUE((*cal)->IsWorkingDay(D("2026-02-28")));
  EXPECT_EQ(FormatDate((*cal)->AddWorkingDays(D("2025-09-26"), 20).date), "2025-10-30");
}

TEST(CalendarImportTest, ReadsTheChineseDaysPackageFormat) {
  auto data = ParseCalendarFile(R"({
      "holidays": {"2025-10-01": "National Day,国庆节,8", "2025-10-06": "Mid-autumn Festival,中秋,8"},
      "workdays": {"2025-09-28": "National Day,国庆节,8"},
      "inLieuDays": {"2025-10-07": "National Day,国庆节,8"}})",
                                "chinese-days.json");
  ASSERT_TRUE(data.ok()) << data.error().detail;
  EXPECT_EQ(data->years, (std::set<int>{2025}));
  EXPECT_EQ(data->official_days.size(), 3u);
  EXPECT_EQ(data->official_days.at(D("2025-10-06")).name, "中秋");
  EXPECT_EQ(data->official_days.at(D("2025-09-28")).kind, OfficialDayKind::kWork);

  ExpectInvalid(ParseCalendarFile(R"({"holidays": {"2025-13-01": "x,y,1"}, "workdays": {}})",
                                  "chinese-days.json"),
                "/holidays/2025-13-01", "not a real date");
  ExpectInvalid(ParseCalendarFile(R"({"holidays": {"2025-10-01": "x,国庆节,1"},
                                      "workdays": {"2025-10-01": "x,国庆节,1"}})",
                                  "chinese-days.json"),
                "/workdays/2025-10-01", "both a day off and a working day");
  ExpectInvalid(ParseCalendarFile(R"({"holidays": {"2025-10-01": 3}, "workdays": {}})", "c.json"),
                "/holidays/2025-10-01", "non-empty string");
}

TEST(CalendarImportTest, ReadsOurOwnFormat) {
  auto data = ParseCalendarFile(R"({"format": "huiyin-calendar/1", "source": "test",
      "years": [2026], "days": [{"date": "2026-02-14", "kind": "work", "name": "春节"},
                                {"date": "2026-02-15", "kind": "off", "name": "春节"}]})",
                                "cn.json");
  ASSERT_TRUE(data.ok()) << data.error().detail;
  EXPECT_EQ(data->source, "test");
  EXPECT_EQ(data->years, (std::set<int>{2026}));
  EXPECT_EQ(data->official_days.at(D("2026-02-14")).kind, OfficialDayKind::kWork);
}

TEST(CalendarImportTest, JsonErrorsNameTheKey) {
  auto parse = [](const char* text) { return ParseCalendarFile(text, "cn.json"); };
  ExpectInvalid(parse("{\"years\": [2026], \"days\": ["), "/", "not valid JSON");
  ExpectInvalid(parse(R"({"years": [2026], "days": [{"date": "2026-02-30", "kind": "off",
                                                     "name": "x"}]})"),
                "/days/0/date", "2026-02-30");
  ExpectInvalid(parse(R"({"years": [2026], "days": [{"date": "2026-02-15", "kind": "holiday",
                                                     "name": "x"}]})"),
                "/days/0/kind", "\"off\" or \"work\"");
  ExpectInvalid(parse(R"({"years": [2026], "days": [{"date": "2026-02-15", "kind": "off"}]})"),
                "/days/0/name", "non-empty");
  ExpectInvalid(parse(R"({"years": [2026], "days": [
                  {"date": "2026-02-15", "kind": "off", "name": "春节"},
                  {"date": "2026-02-15", "kind": "work", "name": "春节"}]})"),
                "/days/1/date", "listed twice (first at /days/0)");
  ExpectInvalid(parse(R"({"years": ["2026"], "days": []})"), "/years/0", "integer");
  ExpectInvalid(parse(R"({"years": [1776], "days": []})"), "/years/0", "outside the years");
  ExpectInvalid(parse(R"({"days": []})"), "/years", "array");
  ExpectInvalid(parse(R"({"years": [2026], "days": [{"date": "2026-02-15", "kind": "off",
                                                     "name": "x", "nmae": "y"}]})"),
                "/days/0/nmae", "unknown key");
  ExpectInvalid(parse(R"({"format": "other/2", "years": [2026], "days": []})"), "/format",
                "huiyin-calendar/1");
  ExpectInvalid(parse(R"([1, 2])"), "/", "JSON object");
  ExpectInvalid(parse(R"({"foo": 1})"), "/", "neither");
}

TEST(CalendarImportTest, ReadsCsvWithHeaderBomCrlfAndComments) {
  auto data = ParseCalendarFile(
      "\xEF\xBB\xBF"
      "date,kind,name\r\n"
      "# fictional 2027 arrangement for this test\r\n"
      "2027-01-01,off,元旦\r\n"
      "\r\n"
      " 2027-01-09 , WORK , \"元旦, 调休\"\r\n",
      "cn-2027.csv");
  ASSERT_TRUE(data.ok()) << data.error().detail;
  EXPECT_EQ(data->years, (std::set<int>{2027}));
  EXPECT_EQ(data->source, "cn-2027.csv");
  EXPECT_EQ(data->official_days.at(D("2027-01-09")).kind, OfficialDayKind::kWork);
  EXPECT_EQ(data->official_days.at(D("2027-01-09")).name, "元旦, 调休");
  // Without a header, and with any content-sniffed name.
  auto bare = ParseCalendarFile("2027-01-01,off,元旦\n", "upload");
  ASSERT_TRUE(bare.ok()) << bare.error().detail;
  EXPECT_EQ(bare->official_days.size(), 1u);
}

TEST(CalendarImportTest, CsvErrorsNameTheLine) {
  auto parse = [](const char* text) { return ParseCalendarFile(text, "cn-2027.csv"); };
  ExpectInvalid(parse("date,kind,name\n2027-01-01,off,元旦\n2027-02-29,off,春节\n"), "line 3",
                "not a real date");
  ExpectInvalid(parse("2027-01-01,holiday,元旦\n"), "line 1", "kind must be");
  ExpectInvalid(parse("2027-01-01,off\n"), "line 1", "three fields");
  ExpectInvalid(parse("2027-01-01,off,\n"), "line 1", "name is empty");
  ExpectInvalid(parse("2027-01-01,off,元旦\r\n2027-01-01,work,元旦\r\n"), "line 2",
                "listed twice (first on line 1)");
  ExpectInvalid(parse("date,kind,name\n"), "line 2", "lists no days");
  ExpectInvalid(parse("# years: next\n2027-01-01,off,元旦\n"), "line 1", "# years:");
  ExpectInvalid(parse("1776-07-04,off,x\n"), "line 1", "outside the years");
}

TEST(CalendarImportTest, Importing2027CsvMakesProvisionalDeadlinesFinal) {
  auto shipped = LoadCalendarDir(kDir);
  ASSERT_TRUE(shipped.ok());
  auto before = *Calendar::Create(*shipped);
  core::DeadlineResult provisional = before->AddWorkingDays(D("2026-12-14"), 20);
  EXPECT_EQ(FormatDate(provisional.date), "2027-01-12");
  EXPECT_TRUE(provisional.provisional);

  // A fictional 2027 arrangement that spills into 2026 (like the 2008 one did into 2007).
  auto import = ParseCalendarFile(
      "# years: 2027\n"
      "2026-12-31,off,元旦\n"
      "2027-01-01,off,元旦\n"
      "2027-01-09,work,元旦\n",
      "cn-2027.csv");
  ASSERT_TRUE(import.ok()) << import.error().detail;
  EXPECT_EQ(import->years, (std::set<int>{2027}));
  auto after = *Calendar::Create(core::MergeCalendarData(*shipped, *import));
  core::DeadlineResult final_due = after->AddWorkingDays(D("2026-12-14"), 20);
  // 2026-12-31 is now off (one day later) but Sat 2027-01-09 is worked (one day earlier):
  // without the spill-over date it would be 01-11, without the make-up day 01-13.
  EXPECT_EQ(FormatDate(final_due.date), "2027-01-12");
  EXPECT_FALSE(final_due.provisional);
  EXPECT_FALSE(after->IsWorkingDay(D("2026-12-31")));
  // The rest of 2026 was not replaced.
  EXPECT_FALSE(after->IsWorkingDay(D("2026-02-16")));
  EXPECT_TRUE(after->IsWorkingDay(D("2026-02-14")));
}

TEST(CalendarImportTest, MissingDirectoryOrFileIsAnError) {
  EXPECT_FALSE(LoadCalendarDir("/nonexistent/calendars").ok());
  EXPECT_FALSE(LoadCalendarFile("/nonexistent/cn.json").ok());
}

}  // namespace
}  // namespace huiyin::app
