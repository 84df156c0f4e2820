#include "huiyin/common/time.h"

#include <charconv>
#include <cstdio>

namespace huiyin {

using std::chrono::days;
using std::chrono::duration_cast;
using std::chrono::floor;
using std::chrono::milliseconds;
using std::chrono::seconds;

Date LocalDate(Timestamp t) {
  return floor<days>(t + kShanghaiOffset);
}

Timestamp StartOfLocalDay(Date d) {
  return Timestamp{duration_cast<milliseconds>(d.time_since_epoch() - kShanghaiOffset)};
}

Timestamp EndOfLocalDay(Date d) {
  return StartOfLocalDay(d + days{1}) - milliseconds{1};
}

std::string FormatDate(Date d) {
  std::chrono::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string FormatIso(Timestamp t) {
  auto local = floor<seconds>(t + kShanghaiOffset);
  auto day = floor<days>(local);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{local - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d+08:00",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

namespace {

bool ReadInt(std::string_view s, size_t pos, size_t len, int& out) {
  if (pos + len > s.size()) return false;
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto r = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return r.ec == std::errc{};
}

Error Quoted(std::string_view text, std::string_view what) {
  std::string detail = "'";
  detail.append(text).append("' ").append(what);
  return MakeError(ErrorCode::kInvalidArgument, std::move(detail));
}

Error BadDate(std::string_view text) {
  return Quoted(text, "is not a date; write YYYY-MM-DD, e.g. 2026-01-04");
}

Error BadDateTime(std::string_view text) {
  return Quoted(text, "is not an ISO 8601 date-time; write e.g. 2026-01-04T09:30:00+08:00");
}

}  // namespace

Result<Date> ParseDate(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ReadInt(text, 0, 4, y) ||
      !ReadInt(text, 5, 2, m) || !ReadInt(text, 8, 2, d)) {
    return BadDate(text);
  }
  std::chrono::year_month_day ymd{std::chrono::year{y},
                                  std::chrono::month{static_cast<unsigned>(m)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return BadDate(text);
  return Date{ymd};
}

Result<Timestamp> ParseIso(std::string_view text) {
  if (text.size() < 10) return BadDateTime(text);
  auto date = ParseDate(text.substr(0, 10));
  if (!date.ok()) return BadDateTime(text);
  if (text.size() == 10) return StartOfLocalDay(*date);
  if (text[10] != 'T' && text[10] != ' ') return BadDateTime(text);
  int hh = 0, mm = 0, ss = 0;
  if (!ReadInt(text, 11, 2, hh) || text.size() < 16 || text[13] != ':' ||
      !ReadInt(text, 14, 2, mm)) {
    return BadDateTime(text);
  }
  size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!ReadInt(text, pos + 1, 2, ss)) return BadDateTime(text);
    pos += 3;
  }
  int millis = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return BadDateTime(text);
    for (int i = digits; i < 3; ++i) millis *= 10;
  }
  if (hh > 23 || mm > 59 || ss > 60) return BadDateTime(text);
  auto local = std::chrono::sys_days{*date} + std::chrono::hours{hh} + std::chrono::minutes{mm} +
               seconds{ss} + milliseconds{millis};
  std::chrono::minutes offset = kShanghaiOffset;
  if (pos < text.size()) {
    char c = text[pos];
    if (c == 'Z' || c == 'z') {
      offset = std::chrono::minutes{0};
      ++pos;
    } else if (c == '+' || c == '-') {
      int oh = 0, om = 0;
      if (!ReadInt(text, pos + 1, 2, oh)) return BadDateTime(text);
      size_t p = pos + 3;
      if (p < text.size() && text[p] == ':') ++p;
      if (p < text.size()) {
        if (!ReadInt(text, p, 2, om)) return BadDateTime(text);
        p += 2;
      }
      if (oh > 14 || om > 59) return BadDateTime(text);
      offset = std::chrono::minutes{(c == '-' ? -1 : 1) * (oh * 60 + om)};
      pos = p;
    } else {
      return BadDateTime(text);
    }
  }
  if (pos != text.size()) return BadDateTime(text);
  return std::chrono::time_point_cast<milliseconds>(local - offset);
}

Timestamp Now() {
  return floor<milliseconds>(std::chrono::system_clock::now());
}

}  // namespace huiyin
