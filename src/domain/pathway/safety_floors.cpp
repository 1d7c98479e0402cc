#include "domain/pathway/safety_floors.h"

namespace parcours::domain {
namespace {

Status Refuse(const std::string& file, const std::string& field, const std::string& why) {
  return Status::InvalidArgument(field, file + ": " + field + ": " + why + " (safety floor)");
}

}  // namespace

ThresholdSet NationalThresholdSet() {
  return ThresholdSet{kNationalThresholdId, kNationalThresholdVersion, kNationalMother,
                      kNationalFather, kNationalCoparent};
}

Status CheckSafetyFloors(const PathwayRules& rules, const std::string& file) {
  if (rules.item10_urgency() != kItem10Urgency) {
    return Refuse(file, "urgency.item10",
                  "must be \"immediate\" (an item-10 answer is handled within the hour)");
  }
  if (static_cast<int>(rules.item10_minimum_follow_up()) <
      static_cast<int>(kItem10MinimumFollowUp)) {
    return Refuse(file, "orientation.item10_minimum_follow_up",
                  "must be first_line or above after an item-10 answer");
  }
  if (rules.item10_within_hours() > kItem10MaxFollowUpHours) {
    return Refuse(file, "orientation.item10_within_hours",
                  "the assessment after an item-10 answer is due within " +
                      std::to_string(kItem10MaxFollowUpHours) + " hours at most, not " +
                      std::to_string(rules.item10_within_hours()));
  }
  if (static_cast<int>(rules.UrgencyOf(Band::kProbable)) >
      static_cast<int>(kProbableSlowestUrgency)) {
    return Refuse(file, "urgency.probable", "must be \"24h\" or \"immediate\"");
  }
  return CheckSameThresholdIdentity(rules.thresholds(), NationalThresholdSet(), file,
                                    "the published national set");
}

Status CheckSameThresholdIdentity(const ThresholdSet& set, const ThresholdSet& known,
                                  const std::string& file, const std::string& known_where) {
  if (set.id != known.id || set.version != known.version || set.SameValues(known)) {
    return Status::Ok();
  }
  return Refuse(file, "thresholds.version",
                "threshold set \"" + set.id + "\" version " + std::to_string(set.version) +
                    " already names other values (" + known_where +
                    "): changed thresholds need a new id or version");
}

}  // namespace parcours::domain
