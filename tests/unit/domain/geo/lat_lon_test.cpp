#include "domain/geo/lat_lon.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>

#include "domain/geo/projected_point.h"

namespace parcours::domain {
namespace {

TEST(LatLonTest, IsValid) {
  EXPECT_TRUE(IsValid({48.85616, 2.34225}));
  EXPECT_TRUE(IsValid({-90, -180}));
  EXPECT_TRUE(IsValid({90, 180}));
  EXPECT_FALSE(IsValid({90.0001, 0}));
  EXPECT_FALSE(IsValid({0, -180.5}));
  EXPECT_FALSE(IsValid({std::nan(""), 0}));
  EXPECT_FALSE(IsValid({0, std::numeric_limits<double>::infinity()}));
}

TEST(LatLonTest, HaversineKnownDistances) {
  const LatLon paris{48.85616, 2.34225};
  const LatLon lyon{45.75444, 4.83749};
  EXPECT_NEAR(HaversineKm(paris, lyon), 392.0, 2.0);
  EXPECT_DOUBLE_EQ(HaversineKm(paris, paris), 0.0);
  EXPECT_DOUBLE_EQ(HaversineKm(paris, lyon), HaversineKm(lyon, paris));
  // One degree along the equator, and half the circumference.
  EXPECT_NEAR(HaversineKm({0, 0}, {0, 1}), kEarthRadiusKm * std::numbers::pi / 180, 1e-9);
  EXPECT_NEAR(HaversineKm({0, 0}, {0, 180}), kEarthRadiusKm * std::numbers::pi, 1e-6);
  // Across the antimeridian.
  EXPECT_NEAR(HaversineKm({-13.3, 179.9}, {-13.3, -179.9}), 21.6, 0.1);
  // Fort-de-France to Paris, about 6 850 km.
  EXPECT_NEAR(HaversineKm({14.64925, -61.06863}, paris), 6850, 30);
}

TEST(ProjectedPointTest, DefaultEpsgForDepartment) {
  EXPECT_EQ(DefaultEpsgForDepartment("01"), kEpsgLambert93);
  EXPECT_EQ(DefaultEpsgForDepartment("95"), kEpsgLambert93);
  EXPECT_EQ(DefaultEpsgForDepartment("2A"), kEpsgLambert93);
  EXPECT_EQ(DefaultEpsgForDepartment("2B"), kEpsgLambert93);
  EXPECT_EQ(DefaultEpsgForDepartment("971"), kEpsgRgaf09Utm20N);
  EXPECT_EQ(DefaultEpsgForDepartment("972"), kEpsgRgaf09Utm20N);
  EXPECT_EQ(DefaultEpsgForDepartment("973"), kEpsgRgfg95Utm22N);
  EXPECT_EQ(DefaultEpsgForDepartment("974"), kEpsgRgr92Utm40S);
  EXPECT_EQ(DefaultEpsgForDepartment("975"), kEpsgWgs84Utm21N);
  EXPECT_EQ(DefaultEpsgForDepartment("976"), kEpsgRgm04Utm38S);
  EXPECT_EQ(DefaultEpsgForDepartment("986"), kEpsgWgs84Utm1S);
  EXPECT_EQ(DefaultEpsgForDepartment("20"), 0);
  EXPECT_EQ(DefaultEpsgForDepartment("96"), 0);
  EXPECT_EQ(DefaultEpsgForDepartment("988"), 0);
  EXPECT_EQ(DefaultEpsgForDepartment(""), 0);
}

}  // namespace
}  // namespace parcours::domain
