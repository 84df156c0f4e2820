#include "huiyin/http/message.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/http_util.h"

namespace huiyin::http {
namespace {

TEST(RequestTest, TargetSplitsIntoDecodedPathAndRawQuery) {
  Request r = Request::Make("GET", "/api/v1/cases/A%201?state=open%20now&state=closed&q=a+b");
  EXPECT_EQ(r.path, "/api/v1/cases/A 1");
  EXPECT_EQ(r.query, "state=open%20now&state=closed&q=a+b");
  EXPECT_EQ(r.QueryParam("state"), "open now");
  EXPECT_EQ(r.QueryParams("state"), (std::vector<std::string>{"open now", "closed"}));
  EXPECT_EQ(r.QueryParam("q"), "a b");
  EXPECT_EQ(r.QueryParam("missing"), std::nullopt);
  Request flag = Request::Make("GET", "/x?verbose&n=");
  EXPECT_EQ(flag.QueryParam("verbose"), "");
  EXPECT_EQ(flag.QueryParam("n"), "");
}

TEST(RequestTest, BadTargetsAreRefused) {
  Request r;
  EXPECT_FALSE(r.SetTarget("/a%2").ok());
  EXPECT_FALSE(r.SetTarget("/a%00b").ok());
  EXPECT_FALSE(r.SetTarget("http://example.com/").ok());
  EXPECT_TRUE(r.SetTarget("/").ok());
}

TEST(RequestTest, HeadersAreCaseInsensitive) {
  Request r;
  r.headers = {{"Content-Type", "application/json"}, {"X-Empty", ""}};
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_TRUE(r.HasHeader("x-empty"));
  EXPECT_FALSE(r.HasHeader("x-other"));
  EXPECT_EQ(r.Header("x-other"), "");
}

TEST(RequestTest, CookiesAreParsed) {
  Request r;
  r.headers = {{"Cookie", "theme=dark; huiyin_session=abc123; quoted=\"v\""}};
  EXPECT_EQ(r.Cookie("huiyin_session"), "abc123");
  EXPECT_EQ(r.Cookie("quoted"), "v");
  EXPECT_EQ(r.Cookie("session"), std::nullopt);
}

TEST(ResponseTest, SetHeaderReplacesAddHeaderAppends) {
  Response r;
  r.SetHeader("Cache-Control", "no-cache");
  r.SetHeader("cache-control", "no-store");
  r.AddHeader("Set-Cookie", "a=1");
  r.AddHeader("Set-Cookie", "b=2");
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  EXPECT_EQ(r.headers.size(), 3U);
}

TEST(ProblemTest, RendersRfc9457WithFieldErrors) {
  Request req = Request::Make("POST", "/api/v1/cases?x=1");
  req.request_id = "abc-123";
  Error error(ErrorCode::kInvalidArgument, "Two fields are wrong.",
              {{"title", "is required"}, {"location.lat", "must be a number"}});
  Response r = Response::Problem(error, req);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/problem+json");
  const auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["type"], "urn:huiyin:problem:invalid_argument");
  EXPECT_EQ(j["title"], "Invalid argument");
  EXPECT_EQ(j["status"], 400);
  EXPECT_EQ(j["detail"], "Two fields are wrong.");
  EXPECT_EQ(j["code"], "invalid_argument");
  EXPECT_EQ(j["instance"], "/api/v1/cases");
  EXPECT_EQ(j["request_id"], "abc-123");
  ASSERT_EQ(j["errors"].size(), 2U);
  EXPECT_EQ(j["errors"][1]["field"], "location.lat");
  EXPECT_EQ(j["errors"][1]["message"], "must be a number");
}

TEST(ProblemTest, StatusComesFromTheErrorTable) {
  Request req = Request::Make("GET", "/x");
  EXPECT_EQ(Response::Problem(MakeError(ErrorCode::kVersionConflict, "stale"), req).status, 409);
  const auto j =
      nlohmann::json::parse(Response::Problem(MakeError(ErrorCode::kNotFound, ""), req).body);
  EXPECT_FALSE(j.contains("detail"));
  EXPECT_FALSE(j.contains("errors"));
}

TEST(ProblemTest, HostileTextStaysValidJson) {
  Request req = Request::Make("GET", "/x");
  req.path = "/\"quoted\"\n\x01\xff\xfe";
  const Response r = Response::Problem(MakeError(ErrorCode::kNotFound, "bad \xc3\x28 utf8"), req);
  const auto j = nlohmann::json::parse(r.body);  // throws on invalid JSON or UTF-8
  EXPECT_EQ(j["instance"], "/\"quoted\"\n\x01\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(HttpUtilTest, RequestIds) {
  EXPECT_TRUE(IsSaneRequestId("abc-DEF_1.2"));
  EXPECT_FALSE(IsSaneRequestId(""));
  EXPECT_FALSE(IsSaneRequestId("has space"));
  EXPECT_FALSE(IsSaneRequestId(std::string(65, 'a')));
  const std::string a = GenerateRequestId();
  EXPECT_EQ(a.size(), 16U);
  EXPECT_TRUE(IsSaneRequestId(a));
  EXPECT_NE(a, GenerateRequestId());
}

TEST(HttpUtilTest, StandardHeadersDoNotOverrideHandlers) {
  Response r;
  r.SetHeader("Content-Security-Policy", "default-src 'none'");
  ApplyStandardHeaders(r, "id-1");
  EXPECT_EQ(r.Header("Content-Security-Policy"), "default-src 'none'");
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.Header("X-Frame-Options"), "DENY");
  EXPECT_EQ(r.Header("Referrer-Policy"), "same-origin");
  EXPECT_EQ(r.Header("Server"), "huiyin");
  EXPECT_EQ(r.Header("X-Request-Id"), "id-1");
}

}  // namespace
}  // namespace huiyin::http
