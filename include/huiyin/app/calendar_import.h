// Reading working-day calendars from files (config/calendars at start-up, admin uploads later).
// Formats accepted by ParseCalendarFile (see config/calendars/README.md):
//  (a) Huiyin's own JSON: {"format":"huiyin-calendar/1","source":…,"years":[…],
//      "days":[{"date":"2025-01-01","kind":"off","name":"元旦"},…]};
//  (b) the chinese-days package JSON: {"holidays":{date:"English,中文,n"},"workdays":{…},
//      "inLieuDays":{…}} — its published years are the years that have entries;
//  (c) CSV lines `date,off|work,name` (header `date,kind,name` optional, UTF-8 with or without
//      BOM, CRLF tolerated, `#` comments). A comment `# years: 2027` declares the published years
//      explicitly; otherwise they are the years of the listed dates. Dates outside the declared
//      years (e.g. 2026-12-31 in the 2027 arrangement) are kept as single-date overrides.
// All functions are thread-safe (no shared state).
#pragma once

#include <filesystem>
#include <string_view>

#include "huiyin/common/result.h"
#include "huiyin/core/calendar.h"

namespace huiyin::app {

// Parses one calendar file; the format is chosen by extension (.csv / .json) or, failing that,
// by content. kInvalidArgument on any error, with the CSV line number or the JSON key (as a JSON
// pointer, also in Error::fields) and what is wrong; nothing is returned partially.
Result<core::CalendarData> ParseCalendarFile(std::string_view content, std::string_view filename);

// Reads and parses one file; kInvalidArgument when it cannot be read.
Result<core::CalendarData> LoadCalendarFile(const std::filesystem::path& path);

// Loads every *.json and *.csv in `dir` in file-name order, each merged over the previous ones
// with core::MergeCalendarData (so a later file replaces the years it declares). An empty or
// missing directory is an error: Huiyin must not start with no official calendar.
Result<core::CalendarData> LoadCalendarDir(const std::filesystem::path& dir);

}  // namespace huiyin::app
