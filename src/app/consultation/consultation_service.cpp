#include "app/consultation/consultation_service.h"

#include <algorithm>
#include <utility>

#include "app/auth/access_rules.h"
#include "app/auth/audit.h"
#include "app/clock.h"
#include "app/screening/screening_service.h"
#include "domain/directory/commune_code.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

// API order of the fields: the first error of a list is the one a client
// reads in "error".
Status InApiOrder(std::vector<FieldError> errors) {
  return InvalidInOrder(std::move(errors), {"context", "instrument", "language", "respondent",
                                            "period", "child_age_weeks", "postcode", "commune_code",
                                            "answers", "vulnerability"});
}

std::string AuditDetail(const storage::ConsultationRecord& c, bool item10) {
  std::string d = "consultation ";
  d += domain::ToString(c.context);
  if (item10) d += " item10";
  return d;
}

}  // namespace

ConsultationService::ConsultationService(const PathwayConfig& config, storage::Storage& storage,
                                         Clock& clock, Random& random,
                                         const CommuneLookup& communes, DirectorySearch* directory)
    : config_(config),
      storage_(storage),
      clock_(clock),
      random_(random),
      communes_(communes),
      directory_(directory) {}

Result<std::vector<CommuneInfo>> ConsultationService::CommunesOfPostcode(
    std::string_view postcode) const {
  if (!IsPostcode(postcode)) return std::vector<CommuneInfo>{};
  return communes_.ByPostcode(postcode);
}

