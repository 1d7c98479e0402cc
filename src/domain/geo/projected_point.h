// Projected coordinates as the open data gives them (FINESS: Lambert-93 in
// mainland France and Corsica, UTM overseas), and the default projection of
// each department. Converting them to WGS84 needs PROJ: see
// geo/coordinate_converter.h. Pure, thread-safe.
#pragma once

#include <string_view>

namespace parcours::domain {

// Well-known EPSG codes of the French projected systems.
inline constexpr int kEpsgLambert93 = 2154;      // RGF93 v1 / Lambert-93
inline constexpr int kEpsgRgaf09Utm20N = 5490;   // Guadeloupe, Martinique, St-Barth, St-Martin
inline constexpr int kEpsgRraf91Utm20N = 4559;   // older Antilles system (< 1 m from RGAF09)
inline constexpr int kEpsgRgfg95Utm22N = 2972;   // Guyane
inline constexpr int kEpsgRgr92Utm40S = 2975;    // La Réunion
inline constexpr int kEpsgRgm04Utm38S = 4471;    // Mayotte
inline constexpr int kEpsgRgspm06Utm21N = 4467;  // Saint-Pierre-et-Miquelon
inline constexpr int kEpsgWgs84Utm21N = 32621;   // St-Pierre-et-Miquelon, as FINESS declares it
inline constexpr int kEpsgWgs84Utm1S = 32701;    // Wallis-et-Futuna, as FINESS declares it

struct ProjectedPoint {
  double x = 0;  // easting, metres
  double y = 0;  // northing, metres
  int epsg = 0;  // 0: unknown, resolve with DefaultEpsgForDepartment

  bool operator==(const ProjectedPoint&) const = default;
};

// The projection used for a department (INSEE spelling: "01".."95", "2A",
// "2B", "971".."976", "975", "977", "978", "986"), as FINESS publishes it:
//   mainland and Corsica               -> 2154  Lambert-93
//   971, 972, 977, 978 (Antilles)      -> 5490  RGAF09 / UTM 20N
//   973 Guyane                         -> 2972  RGFG95 / UTM 22N
//   974 La Réunion                     -> 2975  RGR92 / UTM 40S
//   976 Mayotte                        -> 4471  RGM04 / UTM 38S
//   975 Saint-Pierre-et-Miquelon       -> 32621 WGS 84 / UTM 21N
//   986 Wallis-et-Futuna               -> 32701 WGS 84 / UTM 1S
// 0 for anything else (New Caledonia, Polynesia: not in FINESS' scheme).
int DefaultEpsgForDepartment(std::string_view insee_department);

}  // namespace parcours::domain
