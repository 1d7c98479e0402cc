// JSON API of the parent journey (the same use cases as the pages):
//   GET  /api/v1/questionnaires/{instrument}?language=fr&respondent=father
//   POST /api/v1/screenings
//   POST /api/v1/recontact-requests
//   GET  /api/v1/recontact-requests/{reference}
#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <initializer_list>
#include <optional>

#include "app/pathway_config.h"
#include "app/screening/recontact_service.h"
#include "app/screening/screening_service.h"
#include "domain/pathway/opening_hours.h"
#include "http/form.h"
#include "http/handlers/context.h"
#include "http/json_body.h"
#include "http/views/crisis_help_view.h"
#include "http/views/screening_views.h"

namespace parcours::http {
namespace {

namespace json = boost::json;

// Reads fields of a JSON object into values of their type. A field of the
// wrong JSON type is recorded in `errors` and read as absent; whether a
// value is acceptable is the use case's to say.
class JsonFields {
 public:
  JsonFields(const json::object& o, FieldErrors& errors) : o_(o), errors_(errors) {}

  std::optional<std::string> String(const char* key) {
    const json::value* v = Present(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) return Fail(key, "must be a string");
    return std::string(v->as_string());
  }
  std::optional<int> Int(const char* key) {
    const json::value* v = Present(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_int64() || v->as_int64() < -1000000 || v->as_int64() > 1000000) {
      return Fail(key, "must be an integer");
    }
    return static_cast<int>(v->as_int64());
  }
  std::optional<bool> Bool(const char* key) {
    const json::value* v = Present(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_bool()) return Fail(key, "must be a boolean");
    return v->as_bool();
  }
  // An array; nullptr (and an error) when present but not one.
  const json::array* Array(const char* key, const char* what) {
    const json::value* v = Present(key);
    if (v == nullptr) return nullptr;
    if (!v->is_array()) {
      errors_.Add(key, what);
      return nullptr;
    }
    return &v->as_array();
  }
  void RejectUnknown(std::initializer_list<std::string_view> known) {
    for (const auto& [k, v] : o_) {
      if (std::find(known.begin(), known.end(), k) == known.end()) {
        errors_.Add(std::string(k), "unknown field");
      }
    }
  }

 private:
  const json::value* Present(const char* key) const {
    const json::value* v = o_.if_contains(key);
    return v == nullptr || v->is_null() ? nullptr : v;
  }
  std::nullopt_t Fail(const std::string& key, const char* message) {
    errors_.Add(key, message);
    return std::nullopt;
  }

