// CoordinateConverter: projected coordinates of the open data (FINESS:
// Lambert-93 EPSG:2154 in mainland France and Corsica, UTM overseas; see
// domain/geo/projected_point.h for the system of each department) to WGS84
// latitude/longitude, with PROJ.
//
// Each converter owns one PROJ context and caches one transformation per
// source EPSG code (created on first use). PROJ reads its database
// (proj.db) from disk, which is why this is not in the pure domain.
// Transformations never use the network: where PROJ has no grid it uses the
// published Helmert/null transformations, within ~1 m for these systems.
//
// Thread-safety: a converter is NOT thread-safe (PROJ contexts are
// per-thread); give each thread its own. Never throws.
#pragma once

#include <memory>

#include "core/status.h"
#include "domain/geo/lat_lon.h"
#include "domain/geo/projected_point.h"

namespace parcours::geo {

class CoordinateConverter {
 public:
  // kUnavailable when PROJ cannot create a context.
  static Result<std::unique_ptr<CoordinateConverter>> Create();

  ~CoordinateConverter();
  CoordinateConverter(const CoordinateConverter&) = delete;
  CoordinateConverter& operator=(const CoordinateConverter&) = delete;

  // Converts point.x (easting) and point.y (northing), in metres, from the
  // system point.epsg to WGS84. InvalidArgument when the EPSG code is 0 or
  // unknown to PROJ, the input is not finite, or the result falls outside
  // the system's area of use (e.g. UTM coordinates read as Lambert-93, which
  // would land thousands of km away); kUnavailable if PROJ fails otherwise.
  Result<domain::LatLon> ToWgs84(const domain::ProjectedPoint& point);

 private:
  struct Impl;
  explicit CoordinateConverter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace parcours::geo
