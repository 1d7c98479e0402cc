#include "app/screening/screening_service.h"

#include "app/clock.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

// API order of the fields: the first error of a list is the one a client
// reads in "error".
Status InApiOrder(std::vector<FieldError> errors) {
  return InvalidInOrder(std::move(errors),
                        {"instrument", "language", "respondent", "period", "child_age_weeks",
                         "postcode", "commune_code", "source", "answers", "id"});
}

// Adds the field errors of `st`, except for fields the caller could not read
// (already reported).
void Append(std::vector<FieldError>& to, const Status& st, const FieldErrors& unreadable) {
  for (auto& e : st.field_errors()) {
    if (!unreadable.Has(e.field)) to.push_back(std::move(e));
  }
}

}  // namespace

bool IsScreeningId(std::string_view s) {
  if (s.size() != 26) return false;
  for (char c : s) {
    const bool digit = c >= '0' && c <= '9';
    const bool lower = c >= 'a' && c <= 'z' && c != 'i' && c != 'l' && c != 'o' && c != 'u';
    if (!digit && !lower) return false;
  }
  return true;
}

ScreeningService::ScreeningService(const PathwayConfig& config, storage::Storage& storage,
                                   Clock& clock, Random& random, const CommuneLookup& communes)
    : config_(config), storage_(storage), clock_(clock), random_(random), communes_(communes) {}

const domain::Questionnaire* ScreeningService::QuestionnaireFor(std::string_view language) const {
  const domain::Questionnaire* q = config_.Questionnaire(kParentInstrument, language);
  return q != nullptr ? q : config_.Questionnaire(kParentInstrument, "fr");
}

Result<const domain::Questionnaire*> ScreeningService::Questionnaire(
    std::string_view instrument, std::string_view language,
    std::optional<domain::Respondent> respondent) const {
  if (config_.Questionnaire(instrument, "fr") == nullptr) {
    return Status::NotFound("no questionnaire " + std::string(instrument));
  }
  std::vector<FieldError> errors;
  const domain::Questionnaire* q = config_.Questionnaire(instrument, language);
  if (q == nullptr) errors.push_back({"language", "no questionnaire in that language"});
  if (!respondent) errors.push_back({"respondent", "must be mother, father or coparent"});
  if (!errors.empty()) return Status::InvalidArguments(std::move(errors));
  return q;
}

ScreeningOutcome ScreeningService::Outcome(storage::ScreeningRecord record) const {
  ScreeningOutcome out;
  const domain::Territory* t = config_.territories().Find(record.territory_code.value_or(""));
  out.territory = t != nullptr ? t : &config_.territories().outside();
  domain::AssessmentInput in;
  in.respondent = record.respondent;
  in.period = record.period;
  in.child_age_weeks = record.child_age_weeks;
  in.score = record.score;
  in.item10_positive = record.item10_positive;
  out.orientation = out.territory->rules.Assess(in);
  out.assessment = in;
  // The band stored is the one given by the thresholds in force then.
  out.orientation.band = record.band;
  out.record = std::move(record);
  return out;
}

AboutCheck ScreeningService::CheckAbout(const ScreeningInput& in) const {
  AboutCheck check;
  std::vector<FieldError> errors = in.unreadable.list();
  auto add = [&](const char* field, std::string message, std::string reason = {}) {
    if (!in.unreadable.Has(field)) {
      errors.push_back(FieldError{field, std::move(message), std::move(reason)});
    }
  };
  if (in.instrument != kParentInstrument) {
    add("instrument", "the only instrument is \"" + std::string(kParentInstrument) + "\"");
  } else {
    check.questionnaire = config_.Questionnaire(in.instrument, in.language);
    if (check.questionnaire == nullptr) {
      add("language", "no questionnaire in language \"" + in.language + "\"");
    }
  }
  const AboutParent& a = in.about;
  if (!a.respondent) add("respondent", "must be mother, father or coparent");
  if (!a.period) add("period", "must be prenatal or postnatal");
  if (a.period == domain::Period::kPostnatal) {
    if (!a.child_age_weeks) {
      add("child_age_weeks", "give the child's age in weeks", "missing");
    } else if (*a.child_age_weeks < 0 || *a.child_age_weeks > kMaxChildAgeWeeks) {
      add("child_age_weeks", "must be from 0 to " + std::to_string(kMaxChildAgeWeeks), "range");
    }
  } else if (a.period == domain::Period::kPrenatal && a.child_age_weeks) {
    add("child_age_weeks", "only after birth", "prenatal");
  }
  if (!in.unreadable.Has("postcode") && !in.unreadable.Has("commune_code")) {
    if (!a.postcode) {
      if (a.commune_code) add("commune_code", "give the postcode too");
      check.place.territory = &config_.territories().outside();
    } else if (!IsPostcode(*a.postcode)) {
      add("postcode", "a postcode is 5 digits, e.g. 59000");
    } else {
      auto communes = communes_.ByPostcode(*a.postcode);
      if (!communes.ok()) {
        check.status = communes.status();
        return check;
      }
      check.communes = std::move(*communes);
      check.commune_choice = check.communes.size() > 1 && !a.commune_code;
      auto place = PlaceOf(config_.territories(), *a.postcode, check.communes, a.commune_code);
      if (place.ok()) {
        check.place = std::move(*place);
      } else {
        Append(errors, place.status(), in.unreadable);
      }
    }
  }
  check.status = InApiOrder(std::move(errors));
  return check;
}

