// Time in Huiyin. Instants are UTC milliseconds; civil dates are days since the epoch. All local
// time is Asia/Shanghai, a fixed UTC+08:00 since 1991 (no daylight saving), so no time-zone
// database is needed. API and CLI text uses ISO 8601 with an explicit +08:00 offset.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "huiyin/common/result.h"

namespace huiyin {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;
using Date = std::chrono::sys_days;

inline constexpr std::chrono::hours kShanghaiOffset{8};

// Milliseconds since 1970-01-01T00:00:00Z, the storage form of a Timestamp.
inline int64_t ToMillis(Timestamp t) {
  return t.time_since_epoch().count();
}
inline Timestamp FromMillis(int64_t ms) {
  return Timestamp{std::chrono::milliseconds{ms}};
}

// The Shanghai civil date of an instant.
Date LocalDate(Timestamp t);
// 00:00:00.000 Shanghai time on `d`.
Timestamp StartOfLocalDay(Date d);
// The last millisecond (23:59:59.999) of `d` in Shanghai: when a period "in days" ends.
Timestamp EndOfLocalDay(Date d);

// "2026-01-04" for a date.
std::string FormatDate(Date d);
// "2026-01-04T09:30:00+08:00" (seconds precision, always +08:00).
std::string FormatIso(Timestamp t);

// Parses "YYYY-MM-DD" (a real calendar date).
Result<Date> ParseDate(std::string_view text);
// Parses ISO 8601 date-times: "2026-01-04T09:30:00+08:00", "...Z", "...+0800", optional fraction;
// a date-time without an offset is read as Shanghai local time; a bare date means 00:00 local.
Result<Timestamp> ParseIso(std::string_view text);

// The current instant (system clock); injectable clocks are passed where tests need them.
Timestamp Now();

}  // namespace huiyin
