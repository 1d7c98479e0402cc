#include "http/views/screening_views.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "app/screening/recontact_service.h"
#include "app/screening/screening_service.h"
#include "domain/pathway/opening_hours.h"
#include "domain/questionnaire/questionnaire.h"
#include "domain/territory/territory.h"
#include "http/form.h"
#include "http/i18n.h"

namespace parcours::http {
namespace {

namespace json = boost::json;

std::string TwoDigits(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

std::string Replace(std::string text,
                    std::initializer_list<std::pair<std::string_view, std::string>> values) {
  for (const auto& [name, value] : values) {
    const std::string key = "{" + std::string(name) + "}";
    for (std::size_t at = text.find(key); at != std::string::npos;
         at = text.find(key, at + value.size())) {
      text.replace(at, key.size(), value);
    }
  }
  return text;
}

// "lundi–vendredi 09:00–17:00 ; samedi 09:00–12:00"
std::string OpeningHours(const PageTexts& t, const domain::RecontactConfig& terms) {
  std::string out;
  for (const auto& slot : terms.hours) {
    std::string days;
    for (std::size_t i = 0; i < slot.days.size(); ++i) {
      // Consecutive days read "lundi–vendredi".
      std::size_t j = i;
      while (j + 1 < slot.days.size() && slot.days[j + 1] == slot.days[j] + 1) ++j;
      if (!days.empty()) days += ", ";
      days += t("day_" + std::to_string(slot.days[i]));
      if (j > i) days += "–" + t("day_" + std::to_string(slot.days[j]));
      i = j;
    }
    auto hm = [](int m) { return TwoDigits(m / 60) + ":" + TwoDigits(m % 60); };
    if (!out.empty()) out += " ; ";
    out += t.Fill("hours_range",
                  {{"days", days}, {"from", hm(slot.from_minute)}, {"to", hm(slot.to_minute)}});
  }
  return out;
}

void Stepper(const PageTexts& t, json::object& v, int step) {
  static constexpr const char* kSteps[] = {"scr_step_about", "scr_step_questions",
                                           "scr_step_result"};
  v["step_number"] = step;
  v["step_title"] = t(kSteps[step - 1]);
  v["step_state"] = t.Fill("scr_step_of", {{"n", std::to_string(step)}});
  if (step < 3) {
    v["next_step_label"] = t("scr_next_step");
    v["next_step_title"] = t(kSteps[step]);
  }
}

template <typename Values>
json::array Choices(const PageTexts& t, const std::string& key_prefix, const Values& values,
                    const std::string& chosen) {
  json::array out;
  for (const auto& value : values) {
    const std::string val(value);
    json::object o;
    o["value"] = val;
    o["label"] = t(key_prefix + val);
    o["checked"] = chosen == val;
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<std::string_view> Identifiers(std::initializer_list<domain::Respondent> values) {
  std::vector<std::string_view> out;
  for (auto v : values) out.push_back(domain::ToString(v));
  return out;
}

void HiddenContext(json::object& v, const AboutForm& a, const std::string& commune) {
  v["respondent"] = a.respondent;
  v["period"] = a.period;
  v["child_age_weeks"] = a.age;
  v["postcode"] = a.postcode;
  v["commune_code"] = commune;
  v["source"] = a.source;
}

// Where each step-1 field shows its error: view key, anchor, catalog key.
struct FieldPlace {
  const char* view_key;
  const char* anchor;
  const char* text_key;
};

FieldPlace AboutPlace(const FieldError& e) {
  if (e.field == "respondent")
    return {"respondent_error", "respondent-mother", "scr_err_respondent"};
  if (e.field == "period") return {"period_error", "period-prenatal", "scr_err_period"};
  if (e.field == "child_age_weeks") {
    return {"age_error", "child_age_weeks",
            e.reason == "prenatal" ? "scr_err_child_age_prenatal" : "scr_err_child_age_weeks"};
  }
  if (e.field == "postcode") return {"postcode_error", "postcode", "scr_err_postcode"};
  if (e.field == "commune_code") return {"commune_error", "commune_code", "scr_err_commune_code"};
  return {nullptr, "respondent-mother", "scr_err_generic"};
}

}  // namespace

std::string PageTexts::operator()(const std::string& key) const {
  return catalogs_.Get(lang_, key);
}

std::string PageTexts::Fill(
    const std::string& key,
    std::initializer_list<std::pair<std::string_view, std::string>> values) const {
  return Replace((*this)(key), values);
}

std::string PageTexts::LocalTime(const std::string& tz, domain::TimestampMs at) const {
  const domain::LocalTime l = domain::ToLocal(tz, at);
  return Fill("date_format", {{"weekday", (*this)("day_" + std::to_string(l.weekday))},
                              {"day", TwoDigits(l.day)},
                              {"month", TwoDigits(l.month)},
                              {"year", std::to_string(l.year)},
                              {"hour", TwoDigits(l.hour)},
                              {"minute", TwoDigits(l.minute)}});
}

AboutForm AboutForm::From(const FormData& f) {
  return AboutForm{f.Value("respondent"), f.Value("period"),       f.Value("child_age_weeks"),
                   f.Value("postcode"),   f.Value("commune_code"), f.Value("source")};
}

void AddError(json::object& v, const std::string& anchor, const std::string& message) {
  if (!v.contains("errors")) v["errors"] = json::array();
  json::object e;
  e["anchor"] = anchor;
  e["message"] = message;
  v["errors"].as_array().push_back(std::move(e));
  v["has_errors"] = true;
}

void AddAboutErrors(const PageTexts& t, const Status& errors, bool commune_choice,
                    json::object& v) {
  bool generic = false;
  for (const FieldError& e : errors.field_errors()) {
    // Asked for the first time, the commune is a choice, not an error.
    if (e.field == "commune_code" && e.reason == "choose" && commune_choice) continue;
    const FieldPlace place = AboutPlace(e);
    if (place.view_key == nullptr) {
      if (generic) continue;
      generic = true;
    } else {
      v[place.view_key] = t(place.text_key);
    }
    AddError(v, place.anchor, t(place.text_key));
  }
}

json::object AboutView(const PageTexts& t, const AboutForm& typed, const app::AboutCheck* check) {
  json::object v;
  Stepper(t, v, 1);
  v["form_action"] = t.prefix() + "/depistage";
  v["respondents"] = Choices(t, "scr_respondent_",
                             Identifiers({domain::Respondent::kMother, domain::Respondent::kFather,
                                          domain::Respondent::kCoparent}),
                             typed.respondent);
  const std::string_view periods[] = {domain::ToString(domain::Period::kPrenatal),
                                      domain::ToString(domain::Period::kPostnatal)};
  v["periods"] = Choices(t, "scr_period_", periods, typed.period);
  v["child_age_weeks"] = typed.age;
  v["postcode"] = typed.postcode;
  v["source"] = typed.source;
  if (check == nullptr) return v;
  if (check->communes.size() > 1) {
    json::array list;
    for (const auto& c : check->communes) {
      json::object o;
      o["code"] = c.insee_code;
      o["name"] = c.name;
      o["checked"] = c.insee_code == typed.commune_code;
      list.push_back(std::move(o));
    }
    v["communes"] = std::move(list);
    v["has_communes"] = true;
  }
  AddAboutErrors(t, check->status, check->commune_choice, v);
  return v;
}

json::object QuestionsView(const PageTexts& t, const domain::Questionnaire& q,
                           domain::Respondent respondent, domain::Period period,
                           const AboutForm& typed, const std::string& commune,
                           const std::string& screening_id, const FormData* answers,
                           const Status* errors) {
  json::object v;
  Stepper(t, v, 2);
  v["form_action"] = t.prefix() + "/depistage";
  v["screening_id"] = screening_id;
  HiddenContext(v, typed, commune);
  v["instructions"] = q.Instructions(respondent, period);
  v["citation"] = q.citation();
  v["copyright"] = q.copyright();
  std::vector<FieldError> at_fault =
      errors != nullptr ? errors->field_errors() : std::vector<FieldError>();
  json::array items;
  const std::string total = std::to_string(q.size());
  for (const auto& item : q.Items(respondent)) {
    const std::string n = std::to_string(item.number);
    json::object io;
    io["number"] = item.number;
    io["text"] = item.text;
    io["progress"] = t.Fill("scr_question_n", {{"n", n}, {"total", total}});
    const std::string chosen = answers != nullptr ? answers->Value("q" + n) : "";
    json::array opts;
    for (std::size_t k = 0; k < item.options.size(); ++k) {
      json::object oo;
      oo["number"] = item.number;
      oo["index"] = k;
      oo["text"] = item.options[k];
      oo["checked"] = chosen == std::to_string(k);
      opts.push_back(std::move(oo));
    }
    io["options"] = std::move(opts);
    const std::string field = "answers[" + std::to_string(item.number - 1) + "]";
    const bool wrong = std::any_of(at_fault.begin(), at_fault.end(), [&](const FieldError& e) {
      return e.field == field || e.field == "answers";
    });
    if (wrong) {
      const std::string msg = t.Fill("scr_err_answer", {{"n", n}});
      io["error"] = msg;
      AddError(v, "q" + n + "-0", msg);
    }
    items.push_back(std::move(io));
  }
  v["items"] = std::move(items);
  return v;
}

void AddRecontactForm(const PageTexts& t, const app::ScreeningOutcome& out, const FormData* typed,
                      json::object& v) {
  // Terms decided by app::RecontactGate (territory file or demo mode).
  if (!app::RecontactService::Offered(out)) return;
  const domain::RecontactConfig& terms = *out.recontact;
  v["recontact"] = true;
  const std::string when = t("rec_when_" + std::string(domain::ToString(out.orientation.urgency)));
  v["recontact_intro"] =
      t.Fill("rec_intro", {{"team", domain::TeamName(terms, t.lang())}, {"when", when}});
  v["recontact_hours"] = t.Fill("rec_hours", {{"hours", OpeningHours(t, terms)}});
  v["rc_action"] = t.prefix() + "/rappel";
  v["rc_screening_id"] = out.record.id;
  const auto value = [&](const char* k) { return typed != nullptr ? typed->Value(k) : ""; };
  v["rc_name"] = value("name");
  v["rc_phone"] = value("phone");
  v["rc_email"] = value("email");
  v["rc_consent"] = value("consent") == "yes";
  json::array slots;
  const std::vector<std::string> chosen =
      typed != nullptr ? typed->All("slots") : std::vector<std::string>();
  for (app::TimeSlot slot : app::kTimeSlots) {
    const std::string s(app::ToString(slot));
    json::object o;
    o["value"] = s;
    o["label"] = t("rec_slot_" + s);
    o["checked"] = std::find(chosen.begin(), chosen.end(), s) != chosen.end();
    slots.push_back(std::move(o));
  }
  v["rc_slots"] = std::move(slots);
  const std::string_view yes_no[] = {"yes", "no"};
  v["rc_message"] = Choices(t, "rec_message_", yes_no, value("may_leave_message"));
  const std::string_view intros[] = {app::ToString(app::CallerIntro::kNeutral),
                                     app::ToString(app::CallerIntro::kService)};
  v["rc_intro"] =
      Choices(t, "rec_intro_", intros,
              typed != nullptr ? value("caller_intro")
                               : std::string(app::ToString(app::CallerIntro::kNeutral)));
}

json::object ResultView(const PageTexts& t, const app::ScreeningOutcome& out,
                        const domain::Questionnaire* q, json::array nearby, json::array urgent) {
  const domain::Orientation& o = out.orientation;
  // A low total does not reassure when item 10 is positive.
  const bool low = o.band == domain::Band::kLow || o.band == domain::Band::kWatch;
  const std::string band = o.crisis && low ? "crisis" : std::string(domain::ToString(o.band));
  json::object v;
  Stepper(t, v, 3);
  v["crisis"] = o.crisis;
  v["band_title"] = t("res_band_" + band + "_title");
  v["band_text"] = t("res_band_" + band + "_text");
  v["score_text"] = t.Fill("res_score", {{"score", std::to_string(out.record.score)}});
  v["baby_blues"] = o.baby_blues_note;
  v["level_text"] = t("res_level_" + std::string(domain::ToString(o.follow_up_level)));
  if (o.within_hours) {
    v["delay_text"] = t.Fill("res_within_hours", {{"n", std::to_string(*o.within_hours)}});
  } else if (o.within_days) {
    v["delay_text"] = t.Fill("res_within_days", {{"n", std::to_string(*o.within_days)}});
  }
  v["outside"] = out.territory->outside();
  const domain::CareLevel help_level = o.follow_up_level == domain::CareLevel::kInformation
                                           ? domain::CareLevel::kFirstLine
                                           : o.follow_up_level;
  std::string help =
      t.prefix() + "/trouver-de-l-aide?level=" + std::string(domain::ToString(help_level));
  if (out.record.postcode) help += "&q=" + *out.record.postcode;
  if (out.record.commune_code) help += "&commune=" + *out.record.commune_code;
  v["help_href"] = help;
  v["has_nearby"] = !nearby.empty();
  v["nearby"] = std::move(nearby);
  if (o.crisis) {
    v["has_urgent"] = !urgent.empty();
    v["urgent"] = std::move(urgent);
  }
  const int days = out.territory->rules.ReminderDays(out.assessment, o);
  v["reminder_href"] = t.prefix() + "/rappel.ics?jours=" + std::to_string(days);
  v["reminder_text"] = t.Fill("res_reminder_link", {{"n", std::to_string(days)}});
  v["retake_href"] = t.prefix() + "/depistage";
  if (q != nullptr) {
    v["citation"] = q->citation();
    v["copyright"] = q->copyright();
  }
  AddRecontactForm(t, out, nullptr, v);
  return v;
}

json::object RecontactErrorView(const PageTexts& t, const Status& error,
                                const app::ScreeningOutcome* screening, const FormData& typed) {
  // Where each field shows its error: view key and anchor.
  static const std::map<std::string, std::pair<const char*, const char*>> kFields = {
      {"name", {"rc_name_error", "name"}},
      {"phone", {"rc_phone_error", "phone"}},
      {"email", {"rc_email_error", "email"}},
      {"contact", {"rc_phone_error", "phone"}},
      {"slots", {"rc_slots_error", "slot-morning"}},
      {"may_leave_message", {"rc_message_error", "message-yes"}},
      {"caller_intro", {"rc_intro_error", "intro-neutral"}},
      {"consent", {"rc_consent_error", "consent-yes"}},
      {"screening_id", {"rc_screening_error", "contenu"}},
      {"recontact", {"rc_closed_error", "contenu"}},
  };
  json::object v;
  v["retake_href"] = t.prefix() + "/depistage";
  if (screening != nullptr) {
    v["crisis"] = screening->orientation.crisis;
    AddRecontactForm(t, *screening, &typed, v);
  }
  std::vector<FieldError> errors = error.field_errors();
  if (errors.empty()) errors.push_back(FieldError{error.field(), error.message()});
  bool generic = false;
  for (const FieldError& e : errors) {
    auto it = kFields.find(e.field);
    if (it == kFields.end()) {
      if (!generic) AddError(v, "contenu", t("scr_err_generic"));
      generic = true;
      continue;
    }
    const std::string message = t("rec_err_" + e.field);
    v[it->second.first] = message;
    AddError(v, it->second.second, message);
  }
  return v;
}

json::object RecontactDoneView(const PageTexts& t, const app::RecontactReceipt& r) {
  const auto& a = r.alert;
  const domain::Territory& territory = *r.territory;
  json::object v;
  v["already"] = r.already_requested;
  const std::string when = t("rec_when_" + std::string(domain::ToString(a.urgency)));
  const std::string& team =
      r.recontact != nullptr ? domain::TeamName(*r.recontact, t.lang()) : territory.Team(t.lang());
  v["done_text"] = t.Fill("rec_done_text", {{"team", team}, {"when", when}});
  v["deadline_text"] =
      t.Fill("rec_done_deadline", {{"date", t.LocalTime(territory.time_zone, a.deadline_at)}});
  v["reference_text"] = t.Fill("rec_done_reference", {{"reference", a.reference}});
  v["status_href"] = t.prefix() + "/demande/" + a.reference;
  return v;
}

std::string_view RequestStage(std::string_view status) {
  if (status == "new") return "received";
  if (status == "qualified" || status == "assigned") return "being_handled";
  if (status == "in_contact") return "tried_to_reach";
  return "closed";
}

json::object RequestStatusView(const PageTexts& t, const std::string& reference,
                               const app::RecontactReceipt* receipt) {
  json::object v;
  v["lookup_action"] = t.prefix() + "/demande";
  v["reference"] = reference;
  v["heading"] = t("req_title");
  if (reference.empty()) return v;
  if (receipt == nullptr) {
    v["not_found"] = true;
    return v;
  }
  const auto& a = receipt->alert;
  const std::string& tz = receipt->territory->time_zone;
  v["found"] = true;
  v["heading"] = t.Fill("req_heading", {{"reference", a.reference}});
  // The day only, and no deadline: a deadline or an hour would reveal the
  // urgency (an item-10 answer) to whoever holds the reference.
  const domain::LocalTime day = domain::ToLocal(tz, a.created_at);
  v["received_text"] = t.Fill(
      "req_received",
      {{"date", t.Fill("req_day_format", {{"weekday", t("day_" + std::to_string(day.weekday))},
                                          {"day", TwoDigits(day.day)},
                                          {"month", TwoDigits(day.month)},
                                          {"year", std::to_string(day.year)}})}});
  // The stage only (issue 11): never the urgency, an outcome or a note.
  const std::string stage(RequestStage(a.status));
  v["status_text"] = t("req_stage_" + stage);
  v["stage"] = stage;
  v["closed"] = stage == "closed";
  v["help_numbers"] =
      json::array{json::object{{"href", "tel:3114"}, {"label", t("res_crisis_3114")}},
                  json::object{{"href", "tel:15"}, {"label", t("res_crisis_15")}},
                  json::object{{"href", "tel:112"}, {"label", t("res_crisis_112")}},
                  json::object{{"href", "sms:114"}, {"label", t("res_crisis_114")}}};
  v["ask_again_href"] = t.prefix() + "/depistage";
  return v;
}

}  // namespace parcours::http
