// Use cases of a screening: check what a parent says about themself, submit
// a screening (validate → score → band → orient → store), read one back with
// its orientation. Pages and API call the same functions with domain
// values; handlers only translate HTTP to and from them.
//
// Bad input is reported whole: every field at fault at once, as one
// kInvalidArgument Status carrying FieldErrors (core/status.h), in API
// order. Nothing is stored when any field is at fault.
//
// Thread-safe: holds only borrowed, thread-safe collaborators.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/geography.h"
#include "app/pathway_config.h"
#include "app/seams.h"
#include "core/status.h"
#include "domain/pathway/pathway_rules.h"
#include "domain/questionnaire/questionnaire.h"
#include "storage/records.h"

namespace parcours::app {

// The instrument parents take. Its items, options and scores are data
// (data/questionnaires/<instrument>.<lang>.json).
inline constexpr std::string_view kParentInstrument = "epds";

// What a parent says about themself before the questions. nullopt: not
// given, or given but not a value of its type (the use case says which
// values are expected).
struct AboutParent {
  std::optional<domain::Respondent> respondent;
  std::optional<domain::Period> period;
  std::optional<int> child_age_weeks;
  std::optional<std::string> postcode;
  std::optional<std::string> commune_code;  // INSEE code, among the postcode's communes
  std::string source;                       // partner id, "" when none
};

struct ScreeningInput {
  std::optional<std::string> id;  // pages give one (a resubmitted form is idempotent)
  std::string instrument{kParentInstrument};
  std::string language;
  AboutParent about;
  domain::Answers answers;  // one per item, display order
  // What the caller could not read into a value (a JSON string where a
  // number belongs, "abc" as an age): reported with the use case's own
  // errors; those fields are not checked further.
  FieldErrors unreadable;
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

// What a parent said about themself, checked on its own (step 1 of the
// pages, before the questions).
struct AboutCheck {
  // Ok; or kInvalidArgument naming every field at fault (reasons: see
  // ScreeningService::CheckAbout); or the failure of the commune lookup.
  Status status;
  const domain::Questionnaire* questionnaire = nullptr;  // set when instrument and language are
  Place place;                                           // valid when status is Ok
  // Communes of a well-formed postcode (looked up once), so a page can
  // offer the choice even when other fields are at fault.
  std::vector<CommuneInfo> communes;
  // Several communes and none chosen: a page asks which (a missing commune
  // is then not an error there; the API's commune_code error has reason "choose").
  bool commune_choice = false;
};

class ScreeningService {
 public:
  ScreeningService(const PathwayConfig& config, storage::Storage& storage, Clock& clock,
                   Random& random, const CommuneLookup& communes, const RecontactGate& gate);

  // Checks instrument, language, respondent, period, child_age_weeks,
  // postcode, commune_code (answers and id are ignored). Field error
  // reasons: child_age_weeks "missing", "range" or "prenatal" (given before
  // birth); commune_code "choose" (postcode over several territories and
  // none chosen) or "unknown".
  AboutCheck CheckAbout(const ScreeningInput& in) const;

  // CheckAbout, then the answers (reasons "missing", "range") and id, every
  // error at once. A resubmitted id with the same answers returns the stored
  // screening; with other answers it is a kConflict.
  Result<ScreeningOutcome> Submit(const ScreeningInput& in);

  // kNotFound when there is no such screening; kInternal when its stored
  // row does not read back.
  Result<ScreeningOutcome> Find(const std::string& id);

  // Orientation of a stored screening with the rules of its territory.
  ScreeningOutcome Outcome(storage::ScreeningRecord record) const;

  // A questionnaire to show, worded for `respondent`: kNotFound for an
  // unknown instrument, else every field at fault (language, respondent).
  Result<const domain::Questionnaire*> Questionnaire(
      std::string_view instrument, std::string_view language,
      std::optional<domain::Respondent> respondent) const;

  // The parents' questionnaire in `language`, else in French; nullptr only
  // when the installation ships none.
  const domain::Questionnaire* QuestionnaireFor(std::string_view language) const;

  const PathwayConfig& config() const { return config_; }

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
