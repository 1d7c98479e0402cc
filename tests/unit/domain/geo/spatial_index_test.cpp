#include "domain/geo/spatial_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <unordered_map>
#include <vector>

namespace parcours::domain {
namespace {

using Neighbour = SpatialIndex::Neighbour;

// Reference answer: scan everything, order by (distance, id).
std::vector<Neighbour> BruteForce(const std::unordered_map<std::uint64_t, LatLon>& points,
                                  const LatLon& q, std::size_t k, double max_km) {
  std::vector<Neighbour> all;
  for (const auto& [id, p] : points) {
    const double d = HaversineKm(q, p);
    if (d <= max_km) all.push_back({id, d, p});
  }
  std::sort(all.begin(), all.end(), [](const Neighbour& a, const Neighbour& b) {
    return a.distance_km != b.distance_km ? a.distance_km < b.distance_km : a.id < b.id;
  });
  if (all.size() > k) all.resize(k);
  return all;
}

// Mostly mainland France with a dense "city", some overseas points, a few
// anywhere on Earth, and some exact duplicates (shared addresses).
LatLon RandomPoint(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  const double r = u(rng);
  if (r < 0.5) return {42.3 + 8.8 * u(rng), -4.8 + 13.0 * u(rng)};
  if (r < 0.8) return {48.80 + 0.10 * u(rng), 2.25 + 0.15 * u(rng)};  // Paris
  if (r < 0.9) return {14.39 + 0.5 * u(rng), -61.23 + 0.4 * u(rng)};  // Martinique
  if (r < 0.95) return {2.1 + 3.7 * u(rng), -54.6 + 3.0 * u(rng)};    // Guyane
  if (r < 0.98) return {-90 + 180 * u(rng), -180 + 360 * u(rng)};
  return {48.85616, 2.34225};  // duplicates
}

TEST(SpatialIndexTest, MatchesBruteForceOnRandomPoints) {
  std::mt19937_64 rng(20250804);
  SpatialIndex index(8);  // small leaves: a deep tree even with few points
  std::unordered_map<std::uint64_t, LatLon> points;
  for (std::uint64_t id = 1; id <= 5000; ++id) {
    const LatLon p = RandomPoint(rng);
    ASSERT_TRUE(index.Insert(id, p).ok());
    points[id] = p;
  }
  ASSERT_EQ(index.size(), points.size());
  for (int i = 0; i < 300; ++i) {
    const LatLon q = RandomPoint(rng);
    for (std::size_t k : {1u, 10u, 37u}) {
      EXPECT_EQ(index.Nearest(q, k), BruteForce(points, q, k, 1e9)) << i << " k=" << k;
    }
    EXPECT_EQ(index.Nearest(q, 20, 25.0), BruteForce(points, q, 20, 25.0)) << i;
  }
}

TEST(SpatialIndexTest, StaysExactThroughInsertRemoveAndUpdate) {
  std::mt19937_64 rng(42);
  SpatialIndex index(4);
  std::unordered_map<std::uint64_t, LatLon> points;
  std::uniform_int_distribution<int> op(0, 9);
  std::uint64_t next_id = 1;
  for (int step = 0; step < 20000; ++step) {
    const int o = op(rng);
    if (o < 5 || points.empty()) {
      const LatLon p = RandomPoint(rng);
      ASSERT_TRUE(index.Insert(next_id, p).ok());
      points[next_id++] = p;
    } else {
      auto it = points.begin();
      std::advance(it, std::uniform_int_distribution<std::size_t>(0, points.size() - 1)(rng));
      if (o < 8) {
        ASSERT_TRUE(index.Remove(it->first));
        points.erase(it);
      } else {
        const LatLon p = RandomPoint(rng);
        ASSERT_TRUE(index.Update(it->first, p).ok());
        it->second = p;
      }
    }
    if (step % 500 == 0) {
      const LatLon q = RandomPoint(rng);
      ASSERT_EQ(index.Nearest(q, 10), BruteForce(points, q, 10, 1e9)) << step;
    }
  }
  ASSERT_EQ(index.size(), points.size());
  // Drain it: merging cells must keep every remaining point reachable.
  std::vector<std::uint64_t> ids;
  for (const auto& [id, p] : points) ids.push_back(id);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ASSERT_TRUE(index.Remove(ids[i]));
    points.erase(ids[i]);
    if (i % 97 == 0) {
      const LatLon q = RandomPoint(rng);
      ASSERT_EQ(index.Nearest(q, 5), BruteForce(points, q, 5, 1e9)) << i;
    }
  }
  EXPECT_EQ(index.size(), 0u);
  EXPECT_TRUE(index.Nearest({48.8, 2.3}, 3).empty());
}

TEST(SpatialIndexTest, AcrossTheAntimeridianAndNearThePoles) {
  SpatialIndex index;
  ASSERT_TRUE(index.Insert(1, {-13.28, -176.17}).ok());  // Wallis
  ASSERT_TRUE(index.Insert(2, {-13.30, 179.95}).ok());
  ASSERT_TRUE(index.Insert(3, {0, 0}).ok());
  ASSERT_TRUE(index.Insert(4, {89.9, 100}).ok());
  ASSERT_TRUE(index.Insert(5, {89.9, -80}).ok());
  const auto near_antimeridian = index.Nearest({-13.29, -179.95}, 2);
  ASSERT_EQ(near_antimeridian.size(), 2u);
  EXPECT_EQ(near_antimeridian[0].id, 2u);
  EXPECT_EQ(near_antimeridian[1].id, 1u);
  const auto near_pole = index.Nearest({89.95, -100}, 1);
  ASSERT_EQ(near_pole.size(), 1u);
  EXPECT_EQ(near_pole[0].id, 5u);
}

TEST(SpatialIndexTest, ManyPointsAtOneAddress) {
  SpatialIndex index(4);
  for (std::uint64_t id = 1; id <= 500; ++id) ASSERT_TRUE(index.Insert(id, {45.0, 5.0}).ok());
  ASSERT_TRUE(index.Insert(1000, {45.1, 5.0}).ok());
  const auto r = index.Nearest({45.0, 5.0}, 3);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].id, 1u);  // ties broken by id
  EXPECT_EQ(r[2].id, 3u);
  EXPECT_EQ(index.Nearest({45.2, 5.0}, 1)[0].id, 1000u);
}

