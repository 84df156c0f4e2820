#include "huiyin/common/text.h"

#include <gtest/gtest.h>

namespace huiyin {
namespace {

TEST(Text, CountsCharactersNotBytes) {
  EXPECT_EQ(CodePoints("楼道灯"), 3u);
  EXPECT_EQ(CodePoints("a楼"), 2u);
  EXPECT_EQ(CodePoints(""), 0u);
}

TEST(Text, LikeWildcardsBecomeLiteral) {
  EXPECT_EQ(EscapeLike("100%_a\\b"), "100\\%\\_a\\\\b");
}

TEST(Text, FtsPhraseQuotesTheTerm) {
  EXPECT_EQ(FtsPhrase("a\"b OR c"), "\"a\"\"b OR c\"");
}

}  // namespace
}  // namespace huiyin
