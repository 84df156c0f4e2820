#include <gtest/gtest.h>

#include "huiyin/app/open311.h"

namespace huiyin::app {
namespace {

TEST(MaskPersonalIdentifiersTest, MasksMobileNumbersInFreeText) {
  EXPECT_EQ(MaskPersonalIdentifiers("请回电13900001111谢谢"), "请回电139****1111谢谢");
  EXPECT_EQ(MaskPersonalIdentifiers("tel 139-0000-1111."), "tel 139-****-1111.");
  EXPECT_EQ(MaskPersonalIdentifiers("tel 139 0000 1111"), "tel 139 **** 1111");
  EXPECT_EQ(MaskPersonalIdentifiers("+8613900001111"), "+86139****1111");
}

TEST(MaskPersonalIdentifiersTest, MasksIdNumbersAndEmailAddresses) {
  EXPECT_EQ(MaskPersonalIdentifiers("身份证22050219900307123X号"), "身份证220502**********3X号");
  EXPECT_EQ(MaskPersonalIdentifiers("id 220502199003071234"), "id 220502**********34");
  EXPECT_EQ(MaskPersonalIdentifiers("mail li.si@example.cn now"), "mail l***@example.cn now");
}

TEST(MaskPersonalIdentifiersTest, LeavesCaseNumbersDatesAndShortNumbersAlone) {
  EXPECT_EQ(MaskPersonalIdentifiers("与SQ20260104000042合并"), "与SQ20260104000042合并");
  EXPECT_EQ(MaskPersonalIdentifiers("2026-01-04 3号楼 20 度"), "2026-01-04 3号楼 20 度");
  EXPECT_EQ(MaskPersonalIdentifiers("热线 12345"), "热线 12345");
  EXPECT_EQ(MaskPersonalIdentifiers("a@b"), "a@b");
}

TEST(Open311IdempotencyKeyTest, NamespacesTheClientsToken) {
  EXPECT_EQ(Open311IdempotencyKey("batch-7"), "open311:batch-7");
}

}  // namespace
}  // namespace huiyin::app
