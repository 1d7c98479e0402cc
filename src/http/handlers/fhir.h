// FHIR R4 responses shared by the public Questionnaire (fhir.cpp) and the
// record's QuestionnaireResponses (records.cpp).
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "http/message.h"

namespace parcours::http {

// FHIR JSON (application/fhir+json).
Response FhirJson(int status, const boost::json::value& v);
// An OperationOutcome, as FHIR clients expect errors.
Response FhirOutcome(int status, const std::string& code, const std::string& text);
// The canonical URL of the EPDS Questionnaire, that QuestionnaireResponses
// point at.
std::string FhirQuestionnaireUrl(const std::string& base_url);

}  // namespace parcours::http
