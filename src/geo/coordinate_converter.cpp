#include "geo/coordinate_converter.h"

#include <proj.h>

#include <cmath>
#include <string>
#include <unordered_map>
#include <utility>

namespace parcours::geo {
namespace {

// Degrees of slack around a system's area of use: geocoded points on
// coasts, islets or just over a border stay accepted.
constexpr double kAreaMarginDeg = 1.0;

struct Transform {
  PJ* pj = nullptr;  // null when the system could not be used
  bool has_area = false;
  double west = 0;
  double south = 0;
  double east = 0;
  double north = 0;
  std::string failure;  // why pj is null
};

bool InArea(const Transform& t, double lon, double lat) {
  if (!t.has_area) return true;
  if (lat < t.south - kAreaMarginDeg || lat > t.north + kAreaMarginDeg) return false;
  const double west = t.west - kAreaMarginDeg;
  const double east = t.east + kAreaMarginDeg;
  if (t.west <= t.east) return lon >= west && lon <= east;
  return lon >= west || lon <= east;  // area across the antimeridian
}

}  // namespace

struct CoordinateConverter::Impl {
  PJ_CONTEXT* ctx = nullptr;
  std::unordered_map<int, Transform> cache;

  ~Impl() {
    for (auto& [epsg, t] : cache) {
      if (t.pj != nullptr) proj_destroy(t.pj);
    }
    if (ctx != nullptr) proj_context_destroy(ctx);
  }

  Transform Build(int epsg) {
    Transform t;
    const std::string name = "EPSG:" + std::to_string(epsg);
    PJ* source = proj_create(ctx, name.c_str());
    if (source == nullptr) {
      t.failure = name + " is unknown to PROJ";
      return t;
    }
    if (proj_get_type(source) != PJ_TYPE_PROJECTED_CRS) {
      proj_destroy(source);
      t.failure = name + " is not a projected system";
      return t;
    }
    double west = 0, south = 0, east = 0, north = 0;
    if (proj_get_area_of_use(ctx, source, &west, &south, &east, &north, nullptr) != 0 &&
        west > -1000 && south > -1000 && east > -1000 && north > -1000) {
      t.has_area = true;
      t.west = west;
      t.south = south;
      t.east = east;
      t.north = north;
    }
    PJ* target = proj_create(ctx, "EPSG:4326");
    PJ* op = target == nullptr
                 ? nullptr
                 : proj_create_crs_to_crs_from_pj(ctx, source, target, nullptr, nullptr);
    proj_destroy(source);
    if (target != nullptr) proj_destroy(target);
    if (op == nullptr) {
      t.failure = "PROJ has no transformation from " + name + " to WGS84";
      return t;
    }
    // Easting/northing in, longitude/latitude out, whatever the axis order
    // the EPSG definitions declare.
    PJ* normalised = proj_normalize_for_visualization(ctx, op);
    proj_destroy(op);
    if (normalised == nullptr) {
      t.failure = "PROJ could not normalise the transformation from " + name;
      return t;
    }
    t.pj = normalised;
    return t;
  }

  const Transform& Get(int epsg) {
    auto it = cache.find(epsg);
    if (it == cache.end()) it = cache.emplace(epsg, Build(epsg)).first;
    return it->second;
  }
};

CoordinateConverter::CoordinateConverter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

CoordinateConverter::~CoordinateConverter() = default;

Result<std::unique_ptr<CoordinateConverter>> CoordinateConverter::Create() {
  auto impl = std::make_unique<Impl>();
  impl->ctx = proj_context_create();
  if (impl->ctx == nullptr) return Status::Unavailable("PROJ context could not be created");
  proj_log_level(impl->ctx, PJ_LOG_NONE);
  proj_context_set_enable_network(impl->ctx, 0);
  return std::unique_ptr<CoordinateConverter>(new CoordinateConverter(std::move(impl)));
}

Result<domain::LatLon> CoordinateConverter::ToWgs84(const domain::ProjectedPoint& point) {
  if (point.epsg <= 0) {
    return Status::InvalidArgument("epsg", "no coordinate system for the point");
  }
  if (!std::isfinite(point.x) || !std::isfinite(point.y)) {
    return Status::InvalidArgument("coordinates", "coordinates are not finite numbers");
  }
  const Transform& t = impl_->Get(point.epsg);
  if (t.pj == nullptr) return Status::InvalidArgument("epsg", t.failure);
  proj_errno_reset(t.pj);
  const PJ_COORD out = proj_trans(t.pj, PJ_FWD, proj_coord(point.x, point.y, 0, 0));
  const double lon = out.xy.x;
  const double lat = out.xy.y;
  if (!std::isfinite(lon) || !std::isfinite(lat) || lon == HUGE_VAL || lat == HUGE_VAL) {
    return Status::InvalidArgument(
        "coordinates", "PROJ could not convert the point from EPSG:" + std::to_string(point.epsg));
  }
  const domain::LatLon result{lat, lon};
  // (Checked here rather than with domain::IsValid: parcours_geo links only
  // parcours_core.)
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180 || !InArea(t, lon, lat)) {
    return Status::InvalidArgument(
        "coordinates", "point falls outside the area of use of EPSG:" + std::to_string(point.epsg));
  }
  return result;
}

}  // namespace parcours::geo
