#include "domain/directory/resource_kind.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace parcours::domain {
namespace {

TEST(ResourceKindTest, IdentifiersRoundTrip) {
  std::set<std::string> names;
  for (ResourceKind kind : AllResourceKinds()) {
    const std::string_view name = ToString(kind);
    ASSERT_FALSE(name.empty());
    names.emplace(name);
    EXPECT_EQ(ParseResourceKind(name), kind);
    EXPECT_FALSE(DefaultLevels(kind).empty()) << name;
  }
  EXPECT_EQ(names.size(), AllResourceKinds().size());
  EXPECT_FALSE(ParseResourceKind("dentist"));
}

TEST(ResourceKindTest, DefaultLevels) {
  EXPECT_EQ(DefaultLevels(ResourceKind::kMidwife), CareLevelSet{CareLevel::kFirstLine});
  EXPECT_EQ(DefaultLevels(ResourceKind::kPsychologist), CareLevelSet{CareLevel::kFirstLine});
  EXPECT_EQ(DefaultLevels(ResourceKind::kPmiCentre), CareLevelSet{CareLevel::kFirstLine});
  EXPECT_EQ(DefaultLevels(ResourceKind::kPsychiatrist), CareLevelSet{CareLevel::kSpecialised});
  EXPECT_EQ(DefaultLevels(ResourceKind::kAdultCmp), CareLevelSet{CareLevel::kSpecialised});
  EXPECT_EQ(DefaultLevels(ResourceKind::kCmpp), CareLevelSet{CareLevel::kSpecialised});
  EXPECT_EQ(DefaultLevels(ResourceKind::kCrisisCentre),
            (CareLevelSet{CareLevel::kSpecialised, CareLevel::kEmergency}));
  EXPECT_EQ(DefaultLevels(ResourceKind::kPsychiatricHospital), CareLevelSet{CareLevel::kHospital});
  EXPECT_EQ(DefaultLevels(ResourceKind::kGeneralHospital), CareLevelSet{CareLevel::kHospital});
  // Part-time and at-home alternatives to a full-time stay (annex 2).
  EXPECT_EQ(ParseResourceKind("day_hospital"), ResourceKind::kDayHospital);
  EXPECT_EQ(ParseResourceKind("home_care"), ResourceKind::kHomeCare);
  EXPECT_EQ(DefaultLevels(ResourceKind::kDayHospital), CareLevelSet{CareLevel::kHospital});
  EXPECT_EQ(DefaultLevels(ResourceKind::kHomeCare),
            (CareLevelSet{CareLevel::kSpecialised, CareLevel::kHospital}));
  EXPECT_FALSE(IsChildService(ResourceKind::kDayHospital));
}

TEST(ResourceKindTest, ChildServices) {
  EXPECT_TRUE(IsChildService(ResourceKind::kCmpp));
  EXPECT_TRUE(IsChildService(ResourceKind::kChildCmp));
  EXPECT_TRUE(IsChildService(ResourceKind::kChildPsychiatrist));
  EXPECT_FALSE(IsChildService(ResourceKind::kPerinatalPsychiatry));
  EXPECT_FALSE(IsChildService(ResourceKind::kAdultCmp));
  EXPECT_FALSE(IsChildService(ResourceKind::kMidwife));
}

}  // namespace
}  // namespace parcours::domain
