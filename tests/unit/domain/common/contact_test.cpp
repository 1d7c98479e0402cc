#include "domain/common/contact.h"

#include <gtest/gtest.h>

namespace parcours::domain {
namespace {

TEST(ContactTest, PhonesAreNormalisedOrRefused) {
  EXPECT_EQ(NormalisePhone("03 21 00 00 99"), "0321000099");
  EXPECT_EQ(NormalisePhone("03.21.00.00.99"), "0321000099");
  EXPECT_EQ(NormalisePhone("(05) 61-00-00-00"), "0561000000");
  EXPECT_EQ(NormalisePhone("+33 3 21 00 00 99"), "0321000099");
  EXPECT_EQ(NormalisePhone("+33 6 12 34 56 78"), "0612345678");
  EXPECT_EQ(NormalisePhone("0033321000099"), "0321000099");
  EXPECT_EQ(NormalisePhone("+596 596 74 86 77"), "0596748677");
  EXPECT_EQ(NormalisePhone("+596 696 12 34 56"), "0696123456");
  EXPECT_EQ(NormalisePhone("+44 20 7946 0000"), "+442079460000");
  EXPECT_EQ(NormalisePhone("3114"), "3114");
  EXPECT_EQ(NormalisePhone("15"), "15");
  EXPECT_EQ(NormalisePhone("0021000099"), std::nullopt);
  EXPECT_EQ(NormalisePhone("032100009"), std::nullopt);
  EXPECT_EQ(NormalisePhone("0612"), std::nullopt);
  EXPECT_EQ(NormalisePhone("06 12 34 56 78 9"), std::nullopt);
  EXPECT_EQ(NormalisePhone("03 21 AB"), std::nullopt);
  EXPECT_EQ(NormalisePhone("call me"), std::nullopt);
  EXPECT_EQ(NormalisePhone("+1"), std::nullopt);
  EXPECT_EQ(NormalisePhone("+1234567890123456"), std::nullopt);
  EXPECT_EQ(NormalisePhone("06+12345678"), std::nullopt);
  EXPECT_EQ(NormalisePhone(""), std::nullopt);
}

TEST(ContactTest, ShortNumbersAreServices) {
  EXPECT_TRUE(IsShortNumber("3114"));
  EXPECT_TRUE(IsShortNumber("15"));
  EXPECT_FALSE(IsShortNumber("0612345678"));
  EXPECT_FALSE(IsShortNumber("+442079460000"));
}

TEST(ContactTest, EmailAddresses) {
  EXPECT_TRUE(IsEmail("nom@exemple.fr"));
  EXPECT_TRUE(IsEmail("a.b+c@sous.domaine.fr"));
  EXPECT_FALSE(IsEmail("nom"));
  EXPECT_FALSE(IsEmail("@exemple.fr"));
  EXPECT_FALSE(IsEmail("nom@exemple"));
  EXPECT_FALSE(IsEmail("nom@.exemple.fr"));
  EXPECT_FALSE(IsEmail("nom@exemple.fr."));
  EXPECT_FALSE(IsEmail("nom@@exemple.fr"));
  EXPECT_FALSE(IsEmail("nom @exemple.fr"));
  EXPECT_FALSE(IsEmail("<nom@exemple.fr>"));
  EXPECT_FALSE(IsEmail("nom@exemple.fr,autre@exemple.fr"));
  EXPECT_FALSE(IsEmail("nom@exemple.fr\r\nBcc: x@y.z"));
  EXPECT_FALSE(IsEmail(std::string(250, 'a') + "@b.fr"));
}

}  // namespace
}  // namespace parcours::domain