Result<ConsultationOutcome> ConsultationService::Submit(const domain::Principal& p,
                                                        const ConsultationInput& in) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kConsultationsCreate, &p));
  std::vector<FieldError> errors = in.unreadable.list();
  auto add = [&](const std::string& field, std::string message, std::string reason = {}) {
    if (!in.unreadable.Has(field)) {
      errors.push_back(FieldError{field, std::move(message), std::move(reason)});
    }
  };
  if (!in.context) {
    add("context", "must be epp, epnp, referent_midwife, paediatric, gp or other", "missing");
  }
  const domain::Questionnaire* questionnaire = nullptr;
  if (in.instrument != kParentInstrument) {
    add("instrument", "the only instrument is \"" + std::string(kParentInstrument) + "\"");
  } else {
    questionnaire = config_.Questionnaire(in.instrument, in.language);
    if (questionnaire == nullptr) add("language", "no questionnaire in that language");
  }
  if (!in.respondent) add("respondent", "must be mother, father or coparent", "missing");
  if (!in.period) add("period", "must be prenatal or postnatal", "missing");
  if (in.period == domain::Period::kPostnatal) {
    if (!in.child_age_weeks) {
      add("child_age_weeks", "give the child's age in weeks", "missing");
    } else if (*in.child_age_weeks < 0 || *in.child_age_weeks > kMaxChildAgeWeeks) {
      add("child_age_weeks", "must be from 0 to " + std::to_string(kMaxChildAgeWeeks), "range");
    }
  } else if (in.period == domain::Period::kPrenatal && in.child_age_weeks) {
    add("child_age_weeks", "only after birth", "prenatal");
  }
  const domain::Territory* territory = nullptr;
  std::optional<CommuneInfo> commune;
  // Where the parent lives: the postcode, and the commune when several
  // share it (or its INSEE code alone, for API clients that have it).
  const bool has_code = in.commune_code && !in.commune_code->empty();
  const bool has_postcode = in.postcode && !in.postcode->empty();
  std::string place_field = has_code ? "commune_code" : "postcode";
  if (in.unreadable.Has("commune_code") || in.unreadable.Has("postcode")) {
    // reported as read
  } else if (has_postcode && !IsPostcode(*in.postcode)) {
    add("postcode", "a postcode has 5 digits, e.g. 59000", "format");
  } else if (has_code) {
    if (!domain::IsWellFormedCommuneCode(*in.commune_code)) {
      add("commune_code", "an INSEE commune code has 5 characters, e.g. 59350", "unknown");
    } else {
      auto found = communes_.ByCode(*in.commune_code);
      if (!found.ok()) return found.status();
      if (!*found) {
        add("commune_code", "unknown commune code", "unknown");
      } else if (has_postcode) {
        auto of_postcode = communes_.ByPostcode(*in.postcode);
        if (!of_postcode.ok()) return of_postcode.status();
        const bool listed =
            std::any_of(of_postcode->begin(), of_postcode->end(),
                        [&](const CommuneInfo& c) { return c.insee_code == (*found)->insee_code; });
        if (listed) {
          commune = **found;
        } else {
          add("commune_code", "not a commune of that postcode", "unknown");
        }
      } else {
        commune = **found;
      }
    }
  } else if (has_postcode) {
    auto of_postcode = communes_.ByPostcode(*in.postcode);
    if (!of_postcode.ok()) return of_postcode.status();
    if (of_postcode->empty()) {
      add("postcode", "no commune is known for this postcode", "unknown");
    } else if (of_postcode->size() == 1) {
      commune = of_postcode->front();
    } else {
      add("commune_code", "several communes share this postcode: choose one", "choose");
    }
  } else {
    add("postcode", "give the postcode of the parent's commune", "missing");
  }
  if (commune) {
    territory = &config_.territories().ForDepartment(commune->department_code);
    if (territory->outside() || !domain::InScope(p, territory->code)) {
      add(place_field, "this commune is outside your territories", "scope");
      territory = nullptr;
    }
  }
  std::optional<domain::ScoredAnswers> scored;
  if (questionnaire != nullptr && !in.unreadable.Has("answers")) {
    auto s = questionnaire->Score(in.answers);
    if (s.ok()) {
      scored = *s;
    } else {
      for (auto& e : s.status().field_errors()) {
        if (!in.unreadable.Has(e.field)) errors.push_back(std::move(e));
      }
    }
  }
  auto factors = config_.vulnerability().Check(in.vulnerability);
  if (!factors.ok()) {
    for (auto& e : factors.status().field_errors()) add(e.field, e.message, e.reason);
  }
  if (!errors.empty()) return InApiOrder(std::move(errors));

  domain::AssessmentInput assess;
  assess.respondent = *in.respondent;
  assess.period = *in.period;
  assess.child_age_weeks = in.child_age_weeks;
  assess.score = scored->total;
  assess.item10_positive = scored->item10_positive;
  assess.vulnerability = !factors->empty();
  const domain::Orientation orientation = territory->rules.Assess(assess);

  const domain::TimestampMs now = clock_.NowMs();
  storage::ScreeningRecord s;
  s.id = NewId(clock_, random_);
  bool one_time = false;
  if (in.submission_id) {
    const auto made = IdTime(*in.submission_id);
    if (made && IsScreeningId(*in.submission_id) && *made <= now + 60'000 &&
        *made >= now - kSubmissionLifetimeMs) {
      s.id = *in.submission_id;
      one_time = true;
    }
  }
  s.created_at = now;
  s.instrument = in.instrument;
  s.language = in.language;
  s.respondent = assess.respondent;
  s.period = assess.period;
  s.child_age_weeks = in.child_age_weeks;
  s.commune_code = commune->insee_code;
  s.territory_code = territory->code;
  s.source = std::string(kConsultationSource);
  for (const auto& a : in.answers) s.answers.push_back(*a);
  s.score = scored->total;
  s.band = orientation.band;
  s.item10_positive = scored->item10_positive;
  s.threshold_set_id = territory->rules.thresholds().id;
  s.threshold_version = territory->rules.thresholds().version;
  s.level = orientation.level;

  storage::ConsultationRecord c;
  c.screening_id = s.id;
  c.created_at = now;
  c.context = *in.context;
  c.professional_id = p.user_id;
  c.territory_code = territory->code;
  c.vulnerability = std::move(*factors);

  // The form sent before: its first outcome (nothing written), or, when
  // another account sent it, a conflict.
  std::optional<std::pair<storage::ScreeningRecord, storage::ConsultationRecord>> first;
  auto earlier = [&](storage::Transaction& tx) -> Status {
    first.reset();
    auto cr = tx.consultations().FindConsultation(s.id);
    if (!cr.ok()) return cr.status();
    if (!*cr) return Status::Ok();
    if ((*cr)->professional_id != p.user_id) {
      return Status(StatusCode::kConflict, "this form was already sent", "submission_id");
    }
    auto sr = tx.FindScreening(s.id);
    if (!sr.ok()) return sr.status();
    if (!*sr) return Status::Internal("consultation without its screening");
    first.emplace(std::move(**sr), std::move(**cr));
    return Status::Ok();
  };
  Status st = storage_.Transact([&](storage::Transaction& tx) {
    if (one_time) {
      PARCOURS_RETURN_IF_ERROR(earlier(tx));
      if (first) return Status::Ok();
    }
    PARCOURS_RETURN_IF_ERROR(tx.InsertScreening(s));
    PARCOURS_RETURN_IF_ERROR(tx.consultations().InsertConsultation(c));
    return WriteAudit(tx, now,
                      {p.user_id, "create", "screening", s.id, territory->code,
                       AuditDetail(c, s.item10_positive)});
  });
  if (st.code() == StatusCode::kConflict && one_time && st.field() != "submission_id") {
    // The same form sent twice at once: the other request inserted it.
    st = storage_.Read(earlier);
    if (st.ok() && !first)
      st = Status(StatusCode::kConflict, "this form was already sent", "submission_id");
  }
  if (!st.ok()) return st;
  if (first) {
    ConsultationOutcome out = Outcome(std::move(first->first), std::move(first->second));
    out.repeated = true;
    return out;
  }
  return Outcome(std::move(s), std::move(c));
}

