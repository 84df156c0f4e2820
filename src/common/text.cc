#include "huiyin/common/text.h"

#include <algorithm>

namespace huiyin {

namespace {
constexpr size_t kMaxSearchTerms = 8;
constexpr size_t kMaxSearchTermLength = 50;
}  // namespace

size_t CodePoints(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::string EscapeLike(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 4);
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string FtsPhrase(std::string_view term) {
  std::string out = "\"";
  for (char c : term) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    size_t n = 0;
    char32_t cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 2;
      cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 3;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + n >= text.size()) return false;  // truncated
    for (size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Result<std::vector<std::string>> SearchTerms(std::string_view q) {
  // U+3000 IDEOGRAPHIC SPACE, typed by Chinese input methods.
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  std::string text;
  text.reserve(q.size());
  for (size_t i = 0; i < q.size();) {
    if (q.substr(i, kIdeographicSpace.size()) == kIdeographicSpace) {
      text += ' ';
      i += kIdeographicSpace.size();
    } else {
      text += q[i++];
    }
  }
  std::vector<std::string> terms;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() &&
           (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
      ++i;
    }
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != '\n' &&
           text[j] != '\r') {
      ++j;
    }
    if (j > i) {
      std::string term = AsciiLower(std::string_view(text).substr(i, j - i));
      if (CodePoints(term) > kMaxSearchTermLength) {
        return FieldInvalid("q", "a search term may have at most 50 characters");
      }
      if (std::find(terms.begin(), terms.end(), term) == terms.end()) {
        terms.push_back(std::move(term));
      }
    }
    i = j;
  }
  if (terms.size() > kMaxSearchTerms) {
    return FieldInvalid("q", "at most 8 search terms (separated by spaces)");
  }
  return terms;
}

}  // namespace huiyin
