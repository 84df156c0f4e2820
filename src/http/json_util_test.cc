#include "http/json_util.h"

#include <gtest/gtest.h>

namespace huiyin::http {
namespace {

using nlohmann::json;

Request JsonRequest(std::string body, std::string type = "application/json") {
  Request r = Request::Make("POST", "/api/v1/cases", std::move(body));
  if (!type.empty()) {
    r.headers.emplace_back("Content-Type", std::move(type));
  }
  return r;
}

TEST(ParseJsonBodyTest, RequiresJsonContentType) {
  auto r = ParseJsonBody(JsonRequest("{}", "text/plain"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(ParseJsonBody(JsonRequest("{}", "")).error().code, ErrorCode::kUnsupportedMediaType);
  EXPECT_TRUE(ParseJsonBody(JsonRequest("{}", "Application/JSON; charset=utf-8")).ok());
  EXPECT_TRUE(ParseJsonBody(JsonRequest("{}", "application/merge-patch+json")).ok());
}

TEST(ParseJsonBodyTest, ANumberBeyondADoubleIsMalformedNotAnException) {
  // Found by body_fuzz (tests/fuzz/regressions/body/number-overflow).
  auto r = ParseJsonBody(JsonRequest("{\"lat\": 22222222e22222222222222222000000000}"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kMalformedBody);
}

TEST(ParseJsonBodyTest, MalformedBodySaysWhere) {
  auto r = ParseJsonBody(JsonRequest("{\"title\": \"x\",}"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kMalformedBody);
  EXPECT_NE(r.error().detail.find("at byte 15"), std::string::npos) << r.error().detail;
  EXPECT_EQ(ParseJsonBody(JsonRequest("  ")).error().code, ErrorCode::kMalformedBody);
  EXPECT_EQ(ParseJsonBody(JsonRequest("[1,2]")).error().code, ErrorCode::kMalformedBody);
  EXPECT_TRUE(ParseJsonBody(JsonRequest("[1,2]"), /*require_object=*/false).ok());
  EXPECT_EQ(ParseJsonBody(JsonRequest("{\"a\":\"\xff\"}")).error().code, ErrorCode::kMalformedBody);
}

TEST(ParseJsonBodyTest, RefusesDeepNesting) {
  std::string deep = "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}";
  auto r = ParseJsonBody(JsonRequest(deep));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("nested deeper"), std::string::npos);
}

TEST(GettersTest, StringsNameTheFieldInErrors) {
  const json body = {{"title", "路灯不亮"}, {"count", 3}, {"empty", nullptr}};
  EXPECT_EQ(GetString(body, "title").value(), "路灯不亮");
  auto wrong = GetString(body, "count");
  ASSERT_FALSE(wrong.ok());
  ASSERT_EQ(wrong.error().fields.size(), 1U);
  EXPECT_EQ(wrong.error().fields[0].field, "count");
  EXPECT_EQ(wrong.error().fields[0].message, "must be a string");
  EXPECT_EQ(GetString(body, "missing").error().fields[0].message, "is required");
  EXPECT_EQ(GetString(body, "empty").error().fields[0].message, "is required");
  EXPECT_EQ(GetString(body, "missing", /*required=*/false).value(), "");
  // Length counts characters, not bytes: 4 Chinese characters are 12 bytes.
  EXPECT_TRUE(GetString(body, "title", true, 4).ok());
  EXPECT_EQ(GetString(body, "title", true, 3).error().fields[0].message,
            "must be at most 3 characters");
  EXPECT_EQ(GetOptionalString(body, "missing").value(), std::nullopt);
  EXPECT_EQ(GetOptionalString(body, "title").value(), "路灯不亮");
}

TEST(GettersTest, IntegersBoolsNumbers) {
  const json body = {{"n", 5}, {"neg", -2}, {"f", 1.5}, {"s", "7"}, {"b", true}, {"big", 1e300}};
  EXPECT_EQ(GetInt(body, "n").value(), 5);
  EXPECT_EQ(GetInt(body, "neg").value(), -2);
  EXPECT_EQ(GetInt(body, "f").error().fields[0].message, "must be an integer");
  EXPECT_EQ(GetInt(body, "s").error().fields[0].message, "must be an integer");
  EXPECT_EQ(GetInt(body, "n", true, 1, 4).error().fields[0].message, "must be between 1 and 4");
  EXPECT_EQ(GetOptionalInt(body, "none").value(), std::nullopt);
  EXPECT_EQ(GetBool(body, "b").value(), true);
  EXPECT_EQ(GetBool(body, "n").error().fields[0].message, "must be true or false");
  EXPECT_EQ(GetOptionalBool(body, "none").value(), std::nullopt);
  EXPECT_DOUBLE_EQ(GetNumber(body, "f").value(), 1.5);
  EXPECT_DOUBLE_EQ(GetNumber(body, "n").value(), 5.0);
  EXPECT_FALSE(GetNumber(body, "s").ok());
}

TEST(GettersTest, ArraysObjectsAndUnknownFields) {
  const json body = {{"tags", {"a", "b"}}, {"bad", {"a", 1}}, {"loc", {{"lat", 41.7}}}};
  EXPECT_EQ(GetStringArray(body, "tags").value(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(GetStringArray(body, "bad").error().fields[0].field, "bad/1");
  EXPECT_EQ(GetStringArray(body, "tags", true, 1).error().fields[0].message,
            "must have at most 1 items");
  auto loc = GetObject(body, "loc");
  ASSERT_TRUE(loc.ok());
  EXPECT_DOUBLE_EQ(GetNumber(*loc.value(), "lat").value(), 41.7);
  EXPECT_EQ(GetObject(body, "nope", false).value(), nullptr);
  Status unknown = RejectUnknownFields(body, {"tags", "loc"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().fields[0].field, "bad");
  EXPECT_TRUE(RejectUnknownFields(body, {"tags", "bad", "loc"}).ok());
}

TEST(JsonResponseTest, SerialisesAndReplacesBadUtf8) {
  Response r = JsonResponse(201, json{{"number", "A1"}, {"bad", "\xff"}});
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_TRUE(json::accept(r.body));
}

}  // namespace
}  // namespace huiyin::http
