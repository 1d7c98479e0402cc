// Tests of src/geo (PROJ), kept beside the domain geo tests because
// domain_tests links parcours_geo.
#include "geo/coordinate_converter.h"

#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <thread>
#include <vector>

namespace parcours::geo {
namespace {

using domain::HaversineKm;
using domain::LatLon;
using domain::ProjectedPoint;

constexpr double kTenMetresKm = 0.010;

class CoordinateConverterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = CoordinateConverter::Create();
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    converter_ = std::move(created).value();
  }

  void ExpectNear(const ProjectedPoint& p, const LatLon& expected) {
    const Result<LatLon> got = converter_->ToWgs84(p);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_LT(HaversineKm(*got, expected), kTenMetresKm)
        << "EPSG:" << p.epsg << " gave " << got->lat << ", " << got->lon;
  }

  std::unique_ptr<CoordinateConverter> converter_;
};

// Expected values: the Lambert-93 origin is (46.5 N, 3 E) by definition; the
// others were checked with an independent implementation of the Lambert
// conformal conic and Transverse Mercator inverse formulas (GRS80).
TEST_F(CoordinateConverterTest, Lambert93) {
  ExpectNear({700000, 6600000, domain::kEpsgLambert93}, {46.5, 3.0});
  // CH de Fleyriat, Viriat (FINESS 010000024, real extract).
  ExpectNear({870262.2, 6571540.8, domain::kEpsgLambert93}, {46.2222857, 5.2091811});
  // Lille.
  ExpectNear({703332.4, 7059345.6, domain::kEpsgLambert93}, {50.63108, 3.04702});
}

TEST_F(CoordinateConverterTest, MartiniqueAndGuadeloupeUtm20N) {
  // Ducos, Martinique.
  ExpectNear({718859.32, 1612689.50, domain::kEpsgRgaf09Utm20N}, {14.57855, -60.96854});
  ExpectNear({718859.32, 1612689.50, domain::kEpsgRraf91Utm20N}, {14.57855, -60.96854});
  // Les Abymes, Guadeloupe (FINESS 970100012, real extract).
  ExpectNear({657242.9, 1795384.4, domain::kEpsgRgaf09Utm20N}, {16.2340043, -61.5287371});
}

TEST_F(CoordinateConverterTest, OtherOverseasSystems) {
  ExpectNear({353201.8, 545791.1, domain::kEpsgRgfg95Utm22N}, {4.93650, -52.32400});   // Cayenne
  ExpectNear({338953.4, 7689383.1, domain::kEpsgRgr92Utm40S}, {-20.88880, 55.45170});  // St-Denis
}

TEST_F(CoordinateConverterTest, RejectsWhatCannotBeRight) {
  EXPECT_EQ(converter_->ToWgs84({700000, 6600000, 0}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(converter_->ToWgs84({700000, 6600000, 99999}).status().code(),
            StatusCode::kInvalidArgument);
  // A geographic system is not a projection.
  EXPECT_EQ(converter_->ToWgs84({5, 45, 4326}).status().code(), StatusCode::kInvalidArgument);
  // Martinique UTM coordinates read as Lambert-93 land far outside France.
  EXPECT_EQ(converter_->ToWgs84({718859.32, 1612689.50, domain::kEpsgLambert93}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      converter_->ToWgs84({std::numeric_limits<double>::infinity(), 1, domain::kEpsgLambert93})
          .status()
          .code(),
      StatusCode::kInvalidArgument);
  // Failures are cached, and the converter keeps working afterwards.
  EXPECT_FALSE(converter_->ToWgs84({700000, 6600000, 99999}).ok());
  ExpectNear({700000, 6600000, domain::kEpsgLambert93}, {46.5, 3.0});
}

TEST(CoordinateConverterThreadsTest, OneConverterPerThread) {
  std::vector<std::thread> threads;
  std::vector<int> failures(2, 0);
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([t, &failures] {
      auto converter = CoordinateConverter::Create();
      if (!converter.ok()) {
        ++failures[t];
        return;
      }
      for (int i = 0; i < 200; ++i) {
        const auto r = (*converter)->ToWgs84({700000, 6600000, domain::kEpsgLambert93});
        if (!r.ok() || HaversineKm(*r, {46.5, 3.0}) > kTenMetresKm) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, (std::vector<int>{0, 0}));
}

}  // namespace
}  // namespace parcours::geo
