// JSON bodies for handlers (src/http/handlers): parse with the right errors, read typed fields that
// name themselves in errors, and serialise responses. Includes nlohmann/json, so it stays out of
// include/: only handler .cc files should include it. All functions are thread-safe (pure).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "huiyin/common/result.h"
#include "huiyin/http/message.h"

namespace huiyin::http {

// Longest string a getter accepts unless told otherwise (Unicode code points).
inline constexpr size_t kDefaultMaxStringLength = 10'000;
// Deepest nesting ParseJsonBody accepts.
inline constexpr int kMaxJsonDepth = 64;

// Parses request.body. Content-Type must be application/json (or a +json type; parameters such
// as charset are ignored) → else 415 unsupported_media_type. Empty, malformed or too deeply nested
// → 400 malformed_body whose detail names the byte offset and what is wrong. With
// `require_object` the top level must be a JSON object (→ 400 malformed_body otherwise).
Result<nlohmann::json> ParseJsonBody(const Request& request, bool require_object = true);

// Typed field getters on a JSON object. Errors are FieldInvalid(field, "must be ...") so the
// problem lists the field. A missing or null field is an error when `required`, else the getter
// returns the type's empty value ("" / 0 / false); use GetOptional* to tell absence apart.
Result<std::string> GetString(const nlohmann::json& object, std::string_view field,
                              bool required = true, size_t max_len = kDefaultMaxStringLength);
Result<std::optional<std::string>> GetOptionalString(const nlohmann::json& object,
                                                     std::string_view field,
                                                     size_t max_len = kDefaultMaxStringLength);
// Integers only (1.5 and "1" are refused); inclusive bounds.
Result<int64_t> GetInt(const nlohmann::json& object, std::string_view field, bool required = true,
                       int64_t min = std::numeric_limits<int64_t>::min(),
                       int64_t max = std::numeric_limits<int64_t>::max());
Result<std::optional<int64_t>> GetOptionalInt(const nlohmann::json& object, std::string_view field,
                                              int64_t min = std::numeric_limits<int64_t>::min(),
                                              int64_t max = std::numeric_limits<int64_t>::max());
// Any JSON number (integers included).
Result<double> GetNumber(const nlohmann::json& object, std::string_view field,
                         bool required = true);
Result<std::optional<double>> GetOptionalNumber(const nlohmann::json& object,
                                                std::string_view field);
Result<bool> GetBool(const nlohmann::json& object, std::string_view field, bool required = true);
Result<std::optional<bool>> GetOptionalBool(const nlohmann::json& object, std::string_view field);
// An array of strings, each at most `max_len` code points, at most `max_items` items.
Result<std::vector<std::string>> GetStringArray(const nlohmann::json& object,
                                                std::string_view field, bool required = true,
                                                size_t max_items = 1000,
                                                size_t max_len = kDefaultMaxStringLength);
// The nested object `field` (nullptr when absent/null and not required).
Result<const nlohmann::json*> GetObject(const nlohmann::json& object, std::string_view field,
                                        bool required = true);

// invalid_argument listing every member of `object` not in `allowed` ("is not a known field").
Status RejectUnknownFields(const nlohmann::json& object,
                           std::initializer_list<std::string_view> allowed);

// Serialises `body` (invalid UTF-8 replaced, never throws) as application/json.
Response JsonResponse(int status, const nlohmann::json& body);

}  // namespace huiyin::http
