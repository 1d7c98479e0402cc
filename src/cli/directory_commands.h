// The directory's subcommands: import, resource, subterritory, demo.
#pragma once

#include "cli/config.h"

namespace parcours::cli {

// `parcours import rpps|finess|communes FILE [--dry-run] [--territory ...]`
int ImportCommand(const Config& c);
// `parcours resource add|edit|show|verify|deactivate|reactivate|publish|unpublish ...`
int ResourceCommand(const Config& c);
// `parcours subterritory set|list|of ...`
int SubTerritoryCommand(const Config& c);
// `parcours demo load`: the communes (when the npm list is installed) and a
// fictional directory of the six territories, idempotently.
int DemoCommand(const Config& c);

}  // namespace parcours::cli
