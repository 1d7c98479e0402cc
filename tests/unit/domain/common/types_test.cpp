#include "domain/common/types.h"

#include <gtest/gtest.h>

namespace parcours::domain {
namespace {

TEST(TypesTest, IdentifiersRoundTripAndMatchTheApi) {
  for (auto v : {CareLevel::kInformation, CareLevel::kFirstLine, CareLevel::kSpecialised,
                 CareLevel::kHospital, CareLevel::kEmergency}) {
    EXPECT_EQ(ParseCareLevel(ToString(v)), v);
  }
  EXPECT_EQ(ToString(CareLevel::kFirstLine), "first_line");
  EXPECT_EQ(ToString(CareLevel::kSpecialised), "specialised");
  EXPECT_EQ(ParseRespondent("coparent"), Respondent::kCoparent);
  EXPECT_EQ(ParsePeriod("prenatal"), Period::kPrenatal);
  EXPECT_EQ(ParseBand("probable"), Band::kProbable);
  EXPECT_EQ(ParseUrgency("72h"), Urgency::kWithin72h);
  EXPECT_FALSE(ParseRespondent("Mother").has_value());
  EXPECT_FALSE(ParseCareLevel("").has_value());
}

}  // namespace
}  // namespace parcours::domain
