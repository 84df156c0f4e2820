// libFuzzer target: request bodies as JSON (ParseJsonBody and the typed getters every handler
// uses) and as an Open311 form (FormData). Must never crash; a parsed JSON body is an object
// when one is required. Also the way out: any bytes written as a JSON string (AppendJsonString,
// which every response uses) make valid JSON, and valid UTF-8 reads back unchanged.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>
#include <string>

#include "http/form.h"
#include "http/http_util.h"
#include "http/json_util.h"
#include "huiyin/common/text.h"
#include "huiyin/http/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  huiyin::http::Request req;
  req.method = "POST";
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = std::string(input);
  auto body = huiyin::http::ParseJsonBody(req);
  if (body.ok()) {
    if (!body->is_object()) __builtin_trap();
    for (const char* f : {"kind", "type", "title", "content", "version", "lat", "requester"}) {
      (void)huiyin::http::GetString(*body, f, false, 100);
      (void)huiyin::http::GetOptionalInt(*body, f);
      (void)huiyin::http::GetOptionalNumber(*body, f);
      (void)huiyin::http::GetBool(*body, f, false);
      (void)huiyin::http::GetObject(*body, f, false);
    }
    (void)huiyin::http::RejectUnknownFields(*body, {"kind", "type", "title"});
  }
  std::string out;
  huiyin::http::AppendJsonString(out, input);
  const auto back = nlohmann::json::parse(out, nullptr, false);
  if (back.is_discarded() || !back.is_string()) __builtin_trap();
  if (huiyin::IsValidUtf8(input) && back.get_ref<const std::string&>() != input) {
    __builtin_trap();  // valid UTF-8 must read back as it was
  }
  auto form = huiyin::http::FormData::Parse(input);
  if (form.ok()) {
    (void)form->First("service_code");
    (void)form->All("attribute[x]");
    for (const auto& [name, value] : form->fields()) {
      (void)huiyin::http::BracketKey(name, "attribute");
    }
  }
  return 0;
}
