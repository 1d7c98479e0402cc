#include "domain/directory/care_level_set.h"

#include <gtest/gtest.h>

#include <vector>

namespace parcours::domain {
namespace {

TEST(CareLevelSetTest, AddContainsAndOrder) {
  CareLevelSet s;
  EXPECT_TRUE(s.empty());
  s.Add(CareLevel::kEmergency);
  s.Add(CareLevel::kFirstLine);
  s.Add(CareLevel::kFirstLine);
  EXPECT_TRUE(s.Contains(CareLevel::kFirstLine));
  EXPECT_FALSE(s.Contains(CareLevel::kHospital));
  EXPECT_EQ(s.ToVector(), (std::vector<CareLevel>{CareLevel::kFirstLine, CareLevel::kEmergency}));
}

TEST(CareLevelSetTest, FromAList) {
  EXPECT_EQ((CareLevelSet{CareLevel::kHospital, CareLevel::kFirstLine}).ToVector(),
            (std::vector<CareLevel>{CareLevel::kFirstLine, CareLevel::kHospital}));
  EXPECT_EQ(CareLevelSet{}, CareLevelSet());
  EXPECT_NE(CareLevelSet{CareLevel::kHospital}, CareLevelSet{CareLevel::kEmergency});
}

}  // namespace
}  // namespace parcours::domain
