// Personal and legal-person identifiers: citizen ID numbers (居民身份证号码, GB 11643-1999),
// unified social credit codes (统一社会信用代码, GB 32100-2015), mainland mobile numbers, and
// the masking used in every response that shows them (RULES.md §7). Pure; thread-safe.
//
// Masking rules (one place, used everywhere):
//  - mobile: first 3 and last 4 digits kept          13812345678        → 138****5678
//  - ID number: first 6 (region) and last 2 kept     11010519491231002X → 110105**********2X
//  - name: first character kept, one '*' per other   张三 → 张*, 欧阳娜娜 → 欧***, 李 → 李
//  Text too short to mask meaningfully is replaced by '*' entirely (never shown in clear).
#pragma once

#include <string>
#include <string_view>

#include "huiyin/common/result.h"
#include "huiyin/common/time.h"

namespace huiyin::core {

// What a valid citizen ID number says about its holder.
struct IdNumberInfo {
  std::string number;       // normalised: 18 characters, check 'X' upper-case
  std::string region_code;  // first 6 digits (GB/T 2260 at the time of issue)
  Date birth_date{};
  bool male = false;  // sequence digit 17 odd
};

// Validates an 18-character ID number: digits, a birth date that exists (1900 or later), and the
// ISO 7064 MOD 11-2 check character ('x' accepted as 'X'). kInvalidArgument says which part fails.
Result<IdNumberInfo> ParseIdNumber(std::string_view text);
// True when ParseIdNumber succeeds.
bool IsValidIdNumber(std::string_view text);
// The MOD 11-2 check character for the first 17 digits ('0'..'9' or 'X'); '?' if not 17 digits.
char IdNumberCheckChar(std::string_view first17);

// A unified social credit code that is well formed; `check_ok` is false (with a warning) when its
// check character does not match — some legal early codes fail it, so this warns, never rejects.
struct CreditCodeInfo {
  std::string code;  // normalised upper-case
  bool check_ok = true;
  std::string warning;  // empty when check_ok
};
// Validates length (18) and alphabet (0-9 and A-Y without I O S V Z); kInvalidArgument otherwise.
Result<CreditCodeInfo> ParseCreditCode(std::string_view text);
// The check character for the first 17 characters, or '?' if they are not in the alphabet.
char CreditCodeCheckChar(std::string_view first17);

// Normalises a mainland mobile number: strips spaces and dashes and a "+86"/"86" prefix, then
// requires 11 digits starting 1[3-9]. Returns the 11 digits or kInvalidArgument.
Result<std::string> NormalizeMobile(std::string_view text);

// "138****5678" (see the masking rules above).
std::string MaskPhone(std::string_view phone);
// "110105**********2X".
std::string MaskIdNumber(std::string_view id_number);
// "张*" (UTF-8 aware).
std::string MaskName(std::string_view name);

}  // namespace huiyin::core
