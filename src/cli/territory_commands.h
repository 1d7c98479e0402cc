// `parcours territory …`: what the configuration says about a territory, as
// the running program computes it, for operators checking their files.
#pragma once

#include "cli/config.h"

namespace parcours::cli {

// `parcours territory holidays CODE YEAR`: closed days of the year (public
//   holidays of the territory and its file's closed days), in date order.
// `parcours territory deadline CODE URGENCY YYYY-MM-DDTHH:MM`: the deadline
//   of an alert raised at that local time, with the recontact terms in force
//   now (the file, or demo mode recorded in --database).
int TerritoryCommand(const Config& c);

}  // namespace parcours::cli
