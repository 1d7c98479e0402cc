// SpatialIndex: the points of one kind of help (one index per care level or
// kind), answering "the k nearest to this position" by great-circle distance.
//
// Structure: a point-region quadtree over latitude/longitude. Cells split at
// their midpoint when a leaf holds more than `leaf_capacity` points (so the
// shape depends only on the point set, never on insertion order: no
// rebalancing needed) and merge back when removals leave a subtree with at
// most half a leaf. Dense Paris and empty Guyane interior both stay shallow.
// Queries are best-first over cells, pruned by the exact great-circle lower
// bound from the query to each cell, so they are exact (same result as a
// brute-force scan, checked by the tests), correct across the antimeridian
// and near the poles, and never degrade to a scan of distant empty space.
//
// Costs, measured on 500 000 points (Release -O2, shared 2-core VM): insert
// 0.45 µs, update 1.3 µs, O(depth) with no rebuild; nearest-10 p50 6 µs,
// p99 11 µs, worst of 20 000 queries < 0.15 ms (queries far from every
// point included). About 150 bytes per point.
//
// Thread-safety: const methods (Nearest, PositionOf, size) may run
// concurrently with each other; Insert/Update/Remove/Clear need exclusive
// access (e.g. a std::shared_mutex held by the owner).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "domain/geo/haversine_internal.h"
#include "domain/geo/lat_lon.h"

namespace parcours::domain {

class SpatialIndex {
 public:
  using Id = std::uint64_t;

  struct Neighbour {
    Id id = 0;
    double distance_km = 0;  // HaversineKm(query, position)
    LatLon position;

    bool operator==(const Neighbour&) const = default;
  };

  static constexpr std::size_t kDefaultLeafCapacity = 32;

  explicit SpatialIndex(std::size_t leaf_capacity = kDefaultLeafCapacity);

  // InvalidArgument when !IsValid(position); Conflict when the id is present.
  Status Insert(Id id, const LatLon& position);
  // Moves a point. NotFound when the id is absent; InvalidArgument when
  // !IsValid(position) (the point then stays where it was).
  Status Update(Id id, const LatLon& position);
  // False when the id was absent.
  bool Remove(Id id);
  void Clear();

  std::optional<LatLon> PositionOf(Id id) const;
  std::size_t size() const { return positions_.size(); }

  // The min(k, size()) points nearest to `query` within `max_distance_km`
  // (inclusive), nearest first; equal distances ordered by id. Empty when
  // k == 0 or !IsValid(query).
  std::vector<Neighbour> Nearest(
      const LatLon& query, std::size_t k,
      double max_distance_km = std::numeric_limits<double>::infinity()) const;

  // Same, counting only the points for which accept(id) is true (e.g. "takes
  // fathers"): still exact, visiting points in distance order and skipping
  // the rejected ones, so its cost grows with the number of nearer rejected
  // points. Keep one index per selective criterion (kind, level) and filter
  // here only on the common ones.
  template <typename Accept>
  std::vector<Neighbour> NearestIf(const LatLon& query, std::size_t k, double max_distance_km,
                                   const Accept& accept) const {
    return NearestImpl(query, k, max_distance_km, &accept,
                       [](const void* f, Id id) { return (*static_cast<const Accept*>(f))(id); });
  }

 private:
  struct Entry {
    Id id = 0;
    LatLon position;
    geo_internal::Prepared prepared;
  };
  struct Node {
    double lat_min = -90;
    double lat_max = 90;
    double lon_min = -180;
    double lon_max = 180;
    std::int32_t first_child = -1;  // children at first_child .. first_child + 3
    std::int32_t depth = 0;
    std::size_t count = 0;       // points in the subtree
    std::vector<Entry> entries;  // leaves only
    bool leaf() const { return first_child < 0; }
  };

  using AcceptFn = bool (*)(const void* state, Id id);
  std::vector<Neighbour> NearestImpl(const LatLon& query, std::size_t k, double max_distance_km,
                                     const void* accept_state, AcceptFn accept) const;

  static int Quadrant(const Node& node, const LatLon& p);
  static double LowerBoundKm(const LatLon& query, const geo_internal::Prepared& prepared,
                             const Node& node);
  std::int32_t AllocateChildren();
  void Split(std::int32_t index);
  void Collapse(std::int32_t index);
  void Gather(std::int32_t index, std::vector<Entry>* out);

  std::size_t leaf_capacity_;
  std::vector<Node> nodes_;                // nodes_[0] is the root
  std::vector<std::int32_t> free_blocks_;  // recycled blocks of 4 children
  std::unordered_map<Id, LatLon> positions_;
};

}  // namespace parcours::domain
