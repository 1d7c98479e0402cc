// The six territories of the 2025-2028 experiment (instruction
// DGOS/P3/2025/118) with their INSEE region and department codes: the
// default filter of the directory imports and of bulk publication.
//
// The territory configuration proper (names, time zone, thresholds) lives in
// domain/territory; this table only says which departments belong to which
// experiment territory. Pure, thread-safe.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace parcours::domain {

struct ExperimentTerritory {
  std::string_view code;         // "hauts-de-france"
  std::string_view region_code;  // INSEE region, "32"
  std::vector<std::string_view> departments;
};

// In alphabetical order of code.
const std::vector<ExperimentTerritory>& ExperimentTerritories();

// nullptr when the code is not one of the six.
const ExperimentTerritory* FindExperimentTerritory(std::string_view code);

// The territory code of an INSEE department ("59" -> "hauts-de-france"),
// nullopt outside the six.
std::optional<std::string_view> TerritoryOfDepartment(std::string_view department_code);

}  // namespace parcours::domain
