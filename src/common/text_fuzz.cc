// libFuzzer target: what search queries are built from — terms split from user input, LIKE
// patterns, FTS5 phrases, UTF-8 checks — and CSV import. Checks the invariants the SQL relies on:
// a LIKE pattern has no unescaped wildcard, an FTS phrase is one quoted string.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "huiyin/common/csv.h"
#include "huiyin/common/text.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)huiyin::IsValidUtf8(input);
  (void)huiyin::CodePoints(input);
  auto terms = huiyin::SearchTerms(input);
  if (terms.ok()) {
    Check(terms->size() <= 8);
    for (const auto& t : *terms) {
      Check(!t.empty());
      const std::string like = huiyin::EscapeLike(t);
      for (size_t i = 0; i < like.size(); ++i) {
        if (like[i] == '\\') {
          ++i;  // an escaped character
        } else {
          Check(like[i] != '%' && like[i] != '_');
        }
      }
      const std::string phrase = huiyin::FtsPhrase(t);
      Check(phrase.size() >= 2 && phrase.front() == '"' && phrase.back() == '"');
      for (size_t i = 1; i + 1 < phrase.size(); ++i) {
        if (phrase[i] == '"') Check(phrase[++i] == '"');  // inner quotes doubled
      }
    }
  }
  auto records = huiyin::ParseCsv(input);
  if (records.ok()) {
    size_t last = 0;
    for (const auto& r : *records) {
      Check(r.line > last);  // lines increase
      last = r.line;
    }
  }
  return 0;
}
