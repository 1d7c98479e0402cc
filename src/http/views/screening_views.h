// View models of the parent journey pages (screening steps, result,
// recontact request, request status), as JSON for the logic-less templates.
// Handlers translate HTTP to use-case values and back; what a page shows,
// and in which words, is decided here.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "domain/common/types.h"

namespace parcours::domain {
class Questionnaire;
struct Territory;
}  // namespace parcours::domain

namespace parcours::app {
struct AboutCheck;
struct ScreeningOutcome;
struct RecontactReceipt;
}  // namespace parcours::app

namespace parcours::http {

class Catalogs;
class FormData;

// The texts of one page language.
class PageTexts {
 public:
  PageTexts(const Catalogs& catalogs, std::string lang, std::string prefix)
      : catalogs_(catalogs), lang_(std::move(lang)), prefix_(std::move(prefix)) {}

  std::string operator()(const std::string& key) const;
  // The text of `key` with its {name} placeholders replaced.
  std::string Fill(const std::string& key,
                   std::initializer_list<std::pair<std::string_view, std::string>> values) const;
  // "lundi 04/08/2025 à 14:05" in the time zone `tz`.
  std::string LocalTime(const std::string& tz, domain::TimestampMs at) const;
  const std::string& lang() const { return lang_; }
  const std::string& prefix() const { return prefix_; }  // URL prefix: "" or "/en"

 private:
  const Catalogs& catalogs_;
  std::string lang_;
  std::string prefix_;
};

// Step 1 as the parent typed it (re-shown as typed, and carried to the next
// steps in hidden fields).
struct AboutForm {
  std::string respondent, period, age, postcode, commune_code, source;
  static AboutForm From(const FormData& f);
};

// Step 1. `check`: the use case's verdict (null: first display); its field
// errors are shown by field, and the postcode's communes offered.
boost::json::object AboutView(const PageTexts& t, const AboutForm& typed,
                              const app::AboutCheck* check);
// Field errors of step 1 shown on the form of step 1 (when step 2 was sent
// with step-1 fields at fault).
void AddAboutErrors(const PageTexts& t, const Status& errors, bool commune_choice,
                    boost::json::object& view);

// Step 2: the questions of `q`, worded for the respondent. `commune` is the
// commune resolved in step 1; `answers`/`errors` re-show a sent form with
// the items at fault.
boost::json::object QuestionsView(const PageTexts& t, const domain::Questionnaire& q,
                                  domain::Respondent respondent, domain::Period period,
                                  const AboutForm& typed, const std::string& commune,
                                  const std::string& screening_id, const FormData* answers,
                                  const Status* errors);

// Step 3. `nearby`/`urgent`: resource items around the parent (may be empty).
boost::json::object ResultView(const PageTexts& t, const app::ScreeningOutcome& out,
                               const domain::Questionnaire* q, boost::json::array nearby,
                               boost::json::array urgent);

// The recontact offer of a result, when the territory has a team that
// answers; `typed` re-shows a sent request.
void AddRecontactForm(const PageTexts& t, const app::ScreeningOutcome& out, const FormData* typed,
                      boost::json::object& view);
// A refused request: every field at fault (or the closed territory).
boost::json::object RecontactErrorView(const PageTexts& t, const Status& error,
                                       const app::ScreeningOutcome* screening,
                                       const FormData& typed);
boost::json::object RecontactDoneView(const PageTexts& t, const app::RecontactReceipt& r);
// The stage a parent is told of an alert status (issue 11): "received"
// (new), "being_handled" (qualified, assigned), "tried_to_reach"
// (in_contact), "closed".
std::string_view RequestStage(std::string_view status);
// `receipt` null: not found. Shows the stage, and always the emergency
// numbers and how to ask again.
boost::json::object RequestStatusView(const PageTexts& t, const std::string& reference,
                                      const app::RecontactReceipt* receipt);

// Adds one error of the page's error summary (anchor: id of the field).
void AddError(boost::json::object& view, const std::string& anchor, const std::string& message);

}  // namespace parcours::http
