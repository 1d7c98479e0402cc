// Use cases of a consultation screening: a first-line professional passes
// the EPDS with a parent in person (EPP, EPNP, referent midwife's visit...),
// records the HAS vulnerability factors, and gets the score, the band, the
// suggested level of care from the one rule source (PathwayRules::Assess,
// with vulnerability) and the nearest resources of that level.
//
// The screening is an ordinary row of `screenings` (same ids as the
// parents' self-screenings, source "consultation"); the consultation row
// (storage::ConsultationRecord) adds the context, the professional's
// account, the territory and the factors, in the same transaction, with one
// audit row (create of health data). Item 10 > 0 is recorded as such on the
// screening (item10_positive, counted by the indicators) and named in the
// audit detail.
//
// Access: app/auth/access_rules.h kConsultationsCreate / kConsultationsRead
// (role professional). The parent's commune must lie in one of the
// professional's territories. Reading another territory's screening is
// kNotFound. Bad input is reported whole (every field at once, API order);
// nothing is written when any field is at fault.
//
// Thread-safe: holds only borrowed, thread-safe collaborators.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/clock.h"
#include "app/directory/directory_search.h"
#include "app/geography.h"
#include "app/pathway_config.h"
#include "core/status.h"
#include "domain/access/access.h"
#include "domain/pathway/consultation.h"
#include "domain/pathway/pathway_rules.h"
#include "domain/questionnaire/questionnaire.h"
#include "storage/consultation_repository.h"
#include "storage/records.h"

namespace parcours::storage {
class Storage;
}

namespace parcours::app {

class Clock;
class Random;

// Source recorded on the screening row of a consultation.
inline constexpr std::string_view kConsultationSource = "consultation";
// Resources listed with a result.
inline constexpr int kConsultationResources = 5;
// How long a consultation form's one-time id stays valid (a long
// consultation, a form left open over lunch).
inline constexpr domain::TimestampMs kSubmissionLifetimeMs = 12LL * 3600 * 1000;

// nullopt: not given, or given but not a value of its type (`unreadable`
// then says so when the caller could tell).
struct ConsultationInput {
  std::optional<domain::ConsultationContext> context;
  std::string instrument = "epds";
  std::string language = "fr";  // of the questionnaire passed (the session's by default)
  std::optional<domain::Respondent> respondent;
  std::optional<domain::Period> period;
  std::optional<int> child_age_weeks;
  std::optional<std::string> postcode;  // of the parent's commune
  // INSEE code of the parent's commune: needed only when several communes
  // share the postcode (or instead of the postcode).
  std::optional<std::string> commune_code;
  domain::Answers answers;  // one per item, display order
  // The form's one-time id (an id made by NewSubmissionId when the form was
  // shown, at most kSubmissionLifetimeMs ago): it becomes the screening's
  // id, so the same form sent again (Back, then Send; a double click)
  // returns the screening made the first time instead of a second one.
  // Ignored when malformed or too old; the API does not take one.
  std::optional<std::string> submission_id;
  std::vector<std::string> vulnerability;  // factor codes
  FieldErrors unreadable;
};

struct ConsultationOutcome {
  storage::ScreeningRecord screening;
  storage::ConsultationRecord consultation;
  domain::Orientation orientation;
  const domain::Territory* territory = nullptr;  // never null
  // Nearest resources of the suggested level (follow_up_level) around the
  // parent's commune, unpublished ones included (professionals see every
  // resource); empty without a directory.
  std::vector<DirectoryItem> resources;
  // Nearest emergency services, when item 10 > 0.
  std::vector<DirectoryItem> emergency;
  // The form had been sent before: this is the first outcome, unchanged.
  bool repeated = false;
};

class ConsultationService {
 public:
  // directory may be null (no resources listed).
  ConsultationService(const PathwayConfig& config, storage::Storage& storage, Clock& clock,
                      Random& random, const CommuneLookup& communes, DirectorySearch* directory);

  // Field errors (API names, in this order): context, instrument, language,
  // respondent, period, child_age_weeks ("missing", "range", "prenatal"),
  // postcode ("missing", "format", "unknown": no commune known, "scope":
  // outside the caller's territories), commune_code ("unknown", "choose":
  // several communes share the postcode, "scope" when given without a
  // postcode), answers / answers[i] ("missing", "range"),
  // vulnerability[i] ("unknown"). kUnauthenticated / kForbidden before
  // anything is read.
  // A form sent again (same submission_id) by the professional who sent it
  // first returns the first outcome, with `repeated` set, and writes
  // nothing; by anyone else, kConflict (field "submission_id").
  Result<ConsultationOutcome> Submit(const domain::Principal& p, const ConsultationInput& in);

  // The communes sharing a postcode, for the form to offer a choice (empty
  // for a malformed or unknown postcode). Public geography: no access rule.
  Result<std::vector<CommuneInfo>> CommunesOfPostcode(std::string_view postcode) const;

  // A consultation screening of the caller's territories (audited read);
  // kNotFound for an unknown id, a self-screening, or another territory's.
  Result<ConsultationOutcome> Find(const domain::Principal& p, std::string_view screening_id);

  // A new form's one-time id (see ConsultationInput::submission_id).
  std::string NewSubmissionId() { return NewId(clock_, random_); }

  const PathwayConfig& config() const { return config_; }

 private:
  ConsultationOutcome Outcome(storage::ScreeningRecord s, storage::ConsultationRecord c) const;

  const PathwayConfig& config_;
  storage::Storage& storage_;
  Clock& clock_;
  Random& random_;
  const CommuneLookup& communes_;
  DirectorySearch* directory_;
};

}  // namespace parcours::app
