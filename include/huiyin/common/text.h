// Small text helpers shared by validation and search: counting characters, and making user input
// literal inside LIKE patterns and FTS5 queries. Pure and thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace huiyin {

// Unicode code points in UTF-8 `text` (what people call characters: "楼道灯" is 3).
size_t CodePoints(std::string_view text);

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `text` with LIKE's wildcards and the escape character made literal, for `LIKE ? ESCAPE '\'`.
std::string EscapeLike(std::string_view text);

// An FTS5 phrase matching `term` literally: inner quotes doubled, the whole between quotes.
std::string FtsPhrase(std::string_view term);

}  // namespace huiyin
