#include "domain/geo/projected_point.h"

namespace parcours::domain {

int DefaultEpsgForDepartment(std::string_view d) {
  if (d == "971" || d == "972" || d == "977" || d == "978") return kEpsgRgaf09Utm20N;
  if (d == "973") return kEpsgRgfg95Utm22N;
  if (d == "974") return kEpsgRgr92Utm40S;
  if (d == "976") return kEpsgRgm04Utm38S;
  if (d == "975") return kEpsgWgs84Utm21N;
  if (d == "986") return kEpsgWgs84Utm1S;
  if (d == "2A" || d == "2B") return kEpsgLambert93;
  if (d.size() == 2 && d[0] >= '0' && d[0] <= '9' && d[1] >= '0' && d[1] <= '9' && d != "00" &&
      d != "20" && d < "96") {
    return kEpsgLambert93;
  }
  return 0;
}

}  // namespace parcours::domain
