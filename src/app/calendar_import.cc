#include "huiyin/app/calendar_import.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace huiyin::app {

namespace {

using core::CalendarData;
using core::OfficialDay;
using core::OfficialDayKind;
using nlohmann::json;

constexpr std::string_view kFormatTag = "huiyin-calendar/1";

// An invalid_argument error located at `where` (a JSON pointer or "line N") of `filename`.
Error Invalid(std::string_view filename, const std::string& where, const std::string& message) {
  return Error(ErrorCode::kInvalidArgument, std::string(filename) + ": " + where + ": " + message,
               {FieldError{where, message}});
}

int YearOf(Date d) {
  return static_cast<int>(std::chrono::year_month_day{d}.year());
}

bool YearInRange(int y) {
  return y >= core::Calendar::kMinYear && y <= core::Calendar::kMaxYear;
}

std::string RangeText() {
  return std::to_string(core::Calendar::kMinYear) + ".." + std::to_string(core::Calendar::kMaxYear);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && Lower(s.substr(s.size() - suffix.size())) == suffix;
}

// Parses a date and checks its year is supported; empty message when fine.
std::string CheckDate(std::string_view text, Date& out) {
  Result<Date> d = ParseDate(text);
  if (!d.ok()) {
    std::string message = "\"";  // built by appending: GCC 12 -Wrestrict misfires on "x" + str
    message.append(text).append("\" is not a real date (write YYYY-MM-DD)");
    return message;
  }
  if (!YearInRange(YearOf(*d))) return FormatDate(*d) + " is outside the years " + RangeText();
  out = *d;
  return {};
}

Result<CalendarData> ParseOwnJson(const json& root, std::string_view filename) {
  CalendarData data;
  if (auto it = root.find("format"); it != root.end()) {
    if (!it->is_string() || it->get<std::string>() != kFormatTag) {
      return Invalid(filename, "/format", "must be \"" + std::string(kFormatTag) + "\"");
    }
  }
  if (auto it = root.find("source"); it != root.end()) {
    if (!it->is_string()) return Invalid(filename, "/source", "must be a string");
    data.source = it->get<std::string>();
  }
  auto years = root.find("years");
  if (years == root.end() || !years->is_array()) {
    return Invalid(filename, "/years", "must be an array of the published years");
  }
  for (size_t i = 0; i < years->size(); ++i) {
    const json& y = (*years)[i];
    const std::string where = "/years/" + std::to_string(i);
    if (!y.is_number_integer()) return Invalid(filename, where, "must be an integer year");
    const int64_t year = y.get<int64_t>();
    if (year < core::Calendar::kMinYear || year > core::Calendar::kMaxYear) {
      return Invalid(filename, where,
                     std::to_string(year) + " is outside the years " + RangeText());
    }
    if (!data.years.insert(static_cast<int>(year)).second) {
      return Invalid(filename, where, std::to_string(year) + " is listed twice");
    }
  }
  auto days = root.find("days");
  if (days == root.end() || !days->is_array()) {
    return Invalid(filename, "/days", "must be an array of {date, kind, name}");
  }
  std::map<Date, size_t> first_index;
  for (size_t i = 0; i < days->size(); ++i) {
    const json& day = (*days)[i];
    const std::string where = "/days/" + std::to_string(i);
    if (!day.is_object()) return Invalid(filename, where, "must be an object {date, kind, name}");
    for (const auto& [key, value] : day.items()) {
      if (key != "date" && key != "kind" && key != "name") {
        return Invalid(filename, where + "/" + key, "unknown key (expected date, kind, name)");
      }
    }
    auto date = day.find("date");
    if (date == day.end() || !date->is_string()) {
      return Invalid(filename, where + "/date", "must be a string YYYY-MM-DD");
    }
    Date d;
    if (std::string bad = CheckDate(date->get<std::string>(), d); !bad.empty()) {
      return Invalid(filename, where + "/date", bad);
    }
    auto kind = day.find("kind");
    if (kind == day.end() || !kind->is_string() ||
        (kind->get<std::string>() != "off" && kind->get<std::string>() != "work")) {
      return Invalid(filename, where + "/kind", "must be \"off\" or \"work\"");
    }
    auto name = day.find("name");
    if (name == day.end() || !name->is_string() || name->get<std::string>().empty()) {
      return Invalid(filename, where + "/name", "must be a non-empty string, e.g. \"国庆节\"");
    }
    if (auto [it, inserted] = first_index.emplace(d, i); !inserted) {
      return Invalid(
          filename, where + "/date",
          FormatDate(d) + " is listed twice (first at /days/" + std::to_string(it->second) + ")");
    }
    data.official_days[d] = OfficialDay{
        kind->get<std::string>() == "off" ? OfficialDayKind::kOff : OfficialDayKind::kWork,
        name->get<std::string>()};
  }
  return data;
}

// chinese-days values look like "National Day,国庆节,3"; the Chinese name is the second field.
std::string ChineseDaysName(const std::string& value) {
  size_t first = value.find(',');
  if (first == std::string::npos) return std::string(Trim(value));
  size_t second = value.find(',', first + 1);
  std::string_view zh = std::string_view(value).substr(
      first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
  zh = Trim(zh);
  return zh.empty() ? std::string(Trim(value)) : std::string(zh);
}

Result<CalendarData> ParseChineseDaysJson(const json& root, std::string_view filename) {
  CalendarData data;
  data.source = "chinese-days (" + std::string(filename) + ")";
  const std::pair<const char*, OfficialDayKind> maps[] = {{"holidays", OfficialDayKind::kOff},
                                                          {"workdays", OfficialDayKind::kWork}};
  for (const auto& [key, kind] : maps) {
    auto map = root.find(key);
    if (map == root.end() || !map->is_object()) {
      return Invalid(filename, std::string("/") + key, "must be an object keyed by date");
    }
    for (const auto& [date_text, value] : map->items()) {
      const std::string where = std::string("/") + key + "/" + date_text;
      Date d;
      if (std::string bad = CheckDate(date_text, d); !bad.empty()) {
        return Invalid(filename, where, bad);
      }
      if (!value.is_string() || value.get<std::string>().empty()) {
        return Invalid(filename, where,
                       "must be a non-empty string such as \"National Day,国庆节,3\"");
      }
      if (data.official_days.contains(d)) {
        return Invalid(filename, where, FormatDate(d) + " is both a day off and a working day");
      }
      data.official_days[d] = OfficialDay{kind, ChineseDaysName(value.get<std::string>())};
      data.years.insert(YearOf(d));
    }
  }
  if (auto lieu = root.find("inLieuDays"); lieu != root.end()) {
    if (!lieu->is_object())
      return Invalid(filename, "/inLieuDays", "must be an object keyed by date");
    for (const auto& [date_text, value] : lieu->items()) {
      Date d;
      if (std::string bad = CheckDate(date_text, d); !bad.empty()) {
        return Invalid(filename, "/inLieuDays/" + date_text, bad);
      }
    }
  }
  if (data.official_days.empty()) return Invalid(filename, "/holidays", "lists no days");
  return data;
}

Result<CalendarData> ParseJson(std::string_view content, std::string_view filename) {
  json root;
  try {
    root = json::parse(content);
  } catch (const json::parse_error& e) {
    return Invalid(filename, "/", std::string("not valid JSON: ") + e.what());
  } catch (const json::exception& e) {  // e.g. a number too large (found by fuzzing)
    return Invalid(filename, "/", std::string("not usable JSON: ") + e.what());
  }
  if (!root.is_object()) return Invalid(filename, "/", "must be a JSON object");
  if (root.contains("days")) return ParseOwnJson(root, filename);
  if (root.contains("holidays") || root.contains("workdays")) {
    return ParseChineseDaysJson(root, filename);
  }
  return Invalid(filename, "/",
                 "neither a huiyin calendar (\"years\", \"days\") nor chinese-days data "
                 "(\"holidays\", \"workdays\")");
}

// Splits a CSV field, dropping surrounding spaces and one pair of double quotes.
std::string_view CsvField(std::string_view s) {
  s = Trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

// Reads "# years: 2027, 2028" into `years`; false when the directive is malformed.
bool ParseYearsDirective(std::string_view list, std::set<int>& years) {
  bool any = false;
  size_t i = 0;
  while (i < list.size()) {
    if (list[i] == ',' || list[i] == ' ' || list[i] == '\t') {
      ++i;
      continue;
    }
    int y = 0;
    auto [end, ec] = std::from_chars(list.data() + i, list.data() + list.size(), y);
    if (ec != std::errc{} || !YearInRange(y)) return false;
    years.insert(y);
    any = true;
    i = static_cast<size_t>(end - list.data());
  }
  return any;
}

Result<CalendarData> ParseCsv(std::string_view content, std::string_view filename) {
  CalendarData data;
  data.source = std::string(filename);
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  std::set<int> declared;
  std::set<int> seen_years;
  std::map<Date, int> first_line;
  bool first_data_line = true;
  int line_no = 0;
  size_t pos = 0;
  while (pos <= content.size()) {
    size_t nl = content.find('\n', pos);
    std::string_view line =
        content.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? content.size() + 1 : nl + 1;
    ++line_no;
    const std::string where = "line " + std::to_string(line_no);
    line = Trim(line);
    if (line.empty()) continue;
    if (line.front() == '#') {
      std::string_view comment = Trim(line.substr(1));
      if (Lower(comment.substr(0, 6)) == "years:") {
        if (!ParseYearsDirective(comment.substr(6), declared)) {
          return Invalid(filename, where,
                         "\"# years:\" needs a list of years in " + RangeText() + ", e.g. 2027");
        }
      }
      continue;
    }
    size_t c1 = line.find(',');
    size_t c2 = c1 == std::string_view::npos ? c1 : line.find(',', c1 + 1);
    if (c2 == std::string_view::npos) {
      if (first_data_line && Lower(CsvField(line.substr(0, c1))) == "date") {
        first_data_line = false;
        continue;
      }
      return Invalid(filename, where, "expected three fields: date,off|work,name");
    }
    std::string_view date_text = CsvField(line.substr(0, c1));
    std::string kind = Lower(CsvField(line.substr(c1 + 1, c2 - c1 - 1)));
    std::string_view name = CsvField(line.substr(c2 + 1));
    if (first_data_line) {
      first_data_line = false;
      // A header: "date,kind,name" or any first line whose first field is not a date.
      if (date_text.empty() || date_text.front() < '0' || date_text.front() > '9') continue;
    }
    Date d;
    if (std::string bad = CheckDate(date_text, d); !bad.empty()) {
      return Invalid(filename, where, bad);
    }
    if (kind != "off" && kind != "work") {
      return Invalid(filename, where,
                     "kind must be \"off\" or \"work\", got \"" + std::string(kind) + "\"");
    }
    if (name.empty()) return Invalid(filename, where, "the name is empty (e.g. 春节)");
    if (auto [it, inserted] = first_line.emplace(d, line_no); !inserted) {
      return Invalid(
          filename, where,
          FormatDate(d) + " is listed twice (first on line " + std::to_string(it->second) + ")");
    }
    data.official_days[d] = OfficialDay{
        kind == "off" ? OfficialDayKind::kOff : OfficialDayKind::kWork, std::string(name)};
    seen_years.insert(YearOf(d));
  }
  if (data.official_days.empty()) {
    return Invalid(filename, "line " + std::to_string(line_no), "the file lists no days");
  }
  data.years = declared.empty() ? seen_years : declared;
  return data;
}

}  // namespace

Result<core::CalendarData> ParseCalendarFile(std::string_view content, std::string_view filename) {
  if (EndsWith(filename, ".csv")) return ParseCsv(content, filename);
  if (EndsWith(filename, ".json")) return ParseJson(content, filename);
  std::string_view body = Trim(content);
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  if (!body.empty() && body.front() == '{') return ParseJson(content, filename);
  return ParseCsv(content, filename);
}

Result<core::CalendarData> LoadCalendarFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kInvalidArgument, "cannot read calendar file " + path.string());
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return ParseCalendarFile(buffer.str(), path.filename().string());
}

Result<core::CalendarData> LoadCalendarDir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && (EndsWith(name, ".json") || EndsWith(name, ".csv"))) {
      files.push_back(entry.path());
    }
  }
  if (ec) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "cannot read calendar directory " + dir.string() + ": " + ec.message());
  }
  if (files.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no calendar files (*.json, *.csv) in " + dir.string());
  }
  std::sort(files.begin(), files.end());
  core::CalendarData merged;
  for (const auto& file : files) {
    HUIYIN_ASSIGN_OR_RETURN(core::CalendarData data, LoadCalendarFile(file));
    merged = core::MergeCalendarData(std::move(merged), data);
  }
  return merged;
}

}  // namespace huiyin::app
