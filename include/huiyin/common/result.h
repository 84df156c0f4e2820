// Result<T> and Status: the channel for expected failures (STYLE.md habit 2). An Error carries a
// code from error_codes.def, a client-safe detail, and optional per-field errors. Exceptions are
// reserved for bugs and request-ending failures.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace huiyin {

enum class ErrorCode {
#define HUIYIN_ERROR(name, code, status, title) name,
#include "huiyin/common/error_codes.def"
#undef HUIYIN_ERROR
};

// Stable machine-readable code ("version_conflict"), HTTP status and title of an error code.
std::string_view ErrorCodeSlug(ErrorCode code);
int ErrorCodeHttpStatus(ErrorCode code);
std::string_view ErrorCodeTitle(ErrorCode code);

// One wrong field of a request: `field` is a JSON pointer or a parameter name.
struct FieldError {
  std::string field;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string detail;              // says what was wrong and what to do; safe to show to clients
  std::vector<FieldError> fields;  // optional per-field errors

  Error() = default;
  Error(ErrorCode c, std::string d) : code(c), detail(std::move(d)) {}
  Error(ErrorCode c, std::string d, std::vector<FieldError> f)
      : code(c), detail(std::move(d)), fields(std::move(f)) {}
};

inline Error MakeError(ErrorCode code, std::string detail) {
  return {code, std::move(detail)};
}
// An invalid_argument error naming one field.
inline Error FieldInvalid(std::string field, std::string message) {
  std::string detail = field + ": " + message;
  return {ErrorCode::kInvalidArgument,
          std::move(detail),
          {FieldError{std::move(field), std::move(message)}}};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

// Result of an operation with no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error)
      : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  static Status Ok() { return {}; }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace huiyin

// Propagate a failed Status/Result from the enclosing function.
#define HUIYIN_TRY(expr)                            \
  do {                                              \
    auto huiyin_try_status_ = (expr);               \
    if (!huiyin_try_status_.ok()) {                 \
      return std::move(huiyin_try_status_).error(); \
    }                                               \
  } while (false)

#define HUIYIN_CONCAT_INNER_(a, b) a##b
#define HUIYIN_CONCAT_(a, b) HUIYIN_CONCAT_INNER_(a, b)
// `HUIYIN_ASSIGN_OR_RETURN(auto x, Fn());` binds the value or returns the error.
#define HUIYIN_ASSIGN_OR_RETURN(lhs, expr) \
  HUIYIN_ASSIGN_OR_RETURN_IMPL_(HUIYIN_CONCAT_(huiyin_result_, __LINE__), lhs, expr)
#define HUIYIN_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) {                                    \
    return std::move(tmp).error();                    \
  }                                                   \
  lhs = std::move(tmp).value()
