#include "huiyin/common/csv.h"

namespace huiyin {

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<CsvRecord> out;
  CsvRecord rec;
  std::string field;
  size_t line = 1;
  rec.line = 1;
  bool in_quotes = false;
  bool field_started = false;  // the field had content or quotes (so an empty line is no record)
  auto end_field = [&] {
    rec.fields.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_record = [&] {
    if (!rec.fields.empty() || field_started) {
      end_field();
      bool blank = rec.fields.size() == 1 && rec.fields[0].empty();
      if (!blank) out.push_back(std::move(rec));
    }
    rec = CsvRecord{};
    rec.line = line;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    switch (c) {
      case '"':
        if (!field.empty()) {
          return MakeError(ErrorCode::kInvalidArgument,
                           "line " + std::to_string(line) +
                               ": a quote inside an unquoted field; quote the whole field and "
                               "double the quote (\"\")");
        }
        in_quotes = true;
        field_started = true;
        break;
      case ',':
        end_field();
        field_started = true;
        break;
      case '\r':
        break;
      case '\n':
        ++line;
        end_record();
        break;
      default:
        field.push_back(c);
        field_started = true;
    }
  }
  if (in_quotes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "line " + std::to_string(rec.line) + ": a quoted field is never closed");
  }
  end_record();
  return out;
}

}  // namespace huiyin