TEST(SpatialIndexTest, StatusesAndEdgeCases) {
  SpatialIndex index;
  EXPECT_EQ(index.Insert(1, {91, 0}).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(index.Insert(1, {45, 5}).ok());
  EXPECT_EQ(index.Insert(1, {46, 5}).code(), StatusCode::kConflict);
  EXPECT_EQ(index.Update(2, {46, 5}).code(), StatusCode::kNotFound);
  EXPECT_EQ(index.Update(1, {0, 500}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(index.PositionOf(1), (LatLon{45, 5}));
  ASSERT_TRUE(index.Update(1, {46, 5}).ok());
  EXPECT_EQ(index.PositionOf(1), (LatLon{46, 5}));
  EXPECT_FALSE(index.PositionOf(2));
  EXPECT_TRUE(index.Nearest({45, 5}, 0).empty());
  EXPECT_TRUE(index.Nearest({95, 5}, 1).empty());
  EXPECT_TRUE(index.Nearest({45, 5}, 1, 10.0).empty());  // 111 km away
  EXPECT_EQ(index.Nearest({45, 5}, 1, 112.0).size(), 1u);
  EXPECT_FALSE(index.Remove(2));
  EXPECT_TRUE(index.Remove(1));
  index.Clear();
  EXPECT_EQ(index.size(), 0u);
  EXPECT_TRUE(index.Insert(1, {45, 5}).ok());
}

}  // namespace
}  // namespace parcours::domain

namespace parcours::domain {
namespace {

TEST(SpatialIndexTest, NearestIfMatchesFilteredBruteForce) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> lat(41.0, 51.0);
  std::uniform_real_distribution<double> lon(-5.0, 9.0);
  SpatialIndex index(8);
  std::unordered_map<std::uint64_t, LatLon> points;
  for (std::uint64_t id = 1; id <= 3000; ++id) {
    LatLon p{lat(rng), lon(rng)};
    ASSERT_TRUE(index.Insert(id, p).ok());
    points[id] = p;
  }
  // Keep one point in 7: the filter is selective, the answer still exact.
  auto accept = [](SpatialIndex::Id id) { return id % 7 == 3; };
  std::unordered_map<std::uint64_t, LatLon> kept;
  for (const auto& [id, p] : points) {
    if (accept(id)) kept[id] = p;
  }
  for (int i = 0; i < 200; ++i) {
    const LatLon q{lat(rng), lon(rng)};
    const std::size_t k = 1 + static_cast<std::size_t>(i % 12);
    EXPECT_EQ(index.NearestIf(q, k, std::numeric_limits<double>::infinity(), accept),
              BruteForce(kept, q, k, std::numeric_limits<double>::infinity()));
  }
  EXPECT_TRUE(index.NearestIf({45, 2}, 5, 1e9, [](SpatialIndex::Id) { return false; }).empty());
}

}  // namespace
}  // namespace parcours::domain
