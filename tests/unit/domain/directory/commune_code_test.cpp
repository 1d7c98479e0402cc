#include "domain/directory/commune_code.h"

#include <gtest/gtest.h>

#include <string>

namespace parcours::domain {
namespace {

TEST(CommuneCodeTest, WellFormed) {
  EXPECT_TRUE(IsWellFormedCommuneCode("01001"));
  EXPECT_TRUE(IsWellFormedCommuneCode("2A004"));
  EXPECT_TRUE(IsWellFormedCommuneCode("2B033"));
  EXPECT_TRUE(IsWellFormedCommuneCode("97209"));
  EXPECT_FALSE(IsWellFormedCommuneCode("2C004"));
  EXPECT_FALSE(IsWellFormedCommuneCode("6211"));
  EXPECT_FALSE(IsWellFormedCommuneCode("621190"));
  EXPECT_FALSE(IsWellFormedCommuneCode(""));
}

TEST(CommuneCodeTest, ArrondissementsMapToTheirCommune) {
  EXPECT_EQ(NormaliseCommuneCode("75101"), "75056");
  EXPECT_EQ(NormaliseCommuneCode("75113"), "75056");
  EXPECT_EQ(NormaliseCommuneCode("75120"), "75056");
  EXPECT_EQ(NormaliseCommuneCode("75121"), "75121");
  EXPECT_EQ(NormaliseCommuneCode("69381"), "69123");
  EXPECT_EQ(NormaliseCommuneCode("69389"), "69123");
  EXPECT_EQ(NormaliseCommuneCode("69380"), "69380");
  EXPECT_EQ(NormaliseCommuneCode("13201"), "13055");
  EXPECT_EQ(NormaliseCommuneCode("13216"), "13055");
  EXPECT_EQ(NormaliseCommuneCode("13217"), "13217");
  EXPECT_EQ(NormaliseCommuneCode("97127"), "97801");
  EXPECT_EQ(NormaliseCommuneCode("97123"), "97701");
  EXPECT_EQ(NormaliseCommuneCode("62119"), "62119");
  EXPECT_EQ(NormaliseCommuneCode("x"), "x");
}

TEST(CommuneCodeTest, DepartmentOfCommune) {
  EXPECT_EQ(DepartmentOfCommune("62427"), "62");
  EXPECT_EQ(DepartmentOfCommune("2A004"), "2A");
  EXPECT_EQ(DepartmentOfCommune("97209"), "972");
  EXPECT_EQ(DepartmentOfCommune("97501"), "975");
  EXPECT_EQ(DepartmentOfCommune("98613"), "986");
  EXPECT_EQ(DepartmentOfCommune("9720"), "");
}

TEST(CommuneCodeTest, FinessDepartments) {
  EXPECT_EQ(InseeDepartmentFromFiness("9A"), "971");
  EXPECT_EQ(InseeDepartmentFromFiness("9B"), "972");
  EXPECT_EQ(InseeDepartmentFromFiness("9C"), "973");
  EXPECT_EQ(InseeDepartmentFromFiness("9D"), "974");
  EXPECT_EQ(InseeDepartmentFromFiness("9E"), "975");
  EXPECT_EQ(InseeDepartmentFromFiness("9F"), "976");
  EXPECT_EQ(InseeDepartmentFromFiness("9J"), "986");
  EXPECT_EQ(InseeDepartmentFromFiness("01"), "01");
  EXPECT_EQ(InseeDepartmentFromFiness("2A"), "2A");
  EXPECT_EQ(InseeDepartmentFromFiness("95"), "95");
  EXPECT_FALSE(InseeDepartmentFromFiness("9Z"));
  EXPECT_FALSE(InseeDepartmentFromFiness("97"));
  EXPECT_FALSE(InseeDepartmentFromFiness("20"));
  EXPECT_FALSE(InseeDepartmentFromFiness("1"));
}

TEST(CommuneCodeTest, FinessCommunes) {
  EXPECT_EQ(CommuneCodeFromFiness("9B", "207"), "97207");  // Ducos
  EXPECT_EQ(CommuneCodeFromFiness("9B", "209"), "97209");  // Fort-de-France
  EXPECT_EQ(CommuneCodeFromFiness("01", "451"), "01451");
  EXPECT_EQ(CommuneCodeFromFiness("2A", "004"), "2A004");
  EXPECT_EQ(CommuneCodeFromFiness("75", "113"), "75056");
  EXPECT_EQ(CommuneCodeFromFiness("9A", "127"), "97801");  // Saint-Martin
  EXPECT_EQ(CommuneCodeFromFiness("9A", "123"), "97701");  // Saint-Barthélemy
  EXPECT_EQ(CommuneCodeFromFiness("9F", "610"), "97610");
  EXPECT_EQ(CommuneCodeFromFiness("9E", "501"), "97501");
  EXPECT_EQ(CommuneCodeFromFiness("9J", "613"), "98613");
  EXPECT_FALSE(CommuneCodeFromFiness("9B", "107"));  // a Guadeloupe commune under 9B
  EXPECT_FALSE(CommuneCodeFromFiness("9B", "07"));
  EXPECT_FALSE(CommuneCodeFromFiness("9Z", "207"));
  EXPECT_FALSE(CommuneCodeFromFiness("01", "4a1"));
}

}  // namespace
}  // namespace parcours::domain
