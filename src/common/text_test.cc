#include "huiyin/common/text.h"

#include <gtest/gtest.h>

namespace huiyin {
namespace {

TEST(Text, CountsCharactersNotBytes) {
  EXPECT_EQ(CodePoints("楼道灯"), 3u);
  EXPECT_EQ(CodePoints("a楼"), 2u);
  EXPECT_EQ(CodePoints(""), 0u);
}

TEST(Text, RecognisesWellFormedUtf8) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("营业执照.pdf"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));   // U+1F600
  EXPECT_FALSE(IsValidUtf8("\xE8\x90"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(
      IsValidUtf8("a\xFF"
                  "b"));
}

TEST(Text, LikeWildcardsBecomeLiteral) {
  EXPECT_EQ(EscapeLike("100%_a\\b"), "100\\%\\_a\\\\b");
}

TEST(Text, FtsPhraseQuotesTheTerm) {
  EXPECT_EQ(FtsPhrase("a\"b OR c"), "\"a\"\"b OR c\"");
}

TEST(Text, AllDigitsMeansAsciiDigitsOnly) {
  EXPECT_TRUE(AllDigits("220502"));
  EXPECT_TRUE(AllDigits(""));
  EXPECT_FALSE(AllDigits("22050X"));
  EXPECT_FALSE(AllDigits("２２０"));  // full-width digits are not ASCII
  EXPECT_FALSE(AllDigits("'1'"));
}

}  // namespace
}  // namespace huiyin
