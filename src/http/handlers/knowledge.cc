// The knowledge base (知识库): public search and reading of published articles; editors in scope
// create, edit (optimistic concurrency on `version`), publish and archive.
#include "huiyin/app/knowledge.h"

#include "http/handlers/api.h"
#include "http/handlers/json_views.h"
#include "http/json_util.h"

namespace huiyin::api {
namespace {

using nlohmann::json;

constexpr size_t kSummaryChars = 120;

// The first `n` code points of UTF-8 `text`.
std::string Prefix(const std::string& text, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (count == n) return text.substr(0, i) + "…";
      ++count;
    }
  }
  return text;
}

json ArticleJson(const app::Article& a, bool full) {
  json j{{"id", a.id},
         {"title", a.title},
         {"keywords", a.keywords},
         {"org_id", a.org_id},
         {"org_name", a.org_name},
         {"status", std::string(app::ArticleStatusName(a.status))},
         {"version", a.version},
         {"created_at", FormatIso(a.created_at)},
         {"updated_at", FormatIso(a.updated_at)}};
  j["category"] = a.category_code ? json(*a.category_code) : json(nullptr);
  j["published_at"] = a.published_at ? json(FormatIso(*a.published_at)) : json(nullptr);
  if (full) {
    j["body"] = a.body;
  } else {
    j["summary"] = Prefix(a.body, kSummaryChars);
  }
  return j;
}

http::Response ArticleResponse(int status, const app::Article& a) {
  auto r = http::JsonResponse(status, ArticleJson(a, true));
  r.SetHeader("ETag", "\"" + std::to_string(a.version) + "\"");
  return r;
}

Result<app::ArticleInput> ReadInput(const json& body) {
  HUIYIN_TRY(http::RejectUnknownFields(
      body, {"title", "body", "keywords", "category", "org_id", "version"}));
  app::ArticleInput in;
  HUIYIN_ASSIGN_OR_RETURN(in.title, http::GetString(body, "title", true, 200));
  HUIYIN_ASSIGN_OR_RETURN(in.body, http::GetString(body, "body", true, 20000));
  HUIYIN_ASSIGN_OR_RETURN(in.keywords, http::GetStringArray(body, "keywords", false, 20, 50));
  HUIYIN_ASSIGN_OR_RETURN(in.category_code, http::GetOptionalString(body, "category", 64));
  HUIYIN_ASSIGN_OR_RETURN(in.org_id, http::GetOptionalInt(body, "org_id", 1));
  return in;
}

http::Response Search(ApiContext& ctx, http::Request& req) {
  app::ArticleQuery q;
  q.q = req.QueryParam("q").value_or("");
  if (auto c = req.QueryParam("category"); c && !c->empty()) q.category_code = *c;
  if (auto s = req.QueryParam("status"); s && !s->empty()) {
    auto status = app::ParseArticleStatus(*s);
    if (!status) {
      return http::Response::Problem(FieldInvalid("status", "must be published, draft or archived"),
                                     req);
    }
    q.status = *status;
  }
  q.cursor = req.QueryParam("cursor").value_or("");
  HUIYIN_API_ASSIGN(q.limit, IntQuery(req, "limit", q.limit), req);
  app::KnowledgeService kb(ctx.db);
  HUIYIN_API_ASSIGN(app::ArticlePage page, kb.Search(CallerOf(req), q), req);
  json items = json::array();
  for (const auto& a : page.items) items.push_back(ArticleJson(a, false));
  json out{{"items", items}};
  out["next_cursor"] = page.next_cursor.empty() ? json(nullptr) : json(page.next_cursor);
  return http::JsonResponse(200, out);
}

http::Response Get(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(int64_t id, IdParam(req, "id"), req);
  app::KnowledgeService kb(ctx.db);
  HUIYIN_API_ASSIGN(app::Article a, kb.Get(CallerOf(req), id), req);
  return ArticleResponse(200, a);
}

http::Response Create(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_ASSIGN(app::ArticleInput in, ReadInput(body), req);
  app::KnowledgeService kb(ctx.db);
  HUIYIN_API_ASSIGN(app::Article a, kb.Create(*CallerOf(req), in, MetaOf(req)), req);
  auto r = ArticleResponse(201, a);
  r.SetHeader("Location", "/api/v1/knowledge/" + std::to_string(a.id));
  return r;
}

http::Response Update(ApiContext& ctx, http::Request& req) {
  HUIYIN_API_ASSIGN(int64_t id, IdParam(req, "id"), req);
  HUIYIN_API_ASSIGN(json body, http::ParseJsonBody(req), req);
  HUIYIN_API_ASSIGN(app::ArticleInput in, ReadInput(body), req);
  HUIYIN_API_ASSIGN(auto version, VersionOf(req, &body), req);
  if (!version) {
    return http::Response::Problem(
        MakeError(ErrorCode::kPreconditionRequired,
                  "send the version you read (\"version\" in the body or an If-Match header) so "
                  "that nobody's change is overwritten"),
        req);
  }
  app::KnowledgeService kb(ctx.db);
  HUIYIN_API_ASSIGN(app::Article a, kb.Update(*CallerOf(req), id, *version, in, MetaOf(req)), req);
  return ArticleResponse(200, a);
}

http::Response Transition(ApiContext& ctx, http::Request& req, bool publish) {
  HUIYIN_API_ASSIGN(int64_t id, IdParam(req, "id"), req);
  std::optional<json> body;
  if (!req.body.empty()) {
    HUIYIN_API_ASSIGN(body, http::ParseJsonBody(req), req);
    HUIYIN_API_CHECK(http::RejectUnknownFields(*body, {"version"}), req);
  }
  HUIYIN_API_ASSIGN(auto version, VersionOf(req, body ? &*body : nullptr), req);
  app::KnowledgeService kb(ctx.db);
  HUIYIN_API_ASSIGN(app::Article a,
                    publish ? kb.Publish(*CallerOf(req), id, version, MetaOf(req))
                            : kb.Archive(*CallerOf(req), id, version, MetaOf(req)),
                    req);
  return ArticleResponse(200, a);
}

}  // namespace

void RegisterKnowledgeRoutes(http::Router& router, ApiContext& ctx) {
  const std::string edit(app::kKnowledgeEditPermission);
  router.Add("GET", "/api/v1/knowledge", [&ctx](http::Request& r) { return Search(ctx, r); },
             {.name = "", .run_inline = false, .access = kPublic});
  router.Add("GET", "/api/v1/knowledge/{id}", [&ctx](http::Request& r) { return Get(ctx, r); },
             {.name = "", .run_inline = false, .access = kPublic});
  router.Add("POST", "/api/v1/knowledge", [&ctx](http::Request& r) { return Create(ctx, r); },
             {.name = "", .run_inline = false, .access = edit});
  router.Add("PUT", "/api/v1/knowledge/{id}", [&ctx](http::Request& r) { return Update(ctx, r); },
             {.name = "", .run_inline = false, .access = edit});
  router.Add("POST", "/api/v1/knowledge/{id}/publish",
             [&ctx](http::Request& r) { return Transition(ctx, r, true); },
             {.name = "", .run_inline = false, .access = edit});
  router.Add("POST", "/api/v1/knowledge/{id}/archive",
             [&ctx](http::Request& r) { return Transition(ctx, r, false); },
             {.name = "", .run_inline = false, .access = edit});
}

}  // namespace huiyin::api
