// INSEE commune and department codes as the extracts write them, brought to
// the codes of the commune list (communes.csv, etalab decoupage-administratif)
// so every row joins on one spelling.
//
// Pure, thread-safe. Returned views point into the argument or into static
// storage.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parcours::domain {

// Five characters: five digits, or "2A"/"2B" and three digits.
bool IsWellFormedCommuneCode(std::string_view code);

// The code of the commune the list knows:
//   Paris arrondissements 75101-75120     -> 75056
//   Lyon arrondissements 69381-69389      -> 69123
//   Marseille arrondissements 13201-13216 -> 13055
//   97123 (Saint-Barthélemy before 2007)  -> 97701
//   97127 (Saint-Martin before 2007)      -> 97801
// Any other code comes back unchanged.
std::string_view NormaliseCommuneCode(std::string_view code);

// The department (or overseas collectivity) of a commune code: three
// characters for 97xxx/98xxx ("972", "975", "986"), else the first two
// ("01", "2A"). Empty when the code is not well formed.
std::string_view DepartmentOfCommune(std::string_view code);

// FINESS writes overseas departments 9A-9F and 9J; the INSEE codes are
// 9A 971 Guadeloupe, 9B 972 Martinique, 9C 973 Guyane, 9D 974 La Réunion,
// 9E 975 Saint-Pierre-et-Miquelon, 9F 976 Mayotte, 9J 986 Wallis-et-Futuna.
// Mainland ("01".."95") and Corsica ("2A", "2B") are unchanged. nullopt for
// anything else.
std::optional<std::string_view> InseeDepartmentFromFiness(std::string_view finess_department);

// The INSEE commune code (normalised as above) of a FINESS row: department
// and the three-digit `commune` field ("9B" + "207" -> "97207" Ducos,
// "01" + "451" -> "01451", "9A" + "127" -> "97801"). nullopt when either part
// is malformed or they disagree (an overseas commune must start with its
// department's last digit).
std::optional<std::string> CommuneCodeFromFiness(std::string_view finess_department,
                                                 std::string_view commune);

}  // namespace parcours::domain
