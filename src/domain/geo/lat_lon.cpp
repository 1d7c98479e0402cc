#include "domain/geo/lat_lon.h"

#include <cmath>

#include "domain/geo/haversine_internal.h"

namespace parcours::domain {

bool IsValid(const LatLon& p) {
  return std::isfinite(p.lat) && std::isfinite(p.lon) && p.lat >= -90 && p.lat <= 90 &&
         p.lon >= -180 && p.lon <= 180;
}

double HaversineKm(const LatLon& a, const LatLon& b) {
  return geo_internal::HaversineKm(geo_internal::Prepare(a), geo_internal::Prepare(b));
}

}  // namespace parcours::domain
