#include "huiyin/http/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace huiyin::http {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  StaticFilesTest()
      : base_(fs::temp_directory_path() / ("huiyin_static_" + std::to_string(::getpid()))),
        root_(base_ / "dist") {
    fs::remove_all(base_);
    WriteFile(root_ / "index.html", "<!doctype html><title>回音</title>");
    WriteFile(root_ / "assets" / "index-3f9a1c.js", "console.log(1)");
    WriteFile(root_ / "assets" / "index-3f9a1c.css", "body{}");
    WriteFile(root_ / "assets" / "logo.svg", "<svg/>");
    WriteFile(root_ / "favicon.ico", "ico");
    WriteFile(root_ / "fonts" / "a.woff2", "w");
    WriteFile(base_ / "secret.txt", "TOP SECRET");
    fs::create_symlink(base_ / "secret.txt", root_ / "link.txt");
  }
  ~StaticFilesTest() override { fs::remove_all(base_); }

  Response Get(std::string_view target, std::string method = "GET") {
    Request r = Request::Make(std::move(method), target);
    r.request_id = "t";
    return files_.ServeWithSpaFallback(r);
  }

  fs::path base_;
  fs::path root_;
  StaticFiles files_{root_};
};

TEST_F(StaticFilesTest, ServesFilesWithContentTypes) {
  Response js = Get("/assets/index-3f9a1c.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Get("/assets/index-3f9a1c.css").content_type, "text/css; charset=utf-8");
  EXPECT_EQ(Get("/assets/logo.svg").content_type, "image/svg+xml");
  EXPECT_EQ(Get("/favicon.ico").content_type, "image/x-icon");
  EXPECT_EQ(Get("/fonts/a.woff2").content_type, "font/woff2");
  EXPECT_EQ(StaticFiles::ContentTypeFor("x.png"), "image/png");
  EXPECT_EQ(StaticFiles::ContentTypeFor("data.json"), "application/json");
  EXPECT_EQ(StaticFiles::ContentTypeFor("dir.v2/noext"), "application/octet-stream");
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutableIndexIsNoCache) {
  EXPECT_EQ(Get("/assets/index-3f9a1c.js").Header("Cache-Control"),
            "public, max-age=31536000, immutable");
  Response index = Get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index.Header("Cache-Control"), "no-cache");
  EXPECT_EQ(Get("/favicon.ico").Header("Cache-Control"), "public, max-age=3600");
}

TEST_F(StaticFilesTest, EtagAndLastModifiedGive304) {
  Response first = Get("/assets/logo.svg");
  const std::string etag(first.Header("ETag"));
  ASSERT_FALSE(etag.empty());
  ASSERT_FALSE(first.Header("Last-Modified").empty());
  Request again = Request::Make("GET", "/assets/logo.svg");
  again.headers.emplace_back("If-None-Match", "\"other\", " + etag);
  Response second = files_.Serve(again);
  EXPECT_EQ(second.status, 304);
  EXPECT_TRUE(second.body.empty());
  Request by_date = Request::Make("GET", "/assets/logo.svg");
  by_date.headers.emplace_back("If-Modified-Since", std::string(first.Header("Last-Modified")));
  EXPECT_EQ(files_.Serve(by_date).status, 304);
}

TEST_F(StaticFilesTest, SpaFallbackServesIndexForAppPaths) {
  Response r = Get("/portal/cases/A20260104-0001");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("回音"), std::string::npos);
  EXPECT_EQ(r.Header("Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, ApiAndMissingAssetsAre404Problems) {
  for (const char* target : {"/api/v1/nothing", "/open311/v2/x.json", "/assets/gone-123.js"}) {
    Response r = Get(target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.content_type, "application/problem+json") << target;
  }
  EXPECT_EQ(Get("/index.html", "POST").status, 405);
}

TEST_F(StaticFilesTest, NoPathTraversal) {
  for (const char* target :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
        "/assets/..%5c..%5csecret.txt", "/..\\secret.txt", "/secret.txt%00.html", "/./index.html",
        "/link.txt", "/C:%5csecret.txt"}) {
    Request r = Request::Make("GET", target);
    Response direct = files_.Serve(r);
    EXPECT_NE(direct.status, 200) << target;
    EXPECT_EQ(direct.body.find("TOP SECRET"), std::string::npos) << target;
    EXPECT_EQ(Get(target).body.find("TOP SECRET"), std::string::npos) << target;
  }
  EXPECT_FALSE(StaticFiles::IsSafePath(std::string("/a\0b", 4)));
  EXPECT_FALSE(StaticFiles::IsSafePath("relative"));
  EXPECT_TRUE(StaticFiles::IsSafePath("/assets/a..b.js"));
}

TEST_F(StaticFilesTest, HeadHasLengthButNoBody) {
  Response r = Get("/assets/index-3f9a1c.js", "HEAD");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.Header("Content-Length"), "14");
}

}  // namespace
}  // namespace huiyin::http
