#include "huiyin/common/result.h"

#include <array>

namespace huiyin {
namespace {

struct ErrorRow {
  std::string_view slug;
  int status;
  std::string_view title;
};

constexpr std::array kErrorTable = {
#define HUIYIN_ERROR(name, code, status, title) ErrorRow{code, status, title},
#include "huiyin/common/error_codes.def"
#undef HUIYIN_ERROR
};

const ErrorRow& Row(ErrorCode code) {
  return kErrorTable[static_cast<size_t>(code)];
}

}  // namespace

std::string_view ErrorCodeSlug(ErrorCode code) {
  return Row(code).slug;
}
int ErrorCodeHttpStatus(ErrorCode code) {
  return Row(code).status;
}
std::string_view ErrorCodeTitle(ErrorCode code) {
  return Row(code).title;
}

}  // namespace huiyin
