// Safety floors of the pathway: limits no configuration file may cross.
// They are constants of the code, not values of data/pathway/defaults.json,
// and are checked on the defaults and on every territory file (open or
// closed) when the configuration loads; the program refuses to start on a
// file that crosses one, naming the file and the field. Readable cases:
// tests/cases/safety_floors.json. Pure; thread-safe.
#pragma once

#include <string>

#include "core/status.h"
#include "domain/common/types.h"
#include "domain/pathway/pathway_rules.h"

namespace parcours::domain {

// After item 10 > 0: the alert is immediate (one opening hour) …
inline constexpr Urgency kItem10Urgency = Urgency::kImmediate;
// … the follow-up is at least first line …
inline constexpr CareLevel kItem10MinimumFollowUp = CareLevel::kFirstLine;
// … and a professional assessment within 24 hours at most, whatever the band
// (a territory may shorten it, never lengthen it).
inline constexpr int kItem10MaxFollowUpHours = 24;
// A "probable" result is recontacted within 24 hours at the latest.
inline constexpr Urgency kProbableSlowestUrgency = Urgency::kWithin24h;

// The published national threshold set: a file naming this id and version
// must carry these values (other values need a new id or version).
inline constexpr const char* kNationalThresholdId = "national-default";
inline constexpr int kNationalThresholdVersion = 1;
inline constexpr BandCutoffs kNationalMother{9, 11, 13};
inline constexpr BandCutoffs kNationalFather{7, 9, 11};
inline constexpr BandCutoffs kNationalCoparent{7, 9, 11};
ThresholdSet NationalThresholdSet();

// OK, or InvalidArgument whose field is the JSON path at fault
// ("urgency.item10", "orientation.item10_minimum_follow_up",
// "orientation.item10_within_hours", "urgency.probable",
// "thresholds.version") and whose message starts with `file`.
Status CheckSafetyFloors(const PathwayRules& rules, const std::string& file);

// A threshold set id/version names one set of values: InvalidArgument
// (field "thresholds.version") when `set` reuses the id and version of
// `known` (found in `known_where`) with other values.
Status CheckSameThresholdIdentity(const ThresholdSet& set, const ThresholdSet& known,
                                  const std::string& file, const std::string& known_where);

}  // namespace parcours::domain
