// FHIR R4 (public, no session):
//   GET /fhir/Questionnaire/epds[?language=fr|en]   application/fhir+json
// The EPDS as a Questionnaire: LOINC panel 71354-5, ten `choice` items with
// their four answer options inline, texts from the shipped questionnaire
// data (validated wording: the mother's, as published), the RCPsych
// citation in `copyright`. LOINC item and answer codes come only from
// data/fhir/epds_loinc.json: where it gives none, an item has no code and
// an answer option is its text (valueString) with its score
// (http://hl7.org/fhir/StructureDefinition/ordinalValue), never a made-up code.
#include <boost/json.hpp>

#include "app/pathway_config.h"
#include "app/screening/screening_service.h"
#include "http/form.h"
#include "http/handlers/base_url.h"
#include "http/handlers/context.h"
#include "http/handlers/fhir.h"

namespace parcours::http {
namespace {

namespace json = boost::json;

constexpr const char* kOrdinalValue = "http://hl7.org/fhir/StructureDefinition/ordinalValue";

json::object CodingJson(const std::string& system, const domain::LoincCoding& c) {
  return {{"system", system}, {"code", c.code}, {"display", c.display}};
}

json::object QuestionnaireResource(const domain::Questionnaire& q, const domain::LoincCodes& loinc,
                                   const std::string& base_url) {
  json::object r;
  r["resourceType"] = "Questionnaire";
  r["id"] = q.instrument();
  r["url"] = FhirQuestionnaireUrl(base_url);
  r["language"] = q.language();
  r["name"] = "EPDS";
  r["title"] = q.title();
  r["status"] = "active";
  r["subjectType"] = json::array{"Patient"};
  r["code"] = json::array{CodingJson(loinc.system(), loinc.panel())};
  r["copyright"] = q.citation() + " " + q.copyright();
  json::array items;
  const auto shown = q.Items(domain::Respondent::kMother);
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const auto& it = shown[i];
    const domain::LoincItemCodes* codes = loinc.Item(it.number);
    json::object item;
    item["linkId"] = std::to_string(it.number);
    if (codes != nullptr && codes->item) {
      item["code"] = json::array{CodingJson(loinc.system(), *codes->item)};
    }
    item["text"] = it.text;
    item["type"] = "choice";
    item["required"] = true;
    json::array options;
    for (std::size_t k = 0; k < it.options.size(); ++k) {
      json::object opt;
      const bool coded = codes != nullptr && k < codes->answers.size() && codes->answers[k];
      if (coded) {
        json::object coding = CodingJson(loinc.system(), *codes->answers[k]);
        coding["display"] = it.options[k];  // the shipped wording, in its language
        opt["valueCoding"] = std::move(coding);
      } else {
        opt["valueString"] = it.options[k];
      }
      opt["extension"] = json::array{json::object{
          {"url", kOrdinalValue},
          {"valueDecimal", domain::EpdsPublishedScore(static_cast<int>(i), static_cast<int>(k))}}};
      options.push_back(std::move(opt));
    }
    item["answerOption"] = std::move(options);
    items.push_back(std::move(item));
  }
  r["item"] = std::move(items);
  return r;
}

}  // namespace

Response FhirJson(int status, const json::value& v) {
  Response r = JsonResponse(status, v);
  r.content_type = "application/fhir+json; charset=utf-8";
  return r;
}

Response FhirOutcome(int status, const std::string& code, const std::string& text) {
  json::object issue{{"severity", "error"}, {"code", code}, {"diagnostics", text}};
  return FhirJson(status, json::object{{"resourceType", "OperationOutcome"},
                                       {"issue", json::array{std::move(issue)}}});
}

std::string FhirQuestionnaireUrl(const std::string& base_url) {
  return base_url + "/fhir/Questionnaire/epds";
}

void RegisterFhirRoutes(Router& r, WebContext& ctx) {
  r.Add("GET", "/fhir/Questionnaire/epds", RouteAccess::Public(), [&ctx](Request& req) {
    auto q = ParseForm(req.query);
    if (!q.ok()) return FhirOutcome(400, "invalid", q.status().message());
    const std::string language = q->Get("language").value_or("fr");
    const domain::Questionnaire* qn = ctx.pathway->Questionnaire(app::kParentInstrument, language);
    const domain::LoincCodes* loinc = ctx.pathway->epds_loinc();
    if (qn == nullptr || loinc == nullptr) {
      return FhirOutcome(404, "not-found", "no EPDS questionnaire in language " + language);
    }
    return FhirJson(200, QuestionnaireResource(*qn, *loinc, BaseUrl(ctx, req)));
  });
}

}  // namespace parcours::http
