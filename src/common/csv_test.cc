#include "huiyin/common/csv.h"

#include <gtest/gtest.h>

namespace huiyin {
namespace {

TEST(Csv, QuotedFieldsKeepCommasQuotesAndLineBreaks) {
  auto r = ParseCsv("a,b\r\n\"x, \"\"y\"\"\",\"line1\nline2\"\n3,\n");
  ASSERT_TRUE(r.ok()) << r.error().detail;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].fields[0], "x, \"y\"");
  EXPECT_EQ((*r)[1].fields[1], "line1\nline2");
  EXPECT_EQ((*r)[1].line, 2u);
  EXPECT_EQ((*r)[2].line, 4u);
  EXPECT_EQ((*r)[2].fields.size(), 2u);
}

TEST(Csv, SkipsBomAndBlankLines) {
  auto r = ParseCsv(
      "\xEF\xBB\xBF"
      "标题,内容\n\n甲,乙");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].fields[0], "标题");
  EXPECT_EQ((*r)[1].line, 3u);
}

TEST(Csv, UnterminatedQuoteNamesTheLine) {
  auto r = ParseCsv("a,b\nc,\"open\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("line 2"), std::string::npos);
}

TEST(Csv, StrayQuoteIsRefused) {
  auto r = ParseCsv("ab\"c,d\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("line 1"), std::string::npos);
}

}  // namespace
}  // namespace huiyin
