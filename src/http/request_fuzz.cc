// libFuzzer target: a request target (path and query) as a client sends it, routed through a
// router with the shapes of Huiyin's routes, and its query parameters read. Must never crash,
// hang or leak; a target that parses must route to exactly one outcome.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "huiyin/http/message.h"
#include "huiyin/http/router.h"

namespace {

huiyin::http::Router& FuzzRouter() {
  static huiyin::http::Router* router = [] {
    auto* r = new huiyin::http::Router();
    auto ok = [](huiyin::http::Request&) { return huiyin::http::Response::Empty(204); };
    for (const char* p :
         {"/api/v1/cases", "/api/v1/cases/{number}", "/api/v1/cases/{number}/transitions/{name}",
          "/api/v1/cases/{number}/attachments/{id}", "/api/v1/services/{code}",
          "/open311/v2/requests/{id}.{format}", "/assets/*path"}) {
      r->Add("GET", p, ok, {});
      r->Add("POST", p, ok, {});
    }
    return r;
  }();
  return *router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find('\n');
  huiyin::http::Request req;
  req.method = split == std::string_view::npos ? "GET" : std::string(input.substr(0, split));
  const std::string_view target = split == std::string_view::npos ? input : input.substr(split + 1);
  if (!req.SetTarget(target).ok()) return 0;
  (void)req.QueryParam("q");
  (void)req.QueryParams("co_org_ids");
  auto match = FuzzRouter().Match(req);
  auto response = FuzzRouter().Dispatch(match, req);
  if (response.status < 100 || response.status > 599) __builtin_trap();
  return 0;
}
