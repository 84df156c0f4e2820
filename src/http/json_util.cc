#include "http/json_util.h"

#include <algorithm>

#include "http/http_util.h"

namespace huiyin::http {
namespace {

using Json = nlohmann::json;

size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The member `field` of `object`, or nullptr when absent or null.
const Json* Member(const Json& object, std::string_view field) {
  if (!object.is_object()) {
    return nullptr;
  }
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

Error Required(std::string_view field) {
  return FieldInvalid(std::string(field), "is required");
}

Status CheckObject(const Json& object) {
  if (object.is_object()) {
    return Status::Ok();
  }
  return MakeError(ErrorCode::kMalformedBody, "The request body must be a JSON object.");
}

Result<std::string> StringValue(const Json& v, std::string_view field, size_t max_len) {
  if (!v.is_string()) {
    return FieldInvalid(std::string(field), "must be a string");
  }
  const std::string& s = v.get_ref<const std::string&>();
  if (CodePoints(s) > max_len) {
    return FieldInvalid(std::string(field),
                        "must be at most " + std::to_string(max_len) + " characters");
  }
  return s;
}

Result<int64_t> IntValue(const Json& v, std::string_view field, int64_t min, int64_t max) {
  int64_t n = 0;
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return FieldInvalid(std::string(field), "is too large");
    }
    n = static_cast<int64_t>(u);
  } else if (v.is_number_integer()) {
    n = v.get<int64_t>();
  } else {
    return FieldInvalid(std::string(field), "must be an integer");
  }
  if (n < min || n > max) {
    return FieldInvalid(std::string(field),
                        "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return n;
}

}  // namespace

Result<Json> ParseJsonBody(const Request& request, bool require_object) {
  std::string_view type = request.Header("Content-Type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') {
    type.remove_suffix(1);
  }
  while (!type.empty() && type.front() == ' ') {
    type.remove_prefix(1);
  }
  const bool json_type =
      EqualsIgnoreCase(type, "application/json") ||
      (type.size() > 5 && EqualsIgnoreCase(type.substr(type.size() - 5), "+json"));
  if (!json_type) {
    return MakeError(ErrorCode::kUnsupportedMediaType,
                     "The request body must be sent as Content-Type: application/json.");
  }
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return MakeError(ErrorCode::kMalformedBody, "The request body is empty; expected JSON.");
  }
  bool too_deep = false;
  Json parsed;
  try {
    parsed = Json::parse(
        request.body,
        [&](int depth, Json::parse_event_t /*event*/, Json& /*value*/) {
          if (depth > kMaxJsonDepth) {
            too_deep = true;
          }
          return !too_deep;
        },
        /*allow_exceptions=*/true);
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error ..."
    if (const size_t colon = what.find(": "); colon != std::string::npos) {
      what = what.substr(colon + 2);
    }
    return MakeError(ErrorCode::kMalformedBody, "The request body is not valid JSON (at byte " +
                                                    std::to_string(e.byte) + "): " + what);
  } catch (const Json::exception& e) {
    // A number beyond a double (1e999999) is out_of_range, not parse_error (found by fuzzing).
    return MakeError(ErrorCode::kMalformedBody,
                     "The request body holds a value JSON cannot represent here (a number too "
                     "large?): send numbers within ±1.7e308.");
  }
  if (too_deep) {
    return MakeError(ErrorCode::kMalformedBody, "The request body is nested deeper than " +
                                                    std::to_string(kMaxJsonDepth) + " levels.");
  }
  if (require_object) {
    HUIYIN_TRY(CheckObject(parsed));
  }
  return parsed;
}

Result<std::string> GetString(const Json& object, std::string_view field, bool required,
                              size_t max_len) {
  const Json* v = Member(object, field);
  if (v == nullptr) {
    if (required) {
      return Required(field);
    }
    return std::string();
  }
  return StringValue(*v, field, max_len);
}

Result<std::optional<std::string>> GetOptionalString(const Json& object, std::string_view field,
                                                     size_t max_len) {
  const Json* v = Member(object, field);
  if (v == nullptr) {
    return std::optional<std::string>();
  }
  HUIYIN_ASSIGN_OR_RETURN(std::string s, StringValue(*v, field, max_len));
  return std::optional<std::string>(std::move(s));
}

Result<int64_t> GetInt(const Json& object, std::string_view field, bool required, int64_t min,
                       int64_t max) {
  const Json* v = Member(object, field);
  if (v == nullptr) {
    if (required) {
      return Required(field);
    }
    return int64_t{0};
  }
  return IntValue(*v, field, min, max);
}

Result<std::optional<int64_t>> GetOptionalInt(const Json& object, std::string_view field,
                                              int64_t min, int64_t max) {
  const Json* v = Member(object, field);
  if (v == nullptr) {
    return std::optional<int64_t>();
  }
  HUIYIN_ASSIGN_OR_RETURN(int64_t n, IntValue(*v, field, min, max));
  return std::optional<int64_t>(n);
}

Result<double> GetNumber(const Json& object, std::string_view field, bool required) {
  const Json* v = Member(object, field);
  if (v == nullptr) {
    if (required) {
      return Required(field);
    }
    return 0.0;
  }
  if (!v->is_number()) {
    return FieldInvalid(std::string(field), "must be a number");
  }
  return v->get<double>();
}

Result<std::optional<double>> GetOptionalNumber(const Json& object, std::string_view field) {
  const Json* v = Member(object, field);
  if (v == nullptr) {
    return std::optional<double>();
  }
  if (!v->is_number()) {
    return FieldInvalid(std::string(field), "must be a number");
  }
  return std::optional<double>(v->get<double>());
}

Result<bool> GetBool(const Json& object, std::string_view field, bool required) {
  const Json* v = Member(object, field);
  if (v == nullptr) {
    if (required) {
      return Required(field);
    }
    return false;
  }
  if (!v->is_boolean()) {
    return FieldInvalid(std::string(field), "must be true or false");
  }
  return v->get<bool>();
}

Result<std::optional<bool>> GetOptionalBool(const Json& object, std::string_view field) {
  const Json* v = Member(object, field);
  if (v == nullptr) {
    return std::optional<bool>();
  }
  if (!v->is_boolean()) {
    return FieldInvalid(std::string(field), "must be true or false");
  }
  return std::optional<bool>(v->get<bool>());
}

Result<std::vector<std::string>> GetStringArray(const Json& object, std::string_view field,
                                                bool required, size_t max_items, size_t max_len) {
  const Json* v = Member(object, field);
  if (v == nullptr) {
    if (required) {
      return Required(field);
    }
    return std::vector<std::string>();
  }
  if (!v->is_array()) {
    return FieldInvalid(std::string(field), "must be an array of strings");
  }
  if (v->size() > max_items) {
    return FieldInvalid(std::string(field),
                        "must have at most " + std::to_string(max_items) + " items");
  }
  std::vector<std::string> out;
  out.reserve(v->size());
  for (size_t i = 0; i < v->size(); ++i) {
    HUIYIN_ASSIGN_OR_RETURN(
        std::string s, StringValue((*v)[i], std::string(field) + "/" + std::to_string(i), max_len));
    out.push_back(std::move(s));
  }
  return out;
}

Result<const Json*> GetObject(const Json& object, std::string_view field, bool required) {
  const Json* v = Member(object, field);
  if (v == nullptr) {
    if (required) {
      return Required(field);
    }
    return static_cast<const Json*>(nullptr);
  }
  if (!v->is_object()) {
    return FieldInvalid(std::string(field), "must be an object");
  }
  return v;
}

Status RejectUnknownFields(const Json& object, std::initializer_list<std::string_view> allowed) {
  if (!object.is_object()) {
    return Status::Ok();
  }
  std::vector<FieldError> unknown;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      unknown.push_back({it.key(), "is not a known field"});
    }
  }
  if (unknown.empty()) {
    return Status::Ok();
  }
  std::string detail = "Unknown field";
  detail += unknown.size() > 1 ? "s: " : ": ";
  for (size_t i = 0; i < unknown.size(); ++i) {
    if (i > 0) {
      detail += ", ";
    }
    detail += unknown[i].field;
  }
  return Error(ErrorCode::kInvalidArgument, std::move(detail), std::move(unknown));
}

Response JsonResponse(int status, const Json& body) {
  return Response::Json(status, body.dump(-1, ' ', false, Json::error_handler_t::replace));
}

}  // namespace huiyin::http
