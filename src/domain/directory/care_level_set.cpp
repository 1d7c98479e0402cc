#include "domain/directory/care_level_set.h"

namespace parcours::domain {

std::vector<CareLevel> CareLevelSet::ToVector() const {
  std::vector<CareLevel> out;
  for (CareLevel l : {CareLevel::kInformation, CareLevel::kFirstLine, CareLevel::kSpecialised,
                      CareLevel::kHospital, CareLevel::kEmergency}) {
    if (Contains(l)) out.push_back(l);
  }
  return out;
}

}  // namespace parcours::domain
