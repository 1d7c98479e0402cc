// Use cases of a screening: submit one (validate → score → band → orient →
// store), read one back with its orientation. Pages and API call the same
// functions. Nothing is stored when any field is invalid.
//
// Thread-safe: holds only borrowed, thread-safe collaborators.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/geography.h"
#include "app/pathway_config.h"
#include "core/status.h"
#include "domain/pathway/pathway_rules.h"
#include "storage/records.h"

namespace parcours::storage {
class Storage;
}

namespace parcours::app {

class Clock;
class Random;
class RecontactGate;

struct ScreeningInput {
  std::optional<std::string> id;  // pages give one (a resubmitted form is idempotent)
  std::string instrument = "epds";
  std::string language;
  std::string respondent;
  std::string period;
  std::optional<int> child_age_weeks;
  std::optional<std::string> postcode;
  std::optional<std::string> commune_code;
  std::string source;
  std::vector<int> answers;  // option index (0-3) in display order
};

struct ScreeningOutcome {
  storage::ScreeningRecord record;
  domain::AssessmentInput assessment;  // what the orientation was computed from
  domain::Orientation orientation;
  const domain::Territory* territory = nullptr;  // never null
  // Recontact terms in force for the territory (RecontactGate); null when
  // no team answers there.
  std::shared_ptr<const domain::RecontactConfig> recontact;
};

class ScreeningService {
 public:
  ScreeningService(const PathwayConfig& config, storage::Storage& storage, Clock& clock,
                   Random& random, const CommuneLookup& communes, const RecontactGate& gate);

  // Validates every field in API order (instrument, language, respondent,
  // period, child_age_weeks, postcode, commune_code, answers); the first
  // invalid one is the error's field. A resubmitted id with the same answers
  // returns the stored screening; with other answers it is a kConflict.
  Result<ScreeningOutcome> Submit(const ScreeningInput& in);

  // kNotFound when there is no such screening.
  Result<ScreeningOutcome> Find(const std::string& id);

  // Orientation of a stored screening with the rules of its territory.
  ScreeningOutcome Outcome(storage::ScreeningRecord record) const;

  const PathwayConfig& config() const { return config_; }
  const CommuneLookup& communes() const { return communes_; }

 private:
  const PathwayConfig& config_;
  storage::Storage& storage_;
  Clock& clock_;
  Random& random_;
  const CommuneLookup& communes_;
  const RecontactGate& gate_;
};

// Largest child age accepted, in weeks (the pathway covers pregnancy and the
// first year; a little slack for late screenings).
inline constexpr int kMaxChildAgeWeeks = 104;

// Screening ids are NewId() strings: 26 characters of Crockford base32.
bool IsScreeningId(std::string_view s);

}  // namespace parcours::app
