// JSON API of the parent journey (the same use cases as the pages):
//   GET  /api/v1/questionnaires/{instrument}?language=fr&respondent=father
//   POST /api/v1/screenings
//   POST /api/v1/recontact-requests
//   GET  /api/v1/recontact-requests/{reference}
#include <boost/json.hpp>
#include <cstdio>

#include "app/pathway_config.h"
#include "app/screening/recontact_service.h"
#include "app/screening/screening_service.h"
#include "domain/pathway/opening_hours.h"
#include "http/form.h"
#include "http/handlers/context.h"
#include "http/json_body.h"

namespace parcours::http {
namespace {

namespace json = boost::json;

// Reads an optional string field; a present non-string is an error.
Result<std::optional<std::string>> OptString(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return Status::InvalidArgument(key, "must be a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::string> String(const json::object& o, const char* key, bool required = true) {
  auto v = OptString(o, key);
  if (!v.ok()) return v.status();
  if (!*v) {
    if (required) return Status::InvalidArgument(key, "is required");
    return std::string();
  }
  return std::move(**v);
}

Result<std::optional<int>> OptInt(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<int>();
  if (!v->is_int64() || v->as_int64() < -1000000 || v->as_int64() > 1000000) {
    return Status::InvalidArgument(key, "must be an integer");
  }
  return std::optional<int>(static_cast<int>(v->as_int64()));
}

// Reads the body into a ScreeningInput, checking JSON types in API order;
// values are checked by the use case.
Result<app::ScreeningInput> ReadScreening(const json::object& o) {
  app::ScreeningInput in;
  auto instrument = String(o, "instrument");
  if (!instrument.ok()) return instrument.status();
  in.instrument = *instrument;
  auto language = String(o, "language");
  if (!language.ok()) return language.status();
  in.language = *language;
  auto respondent = String(o, "respondent");
  if (!respondent.ok()) return respondent.status();
  in.respondent = *respondent;
  auto period = String(o, "period");
  if (!period.ok()) return period.status();
  in.period = *period;
  auto age = OptInt(o, "child_age_weeks");
  if (!age.ok()) return age.status();
  in.child_age_weeks = *age;
  auto postcode = OptString(o, "postcode");
  if (!postcode.ok()) return postcode.status();
  in.postcode = *postcode;
  auto commune = OptString(o, "commune_code");
  if (!commune.ok()) return commune.status();
  in.commune_code = *commune;
  auto source = OptString(o, "source");
  if (!source.ok()) return source.status();
  in.source = source->value_or("");
  const json::value* answers = o.if_contains("answers");
  if (answers == nullptr || !answers->is_array()) {
    return Status::InvalidArgument("answers", "must be an array of option indices");
  }
  for (std::size_t i = 0; i < answers->as_array().size(); ++i) {
    const json::value& a = answers->as_array()[i];
    if (!a.is_int64() || a.as_int64() < -1000 || a.as_int64() > 1000) {
      return Status::InvalidArgument("answers[" + std::to_string(i) + "]",
                                     "must be an integer option index");
    }
    in.answers.push_back(static_cast<int>(a.as_int64()));
  }
  for (const auto& [k, v] : o) {
    static constexpr std::string_view kKnown[] = {"instrument",   "language",        "respondent",
                                                  "period",       "child_age_weeks", "postcode",
                                                  "commune_code", "source",          "answers"};
    if (std::find(std::begin(kKnown), std::end(kKnown), k) == std::end(kKnown)) {
      return Status::InvalidArgument(std::string(k), "unknown field");
    }
  }
  return in;
}

json::object ScreeningJson(const app::ScreeningOutcome& out) {
  json::object o;
  o["id"] = out.record.id;
  o["score"] = out.record.score;
  o["band"] = out.record.band;
  o["crisis"] = out.orientation.crisis;
  o["level"] = std::string(domain::ToString(out.orientation.level));
  o["follow_up_level"] = std::string(domain::ToString(out.orientation.follow_up_level));
  o["respondent"] = out.record.respondent;
  o["territory"] = out.record.territory_code.value_or("");
  o["recontact_offered"] = app::RecontactService::Offered(*out.territory);
  json::object ts;
  ts["id"] = out.record.threshold_set_id;
  ts["version"] = out.record.threshold_version;
  o["threshold_set"] = std::move(ts);
  if (out.orientation.rescreen_days) o["rescreen_days"] = *out.orientation.rescreen_days;
  if (out.orientation.within_days) o["within_days"] = *out.orientation.within_days;
  if (out.orientation.within_hours) o["within_hours"] = *out.orientation.within_hours;
  o["baby_blues_note"] = out.orientation.baby_blues_note;
  return o;
}

// What a parent's receipt and status say: no urgency (it would reveal an
// item-10 answer), no sub-territory, no time finer than the day (keys
// absent, not null).
json::object ReceiptJson(const app::RecontactReceipt& r) {
  json::object o;
  o["reference"] = r.alert.reference;
  o["status"] = r.alert.status;
  o["territory"] = r.alert.territory_code;
  const domain::LocalTime t = domain::ToLocal(r.territory->time_zone, r.alert.created_at);
  char day[16];
  std::snprintf(day, sizeof day, "%04d-%02d-%02d", t.year, t.month, t.day);
  o["created_on"] = day;
  o["already_requested"] = r.already_requested;
  return o;
}

Result<app::RecontactInput> ReadRecontact(const json::object& o) {
  app::RecontactInput in;
  for (auto [key, field] : {std::pair{"screening_id", &in.screening_id},
                            {"name", &in.name},
                            {"phone", &in.phone},
                            {"email", &in.email},
                            {"caller_intro", &in.caller_intro},
                            {"language", &in.language}}) {
    auto v = String(o, key, /*required=*/false);
    if (!v.ok()) return v.status();
    *field = std::move(*v);
  }
  if (const json::value* s = o.if_contains("slots"); s != nullptr && !s->is_null()) {
    if (!s->is_array()) return Status::InvalidArgument("slots", "must be an array of strings");
    for (const auto& x : s->as_array()) {
      if (!x.is_string()) return Status::InvalidArgument("slots", "must be an array of strings");
      in.slots.emplace_back(x.as_string());
    }
  }
  if (const json::value* m = o.if_contains("may_leave_message"); m != nullptr && !m->is_null()) {
    if (!m->is_bool()) return Status::InvalidArgument("may_leave_message", "must be a boolean");
    in.may_leave_message = m->as_bool();
  }
  if (const json::value* c = o.if_contains("consent"); c != nullptr && !c->is_null()) {
    if (!c->is_bool()) return Status::InvalidArgument("consent", "must be a boolean");
    in.consent = c->as_bool();
  }
  return in;
}

}  // namespace

void RegisterScreeningApiRoutes(Router& r, WebContext& ctx) {
  r.Add("GET", "/api/v1/questionnaires/{instrument}", [&ctx](Request& req) {
    auto q = ParseForm(req.query);
    if (!q.ok()) return JsonError(q.status());
    const std::string language = q->Get("language").value_or("fr");
    const std::string respondent_s = q->Get("respondent").value_or("mother");
    const std::string& instrument = req.path_params["instrument"];
    const domain::Questionnaire* qn = ctx.pathway->Questionnaire(instrument, language);
    if (ctx.pathway->Questionnaire(instrument, "fr") == nullptr) {
      return JsonError(Status::NotFound("no questionnaire " + instrument));
    }
    if (qn == nullptr) {
      return JsonError(Status::InvalidArgument("language", "no questionnaire in that language"));
    }
    auto respondent = domain::ParseRespondent(respondent_s);
    if (!respondent) {
      return JsonError(Status::InvalidArgument("respondent", "must be mother, father or coparent"));
    }
    json::object o;
    o["instrument"] = qn->instrument();
    o["language"] = qn->language();
    o["respondent"] = respondent_s;
    o["title"] = qn->title();
    o["citation"] = qn->citation();
    o["copyright"] = qn->copyright();
    o["loinc"] = qn->loinc();
    json::object instr;
    instr["prenatal"] = qn->Instructions(*respondent, domain::Period::kPrenatal);
    instr["postnatal"] = qn->Instructions(*respondent, domain::Period::kPostnatal);
    o["instructions"] = std::move(instr);
    json::array items;
    for (const auto& it : qn->Items(*respondent)) {
      json::object jo;
      jo["number"] = it.number;
      jo["text"] = it.text;
      json::array opts;
      for (std::size_t k = 0; k < it.options.size(); ++k) {
        json::object op;
        op["index"] = k;
        op["text"] = it.options[k];
        opts.push_back(std::move(op));
      }
      jo["options"] = std::move(opts);
      items.push_back(std::move(jo));
    }
    o["items"] = std::move(items);
    return JsonResponse(200, o);
  });

  r.Add("POST", "/api/v1/screenings", [&ctx](Request& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return JsonError(body.status());
    auto in = ReadScreening(*body);
    if (!in.ok()) return JsonError(in.status());
    auto out = ctx.screenings->Submit(*in);
    if (!out.ok()) return JsonError(out.status());
    return JsonResponse(201, ScreeningJson(*out));
  });

  r.Add("POST", "/api/v1/recontact-requests", [&ctx](Request& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return JsonError(body.status());
    auto in = ReadRecontact(*body);
    if (!in.ok()) return JsonError(in.status());
    auto out = ctx.recontacts->Request(*in);
    if (!out.ok()) return JsonError(out.status());
    return JsonResponse(out->already_requested ? 200 : 201, ReceiptJson(*out));
  });

  r.Add("GET", "/api/v1/recontact-requests/{reference}", [&ctx](Request& req) {
    auto out = ctx.recontacts->FindByReference(req.path_params["reference"]);
    if (!out.ok()) return JsonError(out.status());
    return JsonResponse(200, ReceiptJson(*out));
  });
}

}  // namespace parcours::http
