// The commune list of the npm package @etalab/decoupage-administratif
// (data/communes.json, version 6): a JSON array of objects
//   {"code":"97209","nom":"Fort-de-France","departement":"972","region":"02",
//    "type":"commune-actuelle","codesPostaux":["97200","97234"],
//    "population":75506, ...}
// Only "commune-actuelle" entries are communes of the list (delegated and
// associated communes and municipal arrondissements are skipped). It has no
// centroids: Commune::centroid stays empty.
//
// Errors (LineError, line_number = 1-based index of the entry in the array):
// an entry that is not an object, a malformed code, an empty name or
// department, a postcode that is not 5 digits. A document that is not a JSON
// array is a Status (field "file"). Nothing throws; any byte sequence is safe
// (fuzzed). Depth and size are bounded by Boost.JSON's parser limits.
#pragma once

#include <functional>
#include <string_view>

#include "core/status.h"
#include "domain/directory/commune_parser.h"
#include "domain/directory/import_report.h"

namespace parcours::domain {

Status ReadEtalabCommunes(std::string_view json,
                          const std::function<void(const Commune&)>& on_commune,
                          const std::function<void(const LineError&)>& on_error,
                          ImportCounts* counts = nullptr);

}  // namespace parcours::domain
