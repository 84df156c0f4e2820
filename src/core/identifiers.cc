#include "huiyin/core/identifiers.h"

#include <array>
#include <cctype>
#include <chrono>

#include "huiyin/common/text.h"

namespace huiyin::core {
namespace {

constexpr std::array<int, 17> kIdWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kIdCheckChars = "10X98765432";

constexpr std::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kCreditWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                29, 25, 13, 8,  24, 10, 30, 28};

int CreditValue(char c) {
  auto pos = kCreditAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

Error IdError(std::string message) {
  return FieldInvalid("id_number", std::move(message));
}

// Length in bytes of the UTF-8 sequence starting with `lead`.
size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

}  // namespace

char IdNumberCheckChar(std::string_view first17) {
  if (first17.size() != 17 || !AllDigits(first17)) return '?';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kIdWeights[i];
  return kIdCheckChars[sum % 11];
}

Result<IdNumberInfo> ParseIdNumber(std::string_view text) {
  if (text.size() != 18) return IdError("must be 18 characters");
  std::string number(text);
  if (number[17] == 'x') number[17] = 'X';
  std::string_view body = std::string_view(number).substr(0, 17);
  if (!AllDigits(body)) return IdError("the first 17 characters must be digits");
  if (!std::isdigit(static_cast<unsigned char>(number[17])) && number[17] != 'X') {
    return IdError("the last character must be a digit or X");
  }
  if (number[0] == '0') return IdError("the region code is not valid");
  int year = std::stoi(number.substr(6, 4));
  unsigned month = static_cast<unsigned>(std::stoi(number.substr(10, 2)));
  unsigned day = static_cast<unsigned>(std::stoi(number.substr(12, 2)));
  std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                  std::chrono::day{day}};
  if (year < 1900 || !ymd.ok()) {
    return IdError("the birth date " + number.substr(6, 8) + " does not exist");
  }
  if (IdNumberCheckChar(body) != number[17]) return IdError("the check character is wrong");
  IdNumberInfo info;
  info.region_code = number.substr(0, 6);
  info.birth_date = std::chrono::sys_days{ymd};
  info.male = (number[16] - '0') % 2 == 1;
  info.number = std::move(number);
  return info;
}

bool IsValidIdNumber(std::string_view text) {
  return ParseIdNumber(text).ok();
}

char CreditCodeCheckChar(std::string_view first17) {
  if (first17.size() != 17) return '?';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    int v = CreditValue(first17[i]);
    if (v < 0) return '?';
    sum += v * kCreditWeights[i];
  }
  int check = 31 - sum % 31;
  if (check == 31) check = 0;
  return kCreditAlphabet[static_cast<size_t>(check)];
}

Result<CreditCodeInfo> ParseCreditCode(std::string_view text) {
  if (text.size() != 18) return FieldInvalid("credit_code", "must be 18 characters");
  std::string code(text);
  for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (char c : code) {
    if (CreditValue(c) < 0) {
      return FieldInvalid("credit_code",
                          "may contain only digits and capital letters other than I, O, S, V, Z");
    }
  }
  CreditCodeInfo info;
  char expected = CreditCodeCheckChar(std::string_view(code).substr(0, 17));
  if (expected != code[17]) {
    info.check_ok = false;
    info.warning = std::string("the check character should be ") + expected +
                   "; some early codes fail this check, so please confirm the code";
  }
  info.code = std::move(code);
  return info;
}

Result<std::string> NormalizeMobile(std::string_view text) {
  std::string digits;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '-') continue;
    if (c == '+' && digits.empty() && i == 0) continue;
    digits.push_back(c);
  }
  if (digits.size() == 13 && digits.starts_with("86")) digits.erase(0, 2);
  if (digits.size() != 11 || !AllDigits(digits) || digits[0] != '1' || digits[1] < '3') {
    return FieldInvalid("phone", "must be a mainland mobile number: 11 digits starting 13–19");
  }
  return digits;
}

std::string MaskPhone(std::string_view phone) {
  if (phone.size() < 8) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
         std::string(phone.substr(phone.size() - 4));
}

std::string MaskIdNumber(std::string_view id_number) {
  if (id_number.size() < 10) return std::string(id_number.size(), '*');
  return std::string(id_number.substr(0, 6)) + std::string(id_number.size() - 8, '*') +
         std::string(id_number.substr(id_number.size() - 2));
}

std::string MaskName(std::string_view name) {
  if (name.empty()) return "";
  size_t first = std::min(Utf8Length(static_cast<unsigned char>(name[0])), name.size());
  std::string out(name.substr(0, first));
  for (size_t i = first; i < name.size(); i += Utf8Length(static_cast<unsigned char>(name[i]))) {
    out += '*';
  }
  return out;
}

}  // namespace huiyin::core
