// Pure parts of issue 4: how a query splits into search terms, and the Open311 attribute checks.
#include <gtest/gtest.h>

#include "huiyin/app/catalogue.h"
#include "huiyin/app/knowledge.h"
#include "huiyin/common/text.h"

namespace huiyin::app {
namespace {

using Terms = std::vector<std::string>;

TEST(SearchTerms, SplitAtAsciiAndIdeographicSpacesAndLowerCaseAscii) {
  EXPECT_EQ(SearchTerms("  社保卡 补办\u3000HuiYin ").value(), (Terms{"社保卡", "补办", "huiyin"}));
  EXPECT_EQ(SearchTerms("暖 暖").value(), Terms{"暖"});  // duplicates dropped
  EXPECT_TRUE(SearchTerms("").value().empty());
  EXPECT_EQ(SearchTerms("1 2 3 4 5 6 7 8 9").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(SearchTerms(std::string(51, 'a')).error().fields.at(0).field, "q");
}

TEST(SearchTerms, CountCharactersNotBytes) {
  EXPECT_EQ(CodePoints("社保"), 2u);  // 6 bytes: a 2-character term, below the trigram length
  EXPECT_EQ(CodePoints("a社"), 2u);
  EXPECT_EQ(CodePoints(""), 0u);
}

TEST(AttributeValues, NumbersAcceptDecimalsOnly) {
  AttributeDef t;
  t.code = "indoor_temperature";
  t.datatype = AttributeType::kNumber;
  t.required = true;
  t.description = "室内温度";
  EXPECT_TRUE(ValidateAttributeValues({t}, {{"indoor_temperature", {"15.5"}}}).ok());
  EXPECT_TRUE(ValidateAttributeValues({t}, {{"indoor_temperature", {"-3"}}}).ok());
  for (const char* bad : {"15度", "0x10", "nan", "inf", "1e999"}) {
    Status s = ValidateAttributeValues({t}, {{"indoor_temperature", {bad}}});
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().fields.at(0).field, "attribute[indoor_temperature]");
  }
  Status missing = ValidateAttributeValues({t}, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().detail.find("室内温度"), std::string::npos);
}

TEST(AttributeTypes, NamesRoundTrip) {
  for (auto t :
       {AttributeType::kString, AttributeType::kNumber, AttributeType::kDatetime,
        AttributeType::kText, AttributeType::kSingleValueList, AttributeType::kMultiValueList}) {
    EXPECT_EQ(ParseAttributeType(AttributeTypeName(t)), t);
  }
  EXPECT_FALSE(ParseAttributeType("list").has_value());
}

}  // namespace
}  // namespace huiyin::app
