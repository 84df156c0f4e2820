// libFuzzer target: request bodies as JSON (ParseJsonBody and the typed getters every handler
// uses) and as an Open311 form (FormData). Must never crash; a parsed JSON body is an object
// when one is required.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/form.h"
#include "http/json_util.h"
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
