#include "http/form.h"

#include <algorithm>

#include "http/http_util.h"

namespace huiyin::http {

Result<FormData> FormData::Parse(std::string_view text) {
  FormData form;
  size_t index = 0;
  while (!text.empty()) {
    const size_t sep = text.find_first_of("&;");
    std::string_view pair = text.substr(0, sep);
    text = sep == std::string_view::npos ? std::string_view{} : text.substr(sep + 1);
    ++index;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string_view raw_name = pair.substr(0, eq);
    std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    auto name = PercentDecode(raw_name, /*plus_as_space=*/true);
    auto value = PercentDecode(raw_value, /*plus_as_space=*/true);
    if (!name || !value || name->find('\0') != std::string::npos ||
        value->find('\0') != std::string::npos) {
      std::string shown(raw_name.substr(0, 60));
      return MakeError(ErrorCode::kInvalidArgument, "form field " + std::to_string(index) + " ('" +
                                                        shown + "') has a malformed %-escape");
    }
    if (name->empty()) continue;
    form.fields_.emplace_back(std::move(*name), std::move(*value));
  }
  return form;
}

std::optional<std::string> FormData::First(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::optional<std::string> FormData::FirstNonEmpty(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (n == name && !v.empty()) return v;
  }
  return std::nullopt;
}

std::vector<std::string> FormData::All(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : fields_) {
    if (n == name) out.push_back(v);
  }
  return out;
}

bool FormData::Has(std::string_view name) const {
  return std::any_of(fields_.begin(), fields_.end(),
                     [&](const auto& f) { return f.first == name; });
}

std::optional<std::string> BracketKey(std::string_view name, std::string_view prefix) {
  if (name.size() < prefix.size() + 3 || name.substr(0, prefix.size()) != prefix ||
      name[prefix.size()] != '[') {
    return std::nullopt;
  }
  std::string_view rest = name.substr(prefix.size() + 1);
  const size_t close = rest.find(']');
  if (close == std::string_view::npos || close == 0) return std::nullopt;
  std::string_view tail = rest.substr(close + 1);
  // Nothing, "[]" or one more index "[n]" may follow.
  if (!tail.empty()) {
    if (tail.front() != '[' || tail.back() != ']' || tail.find(']') != tail.size() - 1) {
      return std::nullopt;
    }
  }
  return std::string(rest.substr(0, close));
}

}  // namespace huiyin::http
