#include "http/consultation_body.h"

#include <algorithm>
#include <boost/json.hpp>
#include <iterator>

namespace parcours::http {

namespace json = boost::json;

app::ConsultationInput ReadConsultationJson(const json::object& o,
                                            std::string_view session_language) {
  app::ConsultationInput in;
  FieldErrors& bad = in.unreadable;
  auto str = [&](const char* key) -> std::optional<std::string> {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (!v->is_string()) {
      bad.Add(key, "must be a string");
      return std::nullopt;
    }
    return std::string(v->as_string());
  };
  for (const auto& [k, v] : o) {
    static const std::string_view kKnown[] = {
        "context",  "instrument",   "language", "respondent",    "period",
        "postcode", "commune_code", "answers",  "vulnerability", "child_age_weeks"};
    if (std::find(std::begin(kKnown), std::end(kKnown), k) == std::end(kKnown)) {
      bad.Add(std::string(k), "unknown field");
    }
  }
  if (auto c = str("context")) {
    in.context = domain::ParseConsultationContext(*c);
    if (!in.context) {
      bad.Add("context", "must be epp, epnp, referent_midwife, paediatric, gp or other", "unknown");
    }
  }
  in.instrument = str("instrument").value_or("epds");
  in.language = str("language").value_or(std::string(session_language));
  if (auto r = str("respondent")) {
    in.respondent = domain::ParseRespondent(*r);
    if (!in.respondent) bad.Add("respondent", "must be mother, father or coparent", "unknown");
  }
  if (auto p = str("period")) {
    in.period = domain::ParsePeriod(*p);
    if (!in.period) bad.Add("period", "must be prenatal or postnatal", "unknown");
  }
  if (const json::value* v = o.if_contains("child_age_weeks"); v != nullptr && !v->is_null()) {
    if (v->is_int64() && v->as_int64() >= -1000000 && v->as_int64() <= 1000000) {
      in.child_age_weeks = static_cast<int>(v->as_int64());
    } else {
      bad.Add("child_age_weeks", "must be an integer", "range");
    }
  }
  in.postcode = str("postcode");
  in.commune_code = str("commune_code");
  const json::value* answers = o.if_contains("answers");
  if (answers == nullptr || !answers->is_array()) {
    bad.Add("answers", "must be an array of 10 option indices", "missing");
  } else {
    const json::array& a = answers->as_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].is_int64() && a[i].as_int64() >= -1000 && a[i].as_int64() <= 1000) {
        in.answers.emplace_back(static_cast<int>(a[i].as_int64()));
      } else {
        in.answers.emplace_back(std::nullopt);
        bad.Add("answers[" + std::to_string(i) + "]", "must be an integer option index", "range");
      }
    }
  }
  if (const json::value* v = o.if_contains("vulnerability"); v != nullptr && !v->is_null()) {
    if (!v->is_array()) {
      bad.Add("vulnerability", "must be an array of factor codes");
    } else {
      const json::array& a = v->as_array();
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].is_string()) {
          in.vulnerability.emplace_back(a[i].as_string());
        } else {
          bad.Add("vulnerability[" + std::to_string(i) + "]", "must be a factor code", "unknown");
        }
      }
    }
  }
  return in;
}

}  // namespace parcours::http
