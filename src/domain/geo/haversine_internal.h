// Internal to domain/geo: the haversine formula on precomputed radians and
// cosines, shared by HaversineKm and SpatialIndex so both give bit-identical
// distances (the index can then be checked against a brute-force scan).
#pragma once

#include <algorithm>
#include <cmath>
#include <numbers>

#include "domain/geo/lat_lon.h"

namespace parcours::domain::geo_internal {

struct Prepared {
  double lat_rad = 0;
  double lon_rad = 0;
  double cos_lat = 1;
};

inline Prepared Prepare(const LatLon& p) {
  constexpr double kDegToRad = std::numbers::pi / 180.0;
  Prepared r;
  r.lat_rad = p.lat * kDegToRad;
  r.lon_rad = p.lon * kDegToRad;
  r.cos_lat = std::cos(r.lat_rad);
  return r;
}

inline double HaversineKm(const Prepared& a, const Prepared& b) {
  const double s_lat = std::sin((b.lat_rad - a.lat_rad) * 0.5);
  const double s_lon = std::sin((b.lon_rad - a.lon_rad) * 0.5);
  double h = s_lat * s_lat + a.cos_lat * b.cos_lat * s_lon * s_lon;
  h = std::clamp(h, 0.0, 1.0);
  return 2.0 * kEarthRadiusKm * std::asin(std::sqrt(h));
}

}  // namespace parcours::domain::geo_internal
