// Files attached to a case (app/attachments.h): upload as the raw request body
// (POST …/attachments?name=…&material=…), list with an application's materials, download.
#include "huiyin/app/attachments.h"

#include "http/handlers/api.h"
#include "http/handlers/json_views.h"
#include "http/json_util.h"

namespace huiyin::api {
namespace {

using nlohmann::json;

json AttachmentJson(const app::AttachmentView& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"content_type", a.content_type},
          {"size", a.size},
          {"sha256", a.sha256},
          {"material", a.material},
          {"uploader", a.uploader},
          {"created_at", FormatIso(a.created_at)}};
}

app::AttachmentService Service(ApiContext& ctx) {
  return app::AttachmentService(ctx.db, ctx.cases, ctx.config.attachments.max_bytes);
}

http::Response Upload(ApiContext& ctx, http::Request& req) {
  auto service = Service(ctx);
  HUIYIN_API_ASSIGN(
      app::AttachmentView a,
      service.Upload(*CallerOf(req), req.Param("number"), req.QueryParam("name").value_or(""),
                     req.QueryParam("material").value_or(""), req.body, MetaOf(req)),
      req);
  auto r = http::JsonResponse(201, AttachmentJson(a));
  r.SetHeader("Location", "/api/v1/cases/" + std::string(req.Param("number")) + "/attachments/" +
                              std::to_string(a.id));
  return r;
}

http::Response List(ApiContext& ctx, http::Request& req) {
  auto service = Service(ctx);
  HUIYIN_API_ASSIGN(app::AttachmentList list, service.List(*CallerOf(req), req.Param("number")),
                    req);
  json items = json::array();
  for (const auto& a : list.items) items.push_back(AttachmentJson(a));
  json materials = json::array();
  for (const auto& m : list.materials) {
    materials.push_back({{"name", m.name}, {"required", m.required}, {"uploaded", m.uploaded}});
  }
  return http::JsonResponse(200, {{"items", items}, {"materials", materials}});
}

// "attachment; filename=…" with an ASCII fallback and the UTF-8 name (RFC 6266, RFC 8187).
std::string Disposition(std::string_view name) {
  std::string ascii;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : name) {
    const auto b = static_cast<unsigned char>(ch);
    ascii += b < 0x80 && b != '"' && b != '\\' ? ch : '_';
    if (std::isalnum(b) || ch == '.' || ch == '-' || ch == '_') {
      encoded += ch;
    } else {
      encoded += '%';
      encoded += kHex[b >> 4];
      encoded += kHex[b & 15];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

http::Response Fetch(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(int64_t id, IdParam(req, "id"), req);
  auto service = Service(ctx);
  HUIYIN_API_ASSIGN(app::AttachmentFile f, service.Fetch(*CallerOf(req), req.Param("number"), id),
                    req);
  http::Response r;
  r.status = 200;
  r.content_type = f.meta.content_type;  // as recognised at upload, never the uploader's claim
  r.body = std::move(f.bytes);
  r.SetHeader("Content-Disposition", Disposition(f.meta.name));
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("Content-Security-Policy", "default-src 'none'; sandbox");
  r.SetHeader("Cache-Control", "private, no-store");
  r.SetHeader("ETag", "\"" + f.meta.sha256 + "\"");
  return r;
}

}  // namespace

void RegisterAttachmentRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("POST", "/api/v1/cases/{number}/attachments",
             [&ctx](http::Request& r) { return Upload(ctx, r); },
             {.name = "",
              .run_inline = false,
              .access = kAuthenticated,
              .max_body_bytes = static_cast<size_t>(ctx.config.attachments.max_bytes)});
  router.Add("GET", "/api/v1/cases/{number}/attachments",
             [&ctx](http::Request& r) { return List(ctx, r); },
             {.name = "", .run_inline = false, .access = kAuthenticated});
  router.Add("GET", "/api/v1/cases/{number}/attachments/{id}",
             [&ctx](http::Request& r) { return Fetch(ctx, r); },
             {.name = "", .run_inline = false, .access = kAuthenticated});
}

}  // namespace huiyin::api
