// The demo directory for `./run` (see data/demo/README.md): the commune list
// when installed, the demo towns with their centroids, and fictional
// resources generated around them (source "demo", published, every name
// ending with "(démo)"). Deterministic and idempotent: loading twice changes
// nothing.
#pragma once

#include <cstdint>
#include <string>

#include "app/clock.h"
#include "core/status.h"
#include "storage/storage.h"

namespace parcours::app {

struct DemoSummary {
  std::int64_t communes_loaded = 0;  // from the npm list (0 when not installed)
  bool commune_list_found = false;
  std::int64_t towns = 0;
  std::int64_t resources_inserted = 0;
  std::int64_t resources_present = 0;
};

// share_dir holds data/demo/towns.csv and, optionally,
// node_modules/@etalab/decoupage-administratif/data/communes.json.
Result<DemoSummary> LoadDemoDirectory(storage::Storage& storage, const Clock& clock,
                                      const std::string& share_dir);

std::string FormatDemoSummary(const DemoSummary& s);

// Checks a sub-territory before it is stored: code (lower-case letters,
// digits, '-'), experiment territory, name, kind (department, ptsm,
// communes) and members (department codes of that territory for
// "department"; INSEE commune codes for "communes"; either for "ptsm").
// Sorts and de-duplicates members. kInvalidArgument names the field.
Status ValidateSubTerritory(storage::SubTerritoryRecord* s);

}  // namespace parcours::app