Result<ConsultationOutcome> ConsultationService::Find(const domain::Principal& p,
                                                      std::string_view screening_id) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kConsultationsRead, &p));
  if (!IsScreeningId(screening_id)) return Status::NotFound("no such consultation");
  std::optional<storage::ScreeningRecord> s;
  std::optional<storage::ConsultationRecord> c;
  // The read and its audit row in one transaction: no read without its trace.
  Status st = storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto cr = tx.consultations().FindConsultation(screening_id);
    if (!cr.ok()) return cr.status();
    if (!*cr || !domain::InScope(p, (*cr)->territory_code)) {
      return Status::NotFound("no such consultation");
    }
    auto sr = tx.FindScreening(screening_id);
    if (!sr.ok()) return sr.status();
    if (!*sr) return Status::Internal("consultation without its screening");
    c = std::move(**cr);
    s = std::move(**sr);
    return WriteAudit(tx, clock_.NowMs(),
                      {p.user_id, "read", "screening", s->id, c->territory_code,
                       AuditDetail(*c, s->item10_positive)});
  });
  if (!st.ok()) return st;
  return Outcome(std::move(*s), std::move(*c));
}

ConsultationOutcome ConsultationService::Outcome(storage::ScreeningRecord s,
                                                 storage::ConsultationRecord c) const {
  ConsultationOutcome out;
  const domain::Territory* t = config_.territories().Find(c.territory_code);
  out.territory = t != nullptr ? t : &config_.territories().outside();
  domain::AssessmentInput in;
  in.respondent = s.respondent;
  in.period = s.period;
  in.child_age_weeks = s.child_age_weeks;
  in.score = s.score;
  in.item10_positive = s.item10_positive;
  in.vulnerability = !c.vulnerability.empty();
  out.orientation = out.territory->rules.Assess(in);
  // The band stored is the one given by the thresholds in force then.
  out.orientation.band = s.band;
  if (directory_ != nullptr && s.commune_code) {
    DirectoryQuery q;
    q.commune_code = *s.commune_code;
    q.include_unpublished = true;
    q.limit = kConsultationResources;
    q.level = out.orientation.follow_up_level;
    q.fathers = s.respondent != domain::Respondent::kMother;
    auto found = directory_->Search(q);
    if (q.fathers && (!found.ok() || found->items.empty())) {
      q.fathers = false;
      found = directory_->Search(q);
    }
    if (found.ok()) out.resources = std::move(found->items);
    if (out.orientation.crisis) {
      q.level = domain::CareLevel::kEmergency;
      q.fathers = false;
      q.limit = 2;
      auto urgent = directory_->Search(q);
      if (urgent.ok()) out.emergency = std::move(urgent->items);
    }
  }
  out.screening = std::move(s);
  out.consultation = std::move(c);
  return out;
}

}  // namespace parcours::app