Result<ScreeningOutcome> ScreeningService::Submit(const ScreeningInput& in) {
  AboutCheck about = CheckAbout(in);
  if (!about.status.ok() && about.status.code() != StatusCode::kInvalidArgument) {
    return about.status;
  }
  std::vector<FieldError> errors = about.status.field_errors();
  std::optional<domain::ScoredAnswers> scored;
  if (about.questionnaire != nullptr && !in.unreadable.Has("answers")) {
    auto s = about.questionnaire->Score(in.answers);
    if (s.ok()) {
      scored = *s;
    } else {
      Append(errors, s.status(), in.unreadable);
    }
  }
  if (in.id && !IsScreeningId(*in.id)) errors.push_back(FieldError{"id", "malformed id"});
  if (!errors.empty()) return InApiOrder(std::move(errors));

  const domain::Territory& territory = *about.place.territory;
  domain::AssessmentInput assess;
  assess.respondent = *in.about.respondent;
  assess.period = *in.about.period;
  assess.child_age_weeks = in.about.child_age_weeks;
  assess.score = scored->total;
  assess.item10_positive = scored->item10_positive;
  domain::Orientation orientation = territory.rules.Assess(assess);

  storage::ScreeningRecord r;
  r.id = in.id ? *in.id : NewId(random_);
  r.created_at = clock_.NowMs();
  r.instrument = in.instrument;
  r.language = in.language;
  r.respondent = assess.respondent;
  r.period = assess.period;
  r.child_age_weeks = in.about.child_age_weeks;
  r.postcode = about.place.postcode;
  r.commune_code = about.place.commune_code;
  r.territory_code = territory.code;
  r.source = SourceOf(config_, in.about.source);
  for (const auto& answer : in.answers) r.answers.push_back(*answer);
  r.score = scored->total;
  r.band = orientation.band;
  r.item10_positive = scored->item10_positive;
  r.threshold_set_id = territory.rules.thresholds().id;
  r.threshold_version = territory.rules.thresholds().version;
  r.level = orientation.level;

  Status st = storage_.Transact([&](storage::Transaction& tx) { return tx.InsertScreening(r); });
  if (st.code() == StatusCode::kConflict && in.id) {
    // The same form sent twice (reload, double click): same answers → same result.
    auto existing = Find(*in.id);
    if (!existing.ok()) return existing.status();
    if (existing->record.answers != r.answers || existing->record.respondent != r.respondent) {
      return Status::Conflict("this screening was already submitted with other answers");
    }
    return existing;
  }
  if (!st.ok()) return st;
  ScreeningOutcome out;
  out.record = std::move(r);
  out.assessment = assess;
  out.orientation = orientation;
  out.territory = &territory;
  return out;
}

Result<ScreeningOutcome> ScreeningService::Find(const std::string& id) {
  if (!IsScreeningId(id)) return Status::NotFound("no such screening");
  std::optional<storage::ScreeningRecord> rec;
  Status st = storage_.Read([&](storage::Transaction& tx) {
    auto r = tx.FindScreening(id);
    if (!r.ok()) return r.status();
    rec = std::move(*r);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (!rec) return Status::NotFound("no such screening");
  return Outcome(std::move(*rec));
}

}  // namespace parcours::app
