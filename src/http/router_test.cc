#include "huiyin/http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace huiyin::http {
namespace {

Handler Reply(const std::string& text) {
  return [text](Request&) { return Response::Text(200, text); };
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add("GET", "/api/v1/cases", Reply("list"));
    router_.Add("POST", "/api/v1/cases", Reply("create"));
    router_.Add("GET", "/api/v1/cases/{number}", [](Request& r) {
      return Response::Text(200, "case " + std::string(r.Param("number")));
    });
    router_.Add("GET", "/api/v1/cases/stats", Reply("stats"));
    router_.Add("POST", "/api/v1/cases/{number}/transitions/{name}", [](Request& r) {
      return Response::Text(200,
                            std::string(r.Param("number")) + ":" + std::string(r.Param("name")));
    });
    router_.Add("GET", "/files/*rest", [](Request& r) {
      return Response::Text(200, "rest=" + std::string(r.Param("rest")));
    });
    router_.Add("GET", "/healthz", Reply("ok"), {.name = "health", .run_inline = true});
  }

  Response Call(std::string method, std::string_view target, std::string body = {}) {
    Request r = Request::Make(std::move(method), target, std::move(body));
    r.request_id = "req-1";
    return router_.Handle(r);
  }

  Router router_;
};

TEST_F(RouterTest, ExactSegmentsBeatParams) {
  EXPECT_EQ(Call("GET", "/api/v1/cases/stats").body, "stats");
  EXPECT_EQ(Call("GET", "/api/v1/cases/A20260104-0001").body, "case A20260104-0001");
}

TEST_F(RouterTest, ParamsArePercentDecodedAndPositional) {
  EXPECT_EQ(Call("POST", "/api/v1/cases/A%2F1/transitions/sign%20for").body, "A/1:sign for");
  EXPECT_EQ(Call("GET", "/api/v1/cases/%E5%9B%9E%E9%9F%B3").body, "case 回音");
}

TEST_F(RouterTest, WildcardTakesTheRest) {
  EXPECT_EQ(Call("GET", "/files/a/b/c.txt").body, "rest=a/b/c.txt");
  EXPECT_EQ(Call("GET", "/files/").body, "rest=");
  EXPECT_EQ(Call("GET", "/files").body, "rest=");
}

TEST_F(RouterTest, UnknownPathIsA404Problem) {
  Response r = Call("GET", "/api/v1/nothing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_NE(r.body.find("\"code\":\"not_found\""), std::string::npos);
  EXPECT_NE(r.body.find("\"instance\":\"/api/v1/nothing\""), std::string::npos);
  EXPECT_NE(r.body.find("\"request_id\":\"req-1\""), std::string::npos);
  // A param never matches an empty segment.
  EXPECT_EQ(Call("GET", "/api/v1/cases//transitions/x").status, 404);
}

TEST_F(RouterTest, WrongMethodIsA405WithAllow) {
  Response r = Call("DELETE", "/api/v1/cases");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("Allow"), "GET, HEAD, POST, OPTIONS");
  EXPECT_NE(r.body.find("method_not_allowed"), std::string::npos);
  // Allowed methods are gathered from every route matching the path.
  Response put = Call("PUT", "/api/v1/cases/stats");
  EXPECT_EQ(put.status, 405);
  EXPECT_EQ(put.Header("Allow"), "GET, HEAD, OPTIONS");
}

TEST_F(RouterTest, MethodFallsBackToALessSpecificRoute) {
  // "/api/v1/cases/stats" is GET-only at the literal; POST .../transitions needs the param route.
  router_.Add("DELETE", "/api/v1/cases/{number}", Reply("withdrawn"));
  EXPECT_EQ(Call("DELETE", "/api/v1/cases/stats").body, "withdrawn");
}

TEST_F(RouterTest, OptionsListsAllowedMethods) {
  Response r = Call("OPTIONS", "/api/v1/cases");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.Header("Allow"), "GET, HEAD, POST, OPTIONS");
}

TEST_F(RouterTest, HeadIsServedByGetWithoutBody) {
  Response r = Call("HEAD", "/api/v1/cases/A1");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.Header("Content-Length"), "7");  // "case A1"
}

TEST_F(RouterTest, MatchReportsRouteNameAndInline) {
  Request r = Request::Make("GET", "/healthz");
  RouteMatch m = router_.Match(r);
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.Name(), "health");
  EXPECT_TRUE(m.RunsInline());
  Request c = Request::Make("GET", "/api/v1/cases/7");
  RouteMatch mc = router_.Match(c);
  EXPECT_EQ(mc.Name(), "GET /api/v1/cases/{number}");
  EXPECT_FALSE(mc.RunsInline());
  EXPECT_EQ(c.route, mc.route);
}

TEST_F(RouterTest, FallbackGetsUnknownPaths) {
  router_.SetFallback([](Request& r) { return Response::Text(200, "spa " + r.path); });
  EXPECT_EQ(Call("GET", "/portal/cases/7").body, "spa /portal/cases/7");
  // A known path with the wrong method is still a 405, not the fallback.
  EXPECT_EQ(Call("DELETE", "/api/v1/cases").status, 405);
}

TEST_F(RouterTest, BeforeHookCanRejectAndSeesRouteOptions) {
  router_.Add("GET", "/api/v1/admin", Reply("secret"), {.access = "admin"});
  router_.SetBefore([](Request& r, const Route& route) -> std::optional<Response> {
    if (route.options.access == "admin" && r.Header("Authorization").empty()) {
      return Response::Problem(MakeError(ErrorCode::kUnauthenticated, "Sign in first."), r);
    }
    r.context = std::string("principal");
    return std::nullopt;
  });
  EXPECT_EQ(Call("GET", "/api/v1/admin").status, 401);
  Request ok = Request::Make("GET", "/api/v1/admin");
  ok.headers.emplace_back("authorization", "Bearer x");
  EXPECT_EQ(router_.Handle(ok).body, "secret");
  EXPECT_EQ(std::any_cast<std::string>(ok.context), "principal");
}

TEST_F(RouterTest, ExceptionBecomesA500WithoutTheDetail) {
  router_.Add("GET", "/boom", [](Request&) -> Response {
    throw std::runtime_error("password=hunter2 at db.cc:42");
  });
  Response r = Call("GET", "/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("hunter2"), std::string::npos);
  EXPECT_NE(r.body.find("\"code\":\"internal\""), std::string::npos);
}

TEST_F(RouterTest, MalformedTargetIsA400) {
  EXPECT_EQ(Call("GET", "/api/v1/cases/%zz").status, 400);
  EXPECT_EQ(Call("GET", "/a%00b").status, 400);
}

TEST_F(RouterTest, BadPatternsAndDuplicatesThrow) {
  EXPECT_THROW(router_.Add("GET", "/api/v1/cases", Reply("again")), std::invalid_argument);
  EXPECT_THROW(router_.Add("GET", "no-slash", Reply("x")), std::invalid_argument);
  EXPECT_THROW(router_.Add("GET", "/a/*rest/b", Reply("x")), std::invalid_argument);
  EXPECT_THROW(router_.Add("GET", "/a/x{y}", Reply("x")), std::invalid_argument);
}

TEST_F(RouterTest, RouteIdsAreDense) {
  router_.SetFallback(Reply("spa"));
  std::vector<bool> seen(router_.RouteCount(), false);
  router_.ForEachRoute([&](const Route& r) { seen.at(r.id) = true; });
  for (bool s : seen) {
    EXPECT_TRUE(s);
  }
}

}  // namespace
}  // namespace huiyin::http
