#include "http/form.h"

#include <gtest/gtest.h>

namespace huiyin::http {
namespace {

TEST(FormDataTest, DecodesPlusEscapesAndKeepsOrderAndRepeats) {
  auto f = FormData::Parse(
      "api_key=k&description=A+large+sinkhole%21&attribute%5Bkind%5D=a&attribute[kind]=b"
      "&city=%E9%80%9A%E5%8C%96");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->First("description"), "A large sinkhole!");
  EXPECT_EQ(f->All("attribute[kind]"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f->First("city"), "通化");
  EXPECT_EQ(f->fields().front().first, "api_key");
  EXPECT_FALSE(f->First("missing").has_value());
}

TEST(FormDataTest, KeepsArraySuffixesAndEmptyValues) {
  auto f = FormData::Parse("attribute[svc][]=x&attribute[svc][]=y&lat=&long&flag");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->All("attribute[svc][]"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(f->First("lat"), "");
  EXPECT_EQ(f->First("long"), "");
  EXPECT_TRUE(f->Has("flag"));
  EXPECT_FALSE(f->FirstNonEmpty("lat").has_value());
}

TEST(FormDataTest, SkipsEmptyPairsSuchAsABareQuestionMark) {
  auto f = FormData::Parse("&&a=1&;b=2&");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->fields().size(), 2u);
  EXPECT_TRUE(FormData::Parse("")->empty());
}

TEST(FormDataTest, RefusesMalformedEscapesAndEncodedNul) {
  EXPECT_FALSE(FormData::Parse("a=%zz").ok());
  EXPECT_FALSE(FormData::Parse("a=%4").ok());
  EXPECT_FALSE(FormData::Parse("a=x%00y").ok());
}

TEST(BracketKeyTest, ReadsTheCodeOfAttributeFields) {
  EXPECT_EQ(BracketKey("attribute[WHISPAWN]", "attribute"), "WHISPAWN");
  EXPECT_EQ(BracketKey("attribute[kind][]", "attribute"), "kind");
  EXPECT_EQ(BracketKey("attribute[kind][0]", "attribute"), "kind");
  EXPECT_FALSE(BracketKey("attribute[]", "attribute").has_value());
  EXPECT_FALSE(BracketKey("attributes[x]", "attribute").has_value());
  EXPECT_FALSE(BracketKey("attribute[x]junk", "attribute").has_value());
  EXPECT_FALSE(BracketKey("attribute", "attribute").has_value());
}

}  // namespace
}  // namespace huiyin::http
