// Private helpers of the HTTP layer (no Beast, no JSON library): case-insensitive compares,
// percent-decoding, JSON string escaping, request ids and the headers every response carries.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "huiyin/http/message.h"

namespace huiyin::http {

// ASCII case-insensitive equality (header names, media types).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Decodes %XX escapes (and '+' as space when `plus_as_space`). Nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_as_space);

// Appends `text` as a quoted JSON string; invalid UTF-8 becomes U+FFFD so the output stays valid.
void AppendJsonString(std::string& out, std::string_view text);

// An incoming X-Request-Id we keep: 1–64 chars of [A-Za-z0-9._-].
bool IsSaneRequestId(std::string_view id);
// A fresh request id: 16 lowercase hex characters, random per process and thread. Thread-safe.
std::string GenerateRequestId();

// Adds X-Request-Id, Server and the security headers (each unless the handler set it already).
void ApplyStandardHeaders(Response& response, std::string_view request_id);

}  // namespace huiyin::http
