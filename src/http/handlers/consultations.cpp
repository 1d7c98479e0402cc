// Consultation screening (professional side, issue 13), pages and JSON twin:
//   GET  /pro/consultations                 the form (context, respondent, period,
//                                           child age, commune, the 10 EPDS questions,
//                                           vulnerability factors)
//   POST /pro/consultations                 → 303 /pro/consultations/{id}, or the form
//                                           again (400) with every field at fault
//   GET  /pro/consultations/{screening_id}  the result (crisis protocol first on item 10)
//   POST /api/v1/consultations              → 201 {"id","score","band","crisis","level",
//                                           "follow_up_level","resources",…}
//   GET  /api/v1/consultations/{screening_id}
// Role professional (app/auth/access_rules.h); session + CSRF by the guard.
#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>

#include "app/auth/access_rules.h"
#include "app/consultation/consultation_service.h"
#include "app/pathway_config.h"
#include "http/consultation_body.h"
#include "http/form.h"
#include "http/handlers/context.h"
#include "http/json_body.h"
#include "http/views/resource_view.h"

namespace parcours::http {
namespace {

namespace json = boost::json;
using app::access::kConsultationsCreate;
using app::access::kConsultationsRead;

constexpr const char* kLang = "fr";  // the professional pages are French

// The questionnaire items shown on the form are worded for every parent
// (the inclusive variant), since the respondent is chosen on the same page.
constexpr domain::Respondent kFormWording = domain::Respondent::kCoparent;

std::optional<int> ParseInt(const std::string& s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// --- JSON ------------------------------------------------------------------

json::object ResourceJson(const app::DirectoryItem& it) {
  const auto& x = it.record.resource;
  json::array levels;
  for (auto l : x.levels.ToVector()) levels.emplace_back(domain::ToString(l));
  json::object o;
  o["id"] = it.record.id;
  o["name"] = x.name;
  o["kind"] = domain::ToString(x.kind);
  o["levels"] = std::move(levels);
  o["organisation"] = x.organisation;
  o["address"] = x.address;
  o["commune"] = it.commune_name;
  o["commune_code"] = x.commune_code;
  o["distance_km"] =
      it.distance_km ? json::value(std::round(*it.distance_km * 100) / 100) : json::value(nullptr);
  o["phone"] = x.phone;
  o["email"] = x.email;
  o["website"] = x.website;
  o["published"] = it.record.published;
  return o;
}

json::object OutcomeJson(const app::ConsultationOutcome& out) {
  const domain::Orientation& o = out.orientation;
  json::object j;
  j["id"] = out.screening.id;
  j["score"] = out.screening.score;
  j["band"] = std::string(domain::ToString(out.screening.band));
  j["crisis"] = o.crisis;
  j["level"] = std::string(domain::ToString(o.level));
  j["follow_up_level"] = std::string(domain::ToString(o.follow_up_level));
  json::array resources;
  for (const auto& it : out.resources) resources.push_back(ResourceJson(it));
  j["resources"] = std::move(resources);
  j["context"] = std::string(domain::ToString(out.consultation.context));
  j["respondent"] = std::string(domain::ToString(out.screening.respondent));
  j["territory"] = out.consultation.territory_code;
  json::array factors;
  for (const auto& f : out.consultation.vulnerability) factors.emplace_back(f);
  j["vulnerability"] = std::move(factors);
  if (o.within_hours) j["within_hours"] = *o.within_hours;
  if (o.within_days) j["within_days"] = *o.within_days;
  if (o.rescreen_days) j["rescreen_days"] = *o.rescreen_days;
  json::object ts;
  ts["id"] = out.screening.threshold_set_id;
  ts["version"] = out.screening.threshold_version;
  j["threshold_set"] = std::move(ts);
  if (o.crisis) {
    json::array emergency;
    for (const auto& it : out.emergency) emergency.push_back(ResourceJson(it));
    j["emergency_services"] = std::move(emergency);
  }
  return j;
}

// --- pages -----------------------------------------------------------------

std::string T(const WebContext& ctx, const std::string& key) {
  return ctx.catalogs->Get(kLang, key);
}

// Anchor (element id) of a field on the form.
std::string Anchor(const std::string& field) {
  if (field == "context") return "contexte";
  if (field == "respondent") return "repondant";
  if (field == "period") return "periode";
  if (field == "child_age_weeks") return "age-enfant";
  if (field == "postcode") return "code-postal";
  if (field == "commune_code") return "commune";
  if (field.starts_with("answers[")) {
    auto n = ParseInt(field.substr(8, field.size() - 9));
    return n ? "q" + std::to_string(*n + 1) : "questions";
  }
  if (field.starts_with("answers")) return "questions";
  if (field.starts_with("vulnerability")) return "vulnerabilite";
  return "erreurs";
}

// The catalog text of one field error (French, the professional pages' language).
std::string ErrorText(const WebContext& ctx, const FieldError& e) {
  if (e.field == "child_age_weeks" || e.field == "commune_code" || e.field == "postcode") {
    const std::string reason = e.reason.empty() ? "range" : e.reason;
    return T(ctx, "pro_cons_err_" + e.field + "_" + reason);
  }
  if (e.field == "context" || e.field == "respondent" || e.field == "period") {
    return T(ctx, "pro_cons_err_" + e.field);
  }
  if (e.field.starts_with("answers")) return T(ctx, "pro_cons_err_answer");
  if (e.field.starts_with("vulnerability")) return T(ctx, "pro_cons_err_vulnerability");
  return e.message;
}

json::array Choices(const WebContext& ctx, const std::string& prefix, const std::string& id_prefix,
                    const std::vector<std::string>& values, const std::string& chosen) {
  json::array out;
  for (const auto& v : values) {
    std::string id = id_prefix;
    id += '-';
    id += v;
    out.push_back(
        {{"value", v}, {"label", T(ctx, prefix + v)}, {"id", id}, {"checked", v == chosen}});
  }
  return out;
}

// What the form shows: the posted values (if any) and the errors.
Response FormPage(WebContext& ctx, const Request& req, const FormData& f,
                  const std::vector<FieldError>& errors, int status) {
  json::object v;
  std::vector<std::string> contexts;
  for (auto c : domain::AllConsultationContexts()) contexts.emplace_back(domain::ToString(c));
  v["contexts"] = Choices(ctx, "pro_cons_context_", "contexte", contexts, f.Value("context"));
  v["respondents"] = Choices(ctx, "pro_cons_respondent_", "repondant",
                             {"mother", "father", "coparent"}, f.Value("respondent"));
  v["periods"] =
      Choices(ctx, "pro_cons_period_", "periode", {"prenatal", "postnatal"}, f.Value("period"));
  v["child_age_weeks"] = f.Value("child_age_weeks");
  v["postcode"] = f.Value("postcode");
  // The form's one-time id: kept when the form comes back with errors
  // (nothing was written), new for a new form.
  v["submission_id"] = f.Value("submission_id").empty() ? ctx.consultations->NewSubmissionId()
                                                        : f.Value("submission_id");
  auto field_error = [&](std::string_view field) -> std::string {
    for (const auto& e : errors) {
      if (e.field == field) return ErrorText(ctx, e);
    }
    return {};
  };
  for (const char* field :
       {"context", "respondent", "period", "child_age_weeks", "postcode", "commune_code"}) {
    v[std::string(field) + "_error"] = field_error(field);
  }
  // Several communes share the postcode: the parent's is chosen from them.
  json::array communes;
  if (!errors.empty()) {
    auto list = ctx.consultations->CommunesOfPostcode(f.Value("postcode"));
    if (list.ok() && list->size() > 1) {
      for (const auto& c : *list) {
        communes.push_back({{"code", c.insee_code},
                            {"name", c.name},
                            {"selected", c.insee_code == f.Value("commune_code")}});
      }
    }
  }
  v["has_communes"] = !communes.empty();
  v["communes"] = std::move(communes);
  const domain::Questionnaire* q = ctx.consultations->config().Questionnaire("epds", kLang);
  json::array items;
  if (q != nullptr) {
    const auto qitems = q->Items(kFormWording);
    for (std::size_t i = 0; i < qitems.size(); ++i) {
      const auto& it = qitems[i];
      const std::string name = "q" + std::to_string(it.number);
      const std::string chosen = f.Value(name);
      json::array options;
      for (std::size_t k = 0; k < it.options.size(); ++k) {
        options.push_back(
            {{"index", k}, {"text", it.options[k]}, {"checked", chosen == std::to_string(k)}});
      }
      std::string err = field_error("answers[" + std::to_string(i) + "]");
      if (err.empty() && !errors.empty() && field_error("answers").size() > 0) {
        err = field_error("answers");
      }
      items.push_back({{"number", it.number},
                       {"text", it.text},
                       {"options", std::move(options)},
                       {"error", err}});
    }
    v["citation"] = q->citation();
    v["copyright"] = q->copyright();
  }
  v["items"] = std::move(items);
  json::array factors;
  const std::vector<std::string> ticked = f.All("vulnerability");
  for (const auto& x : ctx.consultations->config().vulnerability().all()) {
    factors.push_back(
        {{"value", x.code},
         {"label", ctx.consultations->config().vulnerability().Label(x.code, kLang)},
         {"id", "vulnerabilite-" + x.code},
         {"checked", std::find(ticked.begin(), ticked.end(), x.code) != ticked.end()}});
  }
  v["factors"] = std::move(factors);
  std::string vulnerability_error;
  for (const auto& e : errors) {
    if (e.field.starts_with("vulnerability")) vulnerability_error = ErrorText(ctx, e);
  }
  v["vulnerability_error"] = vulnerability_error;
  json::array summary;
  for (const auto& e : errors) {
    summary.push_back({{"anchor", Anchor(e.field)}, {"text", ErrorText(ctx, e)}});
  }
  v["has_errors"] = !errors.empty();
  v["errors"] = std::move(summary);
  return ctx.ProPage(req, "pro_consultation_form", "pro_cons_title", std::move(v), status);
}

app::ConsultationInput ReadForm(const FormData& f) {
  app::ConsultationInput in;
  if (!f.Value("context").empty())
    in.context = domain::ParseConsultationContext(f.Value("context"));
  if (!f.Value("respondent").empty())
    in.respondent = domain::ParseRespondent(f.Value("respondent"));
  if (!f.Value("period").empty()) in.period = domain::ParsePeriod(f.Value("period"));
  const std::string age = f.Value("child_age_weeks");
  if (!age.empty()) {
    in.child_age_weeks = ParseInt(age);
    if (!in.child_age_weeks) in.unreadable.Add("child_age_weeks", "must be a number", "range");
  }
  const std::string postcode = f.Value("postcode");
  if (!postcode.empty()) in.postcode = postcode;
  if (!f.Value("submission_id").empty()) in.submission_id = f.Value("submission_id");
  const std::string commune = f.Value("commune_code");
  if (!commune.empty()) in.commune_code = commune;
  for (int i = 1; i <= 10; ++i) in.answers.push_back(ParseInt(f.Value("q" + std::to_string(i))));
  in.vulnerability = f.All("vulnerability");
  in.language = kLang;
  return in;
}

json::object LevelView(const WebContext& ctx, domain::CareLevel l) {
  return {{"code", domain::ToString(l)},
          {"label", T(ctx, "pro_cons_level_" + std::string(domain::ToString(l)))}};
}

Response ResultPage(WebContext& ctx, const Request& req, const app::ConsultationOutcome& out,
                    bool repeated) {
  const domain::Orientation& o = out.orientation;
  const auto t = [&](const std::string& key) { return T(ctx, key); };
  json::object v;
  v["id"] = out.screening.id;
  v["repeated"] = repeated;
  v["crisis"] = o.crisis;
  v["score"] = out.screening.score;
  v["band"] = T(ctx, "pro_cons_band_" + std::string(domain::ToString(out.screening.band)));
  v["band_code"] = std::string(domain::ToString(out.screening.band));
  v["level"] = LevelView(ctx, o.level);
  v["follow_up_level"] = LevelView(ctx, o.follow_up_level);
  if (o.within_hours) v["within_hours"] = *o.within_hours;
  if (o.within_days) v["within_days"] = *o.within_days;
  if (o.rescreen_days) v["rescreen_days"] = *o.rescreen_days;
  v["context"] =
      T(ctx, "pro_cons_context_" + std::string(domain::ToString(out.consultation.context)));
  json::array factors;
  for (const auto& f : out.consultation.vulnerability) {
    factors.emplace_back(ctx.consultations->config().vulnerability().Label(f, kLang));
  }
  v["has_factors"] = !factors.empty();
  v["factors"] = std::move(factors);
  json::array resources;
  for (const auto& it : out.resources) resources.push_back(ResourceItemView(it, t));
  v["has_resources"] = !resources.empty();
  v["resources"] = std::move(resources);
  json::array urgent;
  for (const auto& it : out.emergency) urgent.push_back(ResourceItemView(it, t));
  v["has_urgent"] = !urgent.empty();
  v["urgent"] = std::move(urgent);
  v["alert_href"] = "/pro/alertes/nouvelle?consultation=" + out.screening.id;
  v["refer_href"] = "/pro/orientations/nouvelle?screening=" + out.screening.id;
  return ctx.ProPage(req, "pro_consultation_result", "pro_cons_result_title", std::move(v));
}

Response SeeOther(const std::string& location) {
  Response r;
  r.status = 303;
  r.SetHeader("Location", location);
  return r;
}

}  // namespace

void RegisterConsultationRoutes(Router& r, WebContext& ctx) {
  r.Add("POST", "/api/v1/consultations", RouteAccess::Session(kConsultationsCreate),
        [&ctx](Request& req) {
          auto body = ParseJsonObject(req.body);
          if (!body.ok()) return JsonError(body.status());
          // The professional pages are in French: the session's language.
          auto out = ctx.consultations->Submit(*req.principal, ReadConsultationJson(*body, kLang));
          if (!out.ok()) return JsonError(out.status());
          return JsonResponse(201, OutcomeJson(*out));
        });

  r.Add("GET", "/api/v1/consultations/{screening_id}", RouteAccess::Session(kConsultationsRead),
        [&ctx](Request& req) {
          auto out = ctx.consultations->Find(*req.principal, req.path_params.at("screening_id"));
          if (!out.ok()) return JsonError(out.status());
          return JsonResponse(200, OutcomeJson(*out));
        });

  r.Add("GET", "/pro/consultations", RouteAccess::Session(kConsultationsCreate),
        [&ctx](Request& req) { return FormPage(ctx, req, FormData(), {}, 200); });

  r.Add("POST", "/pro/consultations", RouteAccess::Session(kConsultationsCreate),
        [&ctx](Request& req) {
          auto form = ParseForm(req.body);
          if (!form.ok()) return ctx.Error(req, form.status());
          auto out = ctx.consultations->Submit(*req.principal, ReadForm(*form));
          if (!out.ok()) {
            if (out.status().code() != StatusCode::kInvalidArgument) {
              return ctx.Error(req, out.status());
            }
            return FormPage(ctx, req, *form, out.status().field_errors(), 400);
          }
          // Sent again (Back, then Send): the result made the first time,
          // said so on the page.
          return SeeOther("/pro/consultations/" + out->screening.id +
                          (out->repeated ? "?deja=1" : ""));
        });

  r.Add("GET", "/pro/consultations/{screening_id}", RouteAccess::Session(kConsultationsRead),
        [&ctx](Request& req) {
          auto out = ctx.consultations->Find(*req.principal, req.path_params.at("screening_id"));
          if (!out.ok()) return ctx.Error(req, out.status());
          auto q = ParseForm(req.query);
          const bool repeated = q.ok() && q->Value("deja") == "1";
          return ResultPage(ctx, req, *out, repeated);
        });
}

}  // namespace parcours::http
