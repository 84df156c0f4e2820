#include "http/handlers/open311_writer.h"

#include <array>
#include <charconv>
#include <utility>

#include "http/http_util.h"

namespace huiyin::api {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the UTF-8 sequence starting at s[i] and its code point; 0 when invalid.
size_t DecodeUtf8(std::string_view s, size_t i, char32_t& cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t len = 0;
  char32_t min = 0;
  if (c < 0x80) {
    cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF) return 0;  // overlong or out of range
  return len;
}

// Whether XML 1.0 allows the character at all (its Char production).
bool IsXmlChar(char32_t cp) {
  if (cp == 0x9 || cp == 0xA || cp == 0xD) return true;
  if (cp < 0x20) return false;
  if (cp >= 0xD800 && cp <= 0xDFFF) return false;
  return cp != 0xFFFE && cp != 0xFFFF;
}

}  // namespace

void AppendXmlEscaped(std::string& out, std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x80) {  // the common case: printable ASCII
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&apos;";
          break;
        default:
          out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    char32_t cp = 0;
    const size_t len = DecodeUtf8(text, i, cp);
    if (len == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (!IsXmlChar(cp)) {
      out += kReplacement;
    } else if (cp == '\r') {
      out += "&#13;";
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendXmlEscaped(out, text);
  return out;
}

std::string_view Open311ItemName(std::string_view parent) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kItems{{
      {"services", "service"},
      {"service_requests", "request"},
      {"errors", "error"},
      {"attributes", "attribute"},
      {"values", "value"},
      {"endpoints", "endpoint"},
      {"formats", "format"},
  }};
  for (const auto& [p, item] : kItems) {
    if (p == parent) return item;
  }
  return "item";
}

Open311Writer::Open311Writer(Open311Format format, std::string_view root, bool array)
    : format_(format) {
  out_.reserve(4096);
  if (format_ == Open311Format::kXml) out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  stack_.push_back({std::string(root), array, true});
  if (format_ == Open311Format::kXml) {
    out_.append("<").append(root).append(">");
  } else {
    out_.push_back(array ? '[' : '{');
  }
}

void Open311Writer::Indent() {
  out_.append(stack_.size() * 2, ' ');
}

std::string_view Open311Writer::Prefix(std::string_view name) {
  Level& top = stack_.back();
  const bool first = top.empty;
  top.empty = false;
  if (format_ == Open311Format::kJson) {
    if (!first) out_.push_back(',');
    if (!top.array) {
      http::AppendJsonString(out_, name);
      out_.push_back(':');
    }
    return {};
  }
  out_.push_back('\n');
  Indent();
  return top.array ? Open311ItemName(top.name) : name;
}

void Open311Writer::Scalar(std::string_view name, std::string_view text, bool json_string,
                           bool null) {
  std::string_view element = Prefix(name);
  if (format_ == Open311Format::kJson) {
    if (null) {
      out_ += "null";
    } else if (json_string) {
      http::AppendJsonString(out_, text);
    } else {
      out_.append(text);
    }
    return;
  }
  if (null || text.empty()) {
    out_.append("<").append(element).append("/>");
    return;
  }
  out_.append("<").append(element).append(">");
  AppendXmlEscaped(out_, text);
  out_.append("</").append(element).append(">");
}

void Open311Writer::Open(std::string_view name, bool array) {
  // An array is always a named member (its items are named after it); an object may be an item.
  std::string element(Prefix(name));
  if (format_ == Open311Format::kJson) {
    out_.push_back(array ? '[' : '{');
  } else {
    out_.append("<").append(element).append(">");
  }
  stack_.push_back({std::move(element), array, true});
}

void Open311Writer::Close() {
  Level top = std::move(stack_.back());
  stack_.pop_back();
  if (format_ == Open311Format::kJson) {
    out_.push_back(top.array ? ']' : '}');
    return;
  }
  const std::string& element = top.name;
  if (top.empty) {
    // Nothing inside: collapse "<name>" into "<name/>".
    out_.resize(out_.size() - element.size() - 2);
    out_.append("<").append(element).append("/>");
    return;
  }
  out_.push_back('\n');
  Indent();
  out_.append("</").append(element).append(">");
}

void Open311Writer::BeginObject(std::string_view name) {
  Open(name, false);
}
void Open311Writer::EndObject() {
  Close();
}
void Open311Writer::BeginArray(std::string_view name) {
  Open(name, true);
}
void Open311Writer::EndArray() {
  Close();
}

void Open311Writer::Text(std::string_view name, std::string_view value) {
  Scalar(name, value, true, false);
}

void Open311Writer::TextOrNull(std::string_view name, std::string_view value) {
  Scalar(name, value, true, value.empty());
}

void Open311Writer::Null(std::string_view name) {
  Scalar(name, {}, false, true);
}

void Open311Writer::Bool(std::string_view name, bool value) {
  Scalar(name, value ? "true" : "false", false, false);
}

void Open311Writer::Int(std::string_view name, int64_t value) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  Scalar(name, std::string_view(buf, static_cast<size_t>(r.ptr - buf)), false, false);
}

void Open311Writer::Number(std::string_view name, double value) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  Scalar(name, std::string_view(buf, static_cast<size_t>(r.ptr - buf)), false, false);
}

std::string Open311Writer::Finish() {
  while (!stack_.empty()) Close();
  if (format_ == Open311Format::kXml) out_.push_back('\n');
  return std::move(out_);
}

}  // namespace huiyin::api
