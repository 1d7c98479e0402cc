// Where a parent lives: postcode → communes → territory. Commune data comes
// from the directory (imported communes); CommuneLookup is the seam so the
// screening use cases do not depend on how communes are stored.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace parcours::domain {
class TerritoryCatalog;
struct Territory;
}  // namespace parcours::domain

namespace parcours::app {

struct CommuneInfo {
  std::string insee_code;
  std::string name;
  std::string department_code;
};

class CommuneLookup {
 public:
  virtual ~CommuneLookup() = default;
  // Communes whose postcodes include `postcode` (empty when none is known).
  virtual Result<std::vector<CommuneInfo>> ByPostcode(std::string_view postcode) const = 0;
  // The commune of an INSEE code (arrondissement codes of Paris, Lyon and
  // Marseille give their commune); nullopt when unknown.
  virtual Result<std::optional<CommuneInfo>> ByCode(std::string_view insee_code) const = 0;
};

// True for a French postcode: 5 digits.
bool IsPostcode(std::string_view s);

// Department a postcode usually belongs to ("59000" → "59", "97200" → "972",
// "20000" → "" for Corsica, whose postcodes do not tell 2A from 2B). Only a
// fallback when no commune is known for the postcode.
std::string DepartmentOfPostcode(std::string_view postcode);

struct Place {
  std::optional<std::string> postcode;
  std::optional<std::string> commune_code;
  const domain::Territory* territory = nullptr;  // never null
  bool commune_data = false;                     // false: territory guessed from the postcode alone
};

// Resolves a postcode and an optional commune (INSEE code). Errors:
//   postcode     not 5 digits
//   commune_code not a commune of that postcode (reason "unknown"), or
//                missing while the postcode covers communes of several
//                territories (reason "choose")
Result<Place> ResolvePlace(const CommuneLookup& communes, const domain::TerritoryCatalog& catalog,
                           const std::optional<std::string>& postcode,
                           const std::optional<std::string>& commune_code);

// The same for a well-formed postcode whose communes were already looked
// up (`communes`, possibly empty): no second lookup.
Result<Place> PlaceOf(const domain::TerritoryCatalog& catalog, const std::string& postcode,
                      const std::vector<CommuneInfo>& communes,
                      const std::optional<std::string>& commune_code);

}  // namespace parcours::app
