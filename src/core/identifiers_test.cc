#include "huiyin/core/identifiers.h"

#include <gtest/gtest.h>

namespace huiyin::core {
namespace {

TEST(IdNumber, TheStandardsExampleIsValid) {
  auto info = ParseIdNumber("11010519491231002X");
  ASSERT_TRUE(info.ok()) << info.error().detail;
  EXPECT_EQ(info->region_code, "110105");
  EXPECT_EQ(FormatDate(info->birth_date), "1949-12-31");
  EXPECT_FALSE(info->male);  // sequence 002: even
}

TEST(IdNumber, LowerCaseXIsAcceptedAndNormalised) {
  auto info = ParseIdNumber("11010519491231002x");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->number, "11010519491231002X");
}

TEST(IdNumber, ThirtiethOfFebruaryDoesNotExist) {
  auto info = ParseIdNumber("11010119900230447X");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(info.error().detail.find("19900230"), std::string::npos);
}

TEST(IdNumber, AWrongCheckCharacterIsRejected) {
  EXPECT_FALSE(IsValidIdNumber("110105194912310021"));
  EXPECT_FALSE(IsValidIdNumber("1101051949123100"));    // too short
  EXPECT_FALSE(IsValidIdNumber("11010519491231A02X"));  // letter inside
}

TEST(IdNumber, CheckCharacterOfTonghuaExamples) {
  EXPECT_EQ(IdNumberCheckChar("11010519491231002"), 'X');
  std::string body = "22050219850315123";
  std::string id = body + IdNumberCheckChar(body);
  EXPECT_TRUE(IsValidIdNumber(id));
}

TEST(CreditCode, TheRulesExamplesAreValid) {
  for (const char* code : {"91350100M000100Y43", "91110108MA01ABCD5T"}) {
    auto info = ParseCreditCode(code);
    ASSERT_TRUE(info.ok()) << code;
    EXPECT_TRUE(info->check_ok) << code;
    EXPECT_TRUE(info->warning.empty());
  }
}

TEST(CreditCode, AWrongCheckCharacterWarnsButIsNotRejected) {
  auto info = ParseCreditCode("91350100M000100Y44");
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info->check_ok);
  EXPECT_NE(info->warning.find("should be 3"), std::string::npos);
}

TEST(CreditCode, LettersOutsideTheAlphabetAndWrongLengthAreRejected) {
  EXPECT_FALSE(ParseCreditCode("91350100I000100Y43").ok());  // I is not used
  EXPECT_FALSE(ParseCreditCode("9135010").ok());
  auto lower = ParseCreditCode("91110108ma01abcd5t");
  ASSERT_TRUE(lower.ok());
  EXPECT_EQ(lower->code, "91110108MA01ABCD5T");
}

TEST(Mobile, NormalisesPrefixesAndSeparators) {
  EXPECT_EQ(NormalizeMobile("13812345678").value(), "13812345678");
  EXPECT_EQ(NormalizeMobile("+86 138-1234-5678").value(), "13812345678");
  EXPECT_EQ(NormalizeMobile("8613812345678").value(), "13812345678");
  EXPECT_FALSE(NormalizeMobile("12812345678").ok());   // 12x is not a mobile prefix
  EXPECT_FALSE(NormalizeMobile("0435-3212345").ok());  // a landline
  EXPECT_FALSE(NormalizeMobile("1381234567").ok());
}

TEST(Masking, PhoneKeepsThreeAndFour) {
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
}

TEST(Masking, IdNumberKeepsRegionAndLastTwo) {
  EXPECT_EQ(MaskIdNumber("11010519491231002X"), "110105**********2X");
}

TEST(Masking, NamesKeepTheSurnameCharacter) {
  EXPECT_EQ(MaskName("张三"), "张*");
  EXPECT_EQ(MaskName("欧阳娜娜"), "欧***");
  EXPECT_EQ(MaskName("李"), "李");
  EXPECT_EQ(MaskName(""), "");
}

TEST(Masking, ShortValuesAreFullyHidden) {
  EXPECT_EQ(MaskPhone("12345"), "*****");
  EXPECT_EQ(MaskIdNumber("1234"), "****");
}

}  // namespace
}  // namespace huiyin::core