  const json::object& o_;
  FieldErrors& errors_;
};

app::ScreeningInput ReadScreening(const json::object& o) {
  app::ScreeningInput in;
  JsonFields f(o, in.unreadable);
  in.instrument = f.String("instrument").value_or("");
  in.language = f.String("language").value_or("");
  const auto respondent = f.String("respondent");
  if (respondent) in.about.respondent = domain::ParseRespondent(*respondent);
  const auto period = f.String("period");
  if (period) in.about.period = domain::ParsePeriod(*period);
  in.about.child_age_weeks = f.Int("child_age_weeks");
  in.about.postcode = f.String("postcode");
  in.about.commune_code = f.String("commune_code");
  in.about.source = f.String("source").value_or("");
  const json::array* answers = f.Array("answers", "must be an array of option indices");
  if (answers == nullptr && !in.unreadable.Has("answers")) {
    in.unreadable.Add("answers", "must be an array of option indices");
  }
  for (std::size_t i = 0; answers != nullptr && i < answers->size(); ++i) {
    const json::value& a = (*answers)[i];
    if (a.is_int64() && a.as_int64() >= -1000 && a.as_int64() <= 1000) {
      in.answers.emplace_back(static_cast<int>(a.as_int64()));
    } else {
      in.answers.emplace_back(std::nullopt);
      in.unreadable.Add("answers[" + std::to_string(i) + "]", "must be an integer option index");
    }
  }
  f.RejectUnknown({"instrument", "language", "respondent", "period", "child_age_weeks", "postcode",
                   "commune_code", "source", "answers"});
  return in;
}

json::object ScreeningJson(const app::ScreeningOutcome& out) {
  json::object o;
  o["id"] = out.record.id;
  o["score"] = out.record.score;
  o["band"] = std::string(domain::ToString(out.record.band));
  o["crisis"] = out.orientation.crisis;
  o["level"] = std::string(domain::ToString(out.orientation.level));
  o["follow_up_level"] = std::string(domain::ToString(out.orientation.follow_up_level));
  o["respondent"] = std::string(domain::ToString(out.record.respondent));
  o["territory"] = out.record.territory_code.value_or("");
  o["recontact_offered"] = app::RecontactService::Offered(out);
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
  // The stage only (never the urgency or an outcome), and at every stage
  // where help is now and how to ask again (issue 11).
  o["stage"] = RequestStage(r.alert.status);
  o["help"] = json::object{{"numbers", json::array{"3114", "15", "112", "114"}},
                           {"ask_again", "/depistage"}};
  return o;
}

json::object QuestionnaireJson(const domain::Questionnaire& qn, domain::Respondent respondent) {
  json::object o;
  o["instrument"] = qn.instrument();
  o["language"] = qn.language();
  o["respondent"] = std::string(domain::ToString(respondent));
  o["title"] = qn.title();
  o["citation"] = qn.citation();
  o["copyright"] = qn.copyright();
  o["loinc"] = qn.loinc();
  json::object instr;
  instr["prenatal"] = qn.Instructions(respondent, domain::Period::kPrenatal);
  instr["postnatal"] = qn.Instructions(respondent, domain::Period::kPostnatal);
  o["instructions"] = std::move(instr);
  json::array items;
  for (const auto& it : qn.Items(respondent)) {
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
  return o;
}

app::RecontactInput ReadRecontact(const json::object& o) {
  app::RecontactInput in;
  JsonFields f(o, in.unreadable);
  in.screening_id = f.String("screening_id").value_or("");
  in.name = f.String("name").value_or("");
  in.phone = f.String("phone").value_or("");
  in.email = f.String("email").value_or("");
  const auto intro = f.String("caller_intro");
  if (intro) in.caller_intro = app::ParseCallerIntro(*intro);
  in.language = f.String("language").value_or("");
  if (const json::array* slots = f.Array("slots", "must be an array of strings")) {
    for (const auto& x : *slots) {
      auto slot = x.is_string() ? app::ParseTimeSlot(x.as_string()) : std::nullopt;
      if (slot) {
        in.slots.push_back(*slot);
      } else if (!in.unreadable.Has("slots")) {
        in.unreadable.Add("slots", "each slot is morning, midday, afternoon or evening");
      }
    }
  }
  in.may_leave_message = f.Bool("may_leave_message");
  in.consent = f.Bool("consent").value_or(false);
  return in;
}

}  // namespace

void RegisterScreeningApiRoutes(Router& r, WebContext& ctx) {
  r.Add("GET", "/api/v1/questionnaires/{instrument}", [&ctx](Request& req) {
    auto q = ParseForm(req.query);
    if (!q.ok()) return JsonError(q.status());
    const auto respondent_s = q->Get("respondent");
    const auto respondent =
        respondent_s ? domain::ParseRespondent(*respondent_s) : domain::Respondent::kMother;
    auto qn = ctx.screenings->Questionnaire(req.path_params["instrument"],
                                            q->Get("language").value_or("fr"), respondent);
    if (!qn.ok()) return JsonError(qn.status());
    return JsonResponse(200, QuestionnaireJson(**qn, *respondent));
  });

  r.Add("POST", "/api/v1/screenings", [&ctx](Request& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return JsonError(body.status());
    auto out = ctx.screenings->Submit(ReadScreening(*body));
    if (!out.ok()) return JsonError(out.status());
    json::object o = ScreeningJson(*out);
    AddCrisisHelp(*ctx.catalogs, ctx.directory.get(), *out, o);  // first thing a partner shows
    return JsonResponse(201, o);
  });

  r.Add("POST", "/api/v1/recontact-requests", [&ctx](Request& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return JsonError(body.status());
    auto out = ctx.recontacts->Request(ReadRecontact(*body));
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
