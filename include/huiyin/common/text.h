// Small text helpers shared by validation and search: counting characters, and making user input
// literal inside LIKE patterns and FTS5 queries. Pure and thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "huiyin/common/result.h"

namespace huiyin {

// Unicode code points in UTF-8 `text` (what people call characters: "楼道灯" is 3).
size_t CodePoints(std::string_view text);

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Whether `s` is made of the ASCII digits 0-9 only (true for "").
bool AllDigits(std::string_view s);

// `s` with the ASCII letters lower-cased (other bytes, Chinese included, untouched).
std::string AsciiLower(std::string_view s);

// The search terms of a query: split at whitespace (ASCII and the ideographic space U+3000),
// ASCII letters lower-cased, duplicates and empties dropped, at most 8 terms of ≤ 50 characters
// (kInvalidArgument naming the field "q" beyond).
Result<std::vector<std::string>> SearchTerms(std::string_view q);

// `text` with LIKE's wildcards and the escape character made literal, for `LIKE ? ESCAPE '\'`.
std::string EscapeLike(std::string_view text);

// An FTS5 phrase matching `term` literally: inner quotes doubled, the whole between quotes.
std::string FtsPhrase(std::string_view term);

}  // namespace huiyin
