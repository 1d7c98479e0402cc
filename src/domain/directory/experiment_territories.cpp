#include "domain/directory/experiment_territories.h"

namespace parcours::domain {

const std::vector<ExperimentTerritory>& ExperimentTerritories() {
  static const std::vector<ExperimentTerritory>* const kAll = new std::vector<ExperimentTerritory>{
      {"centre-val-de-loire", "24", {"18", "28", "36", "37", "41", "45"}},
      {"hauts-de-france", "32", {"02", "59", "60", "62", "80"}},
      {"martinique", "02", {"972"}},
      {"normandie", "28", {"14", "27", "50", "61", "76"}},
      {"occitanie",
       "76",
       {"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"}},
      {"paca", "93", {"04", "05", "06", "13", "83", "84"}},
  };
  return *kAll;
}

const ExperimentTerritory* FindExperimentTerritory(std::string_view code) {
  for (const auto& t : ExperimentTerritories()) {
    if (t.code == code) return &t;
  }
  return nullptr;
}

std::optional<std::string_view> TerritoryOfDepartment(std::string_view department_code) {
  for (const auto& t : ExperimentTerritories()) {
    for (std::string_view d : t.departments) {
      if (d == department_code) return t.code;
    }
  }
  return std::nullopt;
}

}  // namespace parcours::domain
