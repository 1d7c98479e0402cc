#include "domain/geo/spatial_index.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

namespace parcours::domain {
namespace {

// 180° / 2^24 ≈ 1.2 m: points closer than that share a leaf whatever its
// size (many activities share one address).
constexpr std::int32_t kMaxDepth = 24;
constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr double kRadToDeg = 180.0 / std::numbers::pi;

// Order of results: distance, then id.
bool Closer(const SpatialIndex::Neighbour& a, const SpatialIndex::Neighbour& b) {
  if (a.distance_km != b.distance_km) return a.distance_km < b.distance_km;
  return a.id < b.id;
}

double WrappedLonDelta(double a, double b) {
  double d = std::fmod(std::fabs(a - b), 360.0);
  return d > 180.0 ? 360.0 - d : d;
}

}  // namespace

SpatialIndex::SpatialIndex(std::size_t leaf_capacity)
    : leaf_capacity_(std::max<std::size_t>(leaf_capacity, 2)) {
  nodes_.emplace_back();
}

int SpatialIndex::Quadrant(const Node& node, const LatLon& p) {
  const double mid_lat = (node.lat_min + node.lat_max) * 0.5;
  const double mid_lon = (node.lon_min + node.lon_max) * 0.5;
  return (p.lat >= mid_lat ? 2 : 0) + (p.lon >= mid_lon ? 1 : 0);
}

std::int32_t SpatialIndex::AllocateChildren() {
  if (!free_blocks_.empty()) {
    const std::int32_t first = free_blocks_.back();
    free_blocks_.pop_back();
    for (std::int32_t i = 0; i < 4; ++i)
      nodes_[static_cast<std::size_t>(first) + static_cast<std::size_t>(i)] = Node();
    return first;
  }
  const auto first = static_cast<std::int32_t>(nodes_.size());
  nodes_.resize(nodes_.size() + 4);
  return first;
}

void SpatialIndex::Split(std::int32_t index) {
  const std::int32_t first = AllocateChildren();  // may reallocate nodes_
  Node& parent = nodes_[static_cast<std::size_t>(index)];
  const double mid_lat = (parent.lat_min + parent.lat_max) * 0.5;
  const double mid_lon = (parent.lon_min + parent.lon_max) * 0.5;
  for (int q = 0; q < 4; ++q) {
    Node& child = nodes_[static_cast<std::size_t>(first) + static_cast<std::size_t>(q)];
    const bool north = (q & 2) != 0;
    const bool east = (q & 1) != 0;
    child.lat_min = north ? mid_lat : parent.lat_min;
    child.lat_max = north ? parent.lat_max : mid_lat;
    child.lon_min = east ? mid_lon : parent.lon_min;
    child.lon_max = east ? parent.lon_max : mid_lon;
    child.depth = parent.depth + 1;
  }
  parent.first_child = first;
  std::vector<Entry> entries = std::move(parent.entries);
  parent.entries = std::vector<Entry>();
  for (Entry& e : entries) {
    Node& child = nodes_[static_cast<std::size_t>(first) +
                         static_cast<std::size_t>(Quadrant(parent, e.position))];
    ++child.count;
    child.entries.push_back(e);
  }
}

void SpatialIndex::Gather(std::int32_t index, std::vector<Entry>* out) {
  Node& node = nodes_[static_cast<std::size_t>(index)];
  if (node.leaf()) {
    out->insert(out->end(), node.entries.begin(), node.entries.end());
    node.entries = std::vector<Entry>();
    return;
  }
  const std::int32_t first = node.first_child;
  for (std::int32_t q = 0; q < 4; ++q) Gather(first + q, out);
  nodes_[static_cast<std::size_t>(index)].first_child = -1;
  free_blocks_.push_back(first);
}

void SpatialIndex::Collapse(std::int32_t index) {
  std::vector<Entry> entries;
  entries.reserve(nodes_[static_cast<std::size_t>(index)].count);
  Gather(index, &entries);
  nodes_[static_cast<std::size_t>(index)].entries = std::move(entries);
}

Status SpatialIndex::Insert(Id id, const LatLon& position) {
  if (!IsValid(position)) {
    return Status::InvalidArgument("position", "latitude/longitude out of range");
  }
  if (!positions_.emplace(id, position).second) {
    return Status::Conflict("id already in the spatial index");
  }
  const Entry entry{id, position, geo_internal::Prepare(position)};
  std::int32_t index = 0;
  while (true) {
    Node& node = nodes_[static_cast<std::size_t>(index)];
    ++node.count;
    if (node.leaf()) {
      node.entries.push_back(entry);
      if (node.entries.size() > leaf_capacity_ && node.depth < kMaxDepth) {
        const LatLon first = node.entries.front().position;
        const bool all_same = std::all_of(node.entries.begin(), node.entries.end(),
                                          [&](const Entry& e) { return e.position == first; });
        if (!all_same) Split(index);
      }
      return Status::Ok();
    }
    index = node.first_child + Quadrant(node, position);
  }
}

bool SpatialIndex::Remove(Id id) {
  const auto it = positions_.find(id);
  if (it == positions_.end()) return false;
  const LatLon position = it->second;
  positions_.erase(it);

  std::int32_t collapse_at = -1;
  std::int32_t index = 0;
  while (true) {
    Node& node = nodes_[static_cast<std::size_t>(index)];
    --node.count;
    if (node.leaf()) {
      for (std::size_t i = 0; i < node.entries.size(); ++i) {
        if (node.entries[i].id == id) {
          node.entries[i] = node.entries.back();
          node.entries.pop_back();
          break;
        }
      }
      break;
    }
    // The highest internal node small enough to be one leaf again.
    if (collapse_at < 0 && node.count <= leaf_capacity_ / 2) collapse_at = index;
    index = node.first_child + Quadrant(node, position);
  }
  if (collapse_at >= 0) Collapse(collapse_at);
  return true;
}

Status SpatialIndex::Update(Id id, const LatLon& position) {
  const auto it = positions_.find(id);
  if (it == positions_.end()) return Status::NotFound("id not in the spatial index");
  if (!IsValid(position)) {
    return Status::InvalidArgument("position", "latitude/longitude out of range");
  }
  if (it->second == position) return Status::Ok();
  Remove(id);
  return Insert(id, position);
}

void SpatialIndex::Clear() {
  nodes_.clear();
  nodes_.emplace_back();
  free_blocks_.clear();
  positions_.clear();
}

std::optional<LatLon> SpatialIndex::PositionOf(Id id) const {
  const auto it = positions_.find(id);
  if (it == positions_.end()) return std::nullopt;
  return it->second;
}

double SpatialIndex::LowerBoundKm(const LatLon& q, const geo_internal::Prepared& qp,
                                  const Node& node) {
  const bool lon_inside = q.lon >= node.lon_min && q.lon <= node.lon_max;
  if (lon_inside) {
    // Along the query's meridian: exact for a point whose longitude the
    // cell spans.
    if (q.lat >= node.lat_min && q.lat <= node.lat_max) return 0;
    const double dlat = q.lat < node.lat_min ? node.lat_min - q.lat : q.lat - node.lat_max;
    return kEarthRadiusKm * dlat * kDegToRad;
  }
  // Otherwise the nearest point of the cell is on the edge meridian closest
  // in longitude. Along a meridian, cos(distance) = A sin(lat) + B cos(lat):
  // its maximum over [lat_min, lat_max] is at atan2(A, B) when inside, else
  // at an end.
  const double d_min = WrappedLonDelta(q.lon, node.lon_min);
  const double d_max = WrappedLonDelta(q.lon, node.lon_max);
  const double edge_lon = d_min <= d_max ? node.lon_min : node.lon_max;
  const double dlon = std::min(d_min, d_max) * kDegToRad;
  const double foot = std::atan2(std::sin(qp.lat_rad), qp.cos_lat * std::cos(dlon)) * kRadToDeg;
  double best =
      std::min(geo_internal::HaversineKm(qp, geo_internal::Prepare({node.lat_min, edge_lon})),
               geo_internal::HaversineKm(qp, geo_internal::Prepare({node.lat_max, edge_lon})));
  if (foot > node.lat_min && foot < node.lat_max) {
    best = std::min(best, geo_internal::HaversineKm(qp, geo_internal::Prepare({foot, edge_lon})));
  }
  return best;
}

std::vector<SpatialIndex::Neighbour> SpatialIndex::Nearest(const LatLon& query, std::size_t k,
                                                           double max_distance_km) const {
  return NearestImpl(query, k, max_distance_km, nullptr, nullptr);
}

std::vector<SpatialIndex::Neighbour> SpatialIndex::NearestImpl(const LatLon& query, std::size_t k,
                                                               double max_distance_km,
                                                               const void* accept_state,
                                                               AcceptFn accept) const {
  std::vector<Neighbour> best;
  if (k == 0 || positions_.empty() || !IsValid(query) || !(max_distance_km >= 0)) return best;
  const geo_internal::Prepared qp = geo_internal::Prepare(query);
  best.reserve(std::min(k, positions_.size()));

  // Min-heap of (lower bound, node).
  using Candidate = std::pair<double, std::int32_t>;
  std::vector<Candidate> frontier;
  frontier.reserve(64);
  const auto by_bound = [](const Candidate& a, const Candidate& b) { return a.first > b.first; };
  frontier.emplace_back(0.0, 0);

  while (!frontier.empty()) {
    std::pop_heap(frontier.begin(), frontier.end(), by_bound);
    const auto [bound, index] = frontier.back();
    frontier.pop_back();
    if (bound > max_distance_km) break;
    if (best.size() == k && bound > best.front().distance_km) break;
    const Node& node = nodes_[static_cast<std::size_t>(index)];
    if (node.leaf()) {
      for (const Entry& e : node.entries) {
        const double d = geo_internal::HaversineKm(qp, e.prepared);
        if (d > max_distance_km) continue;
        if (best.size() == k && d > best.front().distance_km) continue;
        if (accept != nullptr && !accept(accept_state, e.id)) continue;
        Neighbour n{e.id, d, e.position};
        if (best.size() < k) {
          best.push_back(n);
          std::push_heap(best.begin(), best.end(), Closer);
        } else if (Closer(n, best.front())) {
          std::pop_heap(best.begin(), best.end(), Closer);
          best.back() = n;
          std::push_heap(best.begin(), best.end(), Closer);
        }
      }
      continue;
    }
    for (std::int32_t q = 0; q < 4; ++q) {
      const std::int32_t child_index = node.first_child + q;
      const Node& child = nodes_[static_cast<std::size_t>(child_index)];
      if (child.count == 0) continue;
      // A hair below the exact bound, so rounding never prunes a cell
      // holding an equally near point.
      const double lb = LowerBoundKm(query, qp, child) * (1.0 - 1e-9) - 1e-9;
      if (lb > max_distance_km) continue;
      if (best.size() == k && lb > best.front().distance_km) continue;
      frontier.emplace_back(lb, child_index);
      std::push_heap(frontier.begin(), frontier.end(), by_bound);
    }
  }
  std::sort(best.begin(), best.end(), Closer);
  return best;
}

}  // namespace parcours::domain
