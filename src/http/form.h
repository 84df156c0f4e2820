// application/x-www-form-urlencoded bodies and query strings as ordered (name, value) pairs. Unlike
// Request::QueryParam it keeps every pair, repeated names and PHP-style suffixes ("a[]=1&a[]=2",
// "attribute[kind]=x") exactly as sent, for protocols such as Open311 that depend on them. Pure and
// thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "huiyin/common/result.h"

namespace huiyin::http {

// Decoded form fields in arrival order.
class FormData {
 public:
  // Parses `text` ("a=1&b=x+y&c=%E4%B8%AD"): '&' separates pairs (';' too, as HTML 4 allowed),
  // '+' is a space, %XX escapes are decoded in names and values, a pair without '=' has an empty
  // value, empty pairs (a bare "?" or "&&") are skipped. kInvalidArgument naming the pair on a
  // malformed escape or an encoded NUL.
  static Result<FormData> Parse(std::string_view text);

  // The first value of `name`, nullopt when absent.
  std::optional<std::string> First(std::string_view name) const;
  // The first non-empty value of `name` (an empty parameter counts as absent), nullopt otherwise.
  std::optional<std::string> FirstNonEmpty(std::string_view name) const;
  // Every value of `name`, in order.
  std::vector<std::string> All(std::string_view name) const;
  // True when `name` appears at least once.
  bool Has(std::string_view name) const;

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Splits a form field name "attribute[code]" or "attribute[code][]" (also "attribute[code][0]")
// into the code inside the first brackets when the name starts with `prefix` + '['; nullopt for
// other names or an empty code.
std::optional<std::string> BracketKey(std::string_view name, std::string_view prefix);

}  // namespace huiyin::http
