// RFC 4180 CSV: quoted fields with commas, quotes ("") and line breaks; CRLF or LF; a UTF-8 BOM
// is skipped. Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "huiyin/common/result.h"

namespace huiyin {

struct CsvRecord {
  size_t line = 0;  // 1-based line where the record starts
  std::vector<std::string> fields;
};

// Parses all records; kInvalidArgument naming the line for an unterminated quote or a stray
// quote inside an unquoted field. Empty lines are skipped.
Result<std::vector<CsvRecord>> ParseCsv(std::string_view text);

}  // namespace huiyin
