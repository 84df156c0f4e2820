// libFuzzer target: calendar files as an administrator uploads them (CSV and JSON). Must never
// crash, hang or leak, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "huiyin/app/calendar_import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (const char* name : {"fuzz.csv", "fuzz.json"}) {
    auto cal = huiyin::app::ParseCalendarFile(input, name);
    if (cal.ok() && cal->years.size() > cal->official_days.size() + 1000) __builtin_trap();
  }
  return 0;
}
