#include "app/screening/screening_service.h"

#include "app/clock.h"
#include "storage/storage.h"

namespace parcours::app {

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

ScreeningOutcome ScreeningService::Outcome(storage::ScreeningRecord record) const {
  ScreeningOutcome out;
  const domain::Territory* t = config_.territories().Find(record.territory_code.value_or(""));
  out.territory = t != nullptr ? t : &config_.territories().outside();
  domain::AssessmentInput in;
  in.respondent = domain::ParseRespondent(record.respondent).value_or(domain::Respondent::kMother);
  in.period = domain::ParsePeriod(record.period).value_or(domain::Period::kPostnatal);
  in.child_age_weeks = record.child_age_weeks;
  in.score = record.score;
  in.item10_positive = record.item10_positive;
  out.orientation = out.territory->rules.Assess(in);
  out.assessment = in;
  // The band stored is the one given by the thresholds in force then.
  if (auto b = domain::ParseBand(record.band)) out.orientation.band = *b;
  out.record = std::move(record);
  return out;
}

Result<ScreeningOutcome> ScreeningService::Submit(const ScreeningInput& in) {
  if (in.instrument != "epds") {
    return Status::InvalidArgument("instrument", "the only instrument is \"epds\"");
  }
  const domain::Questionnaire* q = config_.Questionnaire(in.instrument, in.language);
  if (q == nullptr) {
    return Status::InvalidArgument("language",
                                   "no questionnaire in language \"" + in.language + "\"");
  }
  auto respondent = domain::ParseRespondent(in.respondent);
  if (!respondent) {
    return Status::InvalidArgument("respondent", "must be mother, father or coparent");
  }
  auto period = domain::ParsePeriod(in.period);
  if (!period) return Status::InvalidArgument("period", "must be prenatal or postnatal");
  if (*period == domain::Period::kPostnatal) {
    if (!in.child_age_weeks) {
      return Status::InvalidArgument("child_age_weeks", "give the child's age in weeks");
    }
    if (*in.child_age_weeks < 0 || *in.child_age_weeks > kMaxChildAgeWeeks) {
      return Status::InvalidArgument("child_age_weeks",
                                     "must be from 0 to " + std::to_string(kMaxChildAgeWeeks));
    }
  } else if (in.child_age_weeks) {
    return Status::InvalidArgument("child_age_weeks", "only after birth");
  }
  auto place = ResolvePlace(communes_, config_.territories(), in.postcode, in.commune_code);
  if (!place.ok()) return place.status();
  auto scored = q->Score(in.answers);
  if (!scored.ok()) return scored.status();
  if (in.id && !IsScreeningId(*in.id)) return Status::InvalidArgument("id", "malformed id");

  const domain::Territory& territory = *place->territory;
  domain::AssessmentInput assess;
  assess.respondent = *respondent;
  assess.period = *period;
  assess.child_age_weeks = in.child_age_weeks;
  assess.score = scored->total;
  assess.item10_positive = scored->item10_positive;
  domain::Orientation orientation = territory.rules.Assess(assess);

  storage::ScreeningRecord r;
  r.id = in.id ? *in.id : NewId(clock_, random_);
  r.created_at = clock_.NowMs();
  r.instrument = in.instrument;
  r.language = in.language;
  r.respondent = std::string(domain::ToString(*respondent));
  r.period = std::string(domain::ToString(*period));
  r.child_age_weeks = in.child_age_weeks;
  r.postcode = place->postcode;
  r.commune_code = place->commune_code;
  r.territory_code = territory.code;
  r.source = SourceOf(config_, in.source);
  r.answers = in.answers;
  r.score = scored->total;
  r.band = std::string(domain::ToString(orientation.band));
  r.item10_positive = scored->item10_positive;
  r.threshold_set_id = territory.rules.thresholds().id;
  r.threshold_version = territory.rules.thresholds().version;
  r.level = std::string(domain::ToString(orientation.level));

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
