// WGS84 positions and great-circle distance. Pure, thread-safe.
#pragma once

namespace parcours::domain {

// WGS84 latitude and longitude in decimal degrees.
struct LatLon {
  double lat = 0;
  double lon = 0;

  bool operator==(const LatLon&) const = default;
};

// Mean Earth radius (IUGG), the usual radius for haversine distances.
inline constexpr double kEarthRadiusKm = 6371.0088;

// Finite, latitude in [-90, 90], longitude in [-180, 180].
bool IsValid(const LatLon& p);

// Great-circle distance on a sphere of radius kEarthRadiusKm (haversine
// formula): within 0.5 % of the ellipsoidal distance, plenty to rank help by
// proximity.
double HaversineKm(const LatLon& a, const LatLon& b);

}  // namespace parcours::domain
