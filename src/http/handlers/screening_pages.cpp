// The parent journey as server-rendered pages, working without JavaScript:
//   /depistage             step 1 (about you, postcode → commune), then the
//                          10 questions, then the result (POST, nothing of
//                          the answers ever goes into a URL)
//   /rappel                recontact request (POST from the result page)
//   /demande[/{reference}] status of a request
//   /rappel.ics?jours=N    calendar reminder (nothing stored)
//   /integration           snippet for partners; /integration/depistage is
//                          the embeddable entry (frame-ancestors = partners)
// French at /…, other languages at /{lang}/…, as every page.
#include <boost/json.hpp>
#include <ctime>

#include "app/clock.h"
#include "app/directory/directory_search.h"
#include "app/geography.h"
#include "app/pathway_config.h"
#include "app/screening/recontact_service.h"
#include "app/screening/screening_service.h"
#include "domain/pathway/opening_hours.h"
#include "http/form.h"
#include "http/handlers/context.h"
#include "http/views/resource_view.h"

namespace parcours::http {
namespace {

namespace json = boost::json;

// Replaces {name} placeholders of a catalog text.
std::string Fill(std::string text,
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

std::string TwoDigits(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

std::string FormatLocal(const WebContext& ctx, const std::string& lang, const std::string& tz,
                        domain::TimestampMs at) {
  const domain::LocalTime t = domain::ToLocal(tz, at);
  return Fill(ctx.catalogs->Get(lang, "date_format"),
              {{"weekday", ctx.catalogs->Get(lang, "day_" + std::to_string(t.weekday))},
               {"day", TwoDigits(t.day)},
               {"month", TwoDigits(t.month)},
               {"year", std::to_string(t.year)},
               {"hour", TwoDigits(t.hour)},
               {"minute", TwoDigits(t.minute)}});
}

std::string Hours(const WebContext& ctx, const std::string& lang, const domain::Territory& t) {
  std::string out;
  for (const auto& slot : t.recontact.hours) {
    std::string days;
    for (std::size_t i = 0; i < slot.days.size(); ++i) {
      // Consecutive days read "lundi–vendredi".
      std::size_t j = i;
      while (j + 1 < slot.days.size() && slot.days[j + 1] == slot.days[j] + 1) ++j;
      if (!days.empty()) days += ", ";
      days += ctx.catalogs->Get(lang, "day_" + std::to_string(slot.days[i]));
      if (j > i) days += "–" + ctx.catalogs->Get(lang, "day_" + std::to_string(slot.days[j]));
      i = j;
    }
    auto hm = [](int m) { return TwoDigits(m / 60) + ":" + TwoDigits(m % 60); };
    if (!out.empty()) out += " ; ";
    out += Fill(ctx.catalogs->Get(lang, "hours_range"),
                {{"days", days}, {"from", hm(slot.from_minute)}, {"to", hm(slot.to_minute)}});
  }
  return out;
}

struct PageCtx {
  std::string lang;
  std::string prefix;
  bool embedded = false;
};

PageCtx Begin(const std::string& lang, bool embedded = false) {
  return PageCtx{lang, WebContext::Prefix(lang), embedded};
}

// Pages shown inside a partner's frame may be framed by the registered
// partners only.
void AllowPartnerFrames(const WebContext& ctx, Response& r) {
  std::string ancestors;
  for (const auto& p : ctx.pathway->partners()) {
    for (const auto& o : p.origins) ancestors += " " + o;
  }
  if (ancestors.empty()) ancestors = " 'none'";
  r.SetHeader("Content-Security-Policy",
              "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
              "frame-ancestors" +
                  ancestors);
}

Response Render(const WebContext& ctx, const Request& req, const PageCtx& pc,
                const std::string& tmpl, const std::string& title_key, json::object view,
                int status = 200) {
  view["embedded"] = pc.embedded;
  Response r = ctx.Page(req, pc.lang, tmpl, title_key, std::move(view), status);
  if (pc.embedded) AllowPartnerFrames(ctx, r);
  return r;
}

void Stepper(const WebContext& ctx, const PageCtx& pc, json::object& v, int step) {
  static constexpr const char* kSteps[] = {"scr_step_about", "scr_step_questions",
                                           "scr_step_result"};
  v["step_number"] = step;
  v["step_title"] = ctx.catalogs->Get(pc.lang, kSteps[step - 1]);
  v["step_state"] = Fill(ctx.catalogs->Get(pc.lang, "scr_step_of"), {{"n", std::to_string(step)}});
  if (step < 3) {
    v["next_step_label"] = ctx.catalogs->Get(pc.lang, "scr_next_step");
    v["next_step_title"] = ctx.catalogs->Get(pc.lang, kSteps[step]);
  }
}

void AddError(json::object& v, const std::string& anchor, const std::string& message) {
  if (!v.contains("errors")) v["errors"] = json::array();
  json::object e;
  e["anchor"] = anchor;
  e["message"] = message;
  v["errors"].as_array().push_back(std::move(e));
  v["has_errors"] = true;
}

json::array Choices(const WebContext& ctx, const std::string& lang, const std::string& key_prefix,
                    std::initializer_list<const char*> values, const std::string& chosen) {
  json::array out;
  for (const char* val : values) {
    json::object o;
    o["value"] = val;
    o["label"] = ctx.catalogs->Get(lang, key_prefix + val);
    o["checked"] = chosen == val;
    out.push_back(std::move(o));
  }
  return out;
}

// The fields of step 1, as typed.
struct About {
  std::string respondent, period, age, postcode, commune_code, source;
};

About ReadAbout(const FormData& f) {
  return About{f.Value("respondent"), f.Value("period"),       f.Value("child_age_weeks"),
               f.Value("postcode"),   f.Value("commune_code"), f.Value("source")};
}

json::object AboutView(const WebContext& ctx, const PageCtx& pc, const About& a) {
  json::object v;
  Stepper(ctx, pc, v, 1);
  v["form_action"] = pc.prefix + "/depistage";
  v["respondents"] =
      Choices(ctx, pc.lang, "scr_respondent_", {"mother", "father", "coparent"}, a.respondent);
  v["periods"] = Choices(ctx, pc.lang, "scr_period_", {"prenatal", "postnatal"}, a.period);
  v["child_age_weeks"] = a.age;
  v["postcode"] = a.postcode;
  v["source"] = a.source;
  return v;
}

void HiddenContext(json::object& v, const About& a, const std::string& commune) {
  v["respondent"] = a.respondent;
  v["period"] = a.period;
  v["child_age_weeks"] = a.age;
  v["postcode"] = a.postcode;
  v["commune_code"] = commune;
  v["source"] = a.source;
}

std::optional<int> ParseSmallInt(const std::string& s) {
  if (s.empty() || s.size() > 4) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

Response QuestionsPage(const WebContext& ctx, const Request& req, const PageCtx& pc, const About& a,
                       const std::string& commune, const std::string& screening_id,
                       const FormData* answers, bool show_errors) {
  const domain::Questionnaire* q = ctx.pathway->Questionnaire("epds", pc.lang);
  if (q == nullptr) q = ctx.pathway->Questionnaire("epds", "fr");
  const auto respondent =
      domain::ParseRespondent(a.respondent).value_or(domain::Respondent::kMother);
  const auto period = domain::ParsePeriod(a.period).value_or(domain::Period::kPostnatal);
  json::object v;
  Stepper(ctx, pc, v, 2);
  v["form_action"] = pc.prefix + "/depistage";
  v["screening_id"] = screening_id;
  v["form_token"] = ctx.results->FormToken(screening_id);
  HiddenContext(v, a, commune);
  v["instructions"] = q->Instructions(respondent, period);
  v["citation"] = q->citation();
  v["copyright"] = q->copyright();
  json::array items;
  const std::string total = std::to_string(q->size());
  for (const auto& item : q->Items(respondent)) {
    json::object io;
    io["number"] = item.number;
    io["text"] = item.text;
    io["progress"] = Fill(ctx.catalogs->Get(pc.lang, "scr_question_n"),
                          {{"n", std::to_string(item.number)}, {"total", total}});
    const std::string chosen =
        answers != nullptr ? answers->Value("q" + std::to_string(item.number)) : "";
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
    if (show_errors && !ParseSmallInt(chosen).has_value()) {
      const std::string msg =
          Fill(ctx.catalogs->Get(pc.lang, "scr_err_answer"), {{"n", std::to_string(item.number)}});
      io["error"] = msg;
      AddError(v, "q" + std::to_string(item.number) + "-0", msg);
    }
    items.push_back(std::move(io));
  }
  v["items"] = std::move(items);
  return Render(ctx, req, pc, "screening_questions", "scr_title", std::move(v),
                show_errors ? 400 : 200);
}

// Step 1 checks; on success returns the commune chosen ("" if none).
// Otherwise fills the view's errors (or the commune choice) and returns nullopt.
std::optional<std::string> CheckAbout(const WebContext& ctx, const PageCtx& pc, const About& a,
                                      json::object& v) {
  bool ok = true;
  auto err = [&](const char* field, const char* anchor, const std::string& key) {
    const std::string msg = ctx.catalogs->Get(pc.lang, key);
    v[field] = msg;
    AddError(v, anchor, msg);
    ok = false;
  };
  if (!domain::ParseRespondent(a.respondent)) {
    err("respondent_error", "respondent-mother", "scr_err_respondent");
  }
  const auto period = domain::ParsePeriod(a.period);
  if (!period) err("period_error", "period-prenatal", "scr_err_period");
  if (period == domain::Period::kPostnatal) {
    auto age = ParseSmallInt(a.age);
    if (!age || *age > app::kMaxChildAgeWeeks) {
      err("age_error", "child_age_weeks", "scr_err_child_age_weeks");
    }
  } else if (period == domain::Period::kPrenatal && !a.age.empty()) {
    err("age_error", "child_age_weeks", "scr_err_child_age_prenatal");
  }
  std::string commune;
  if (!a.postcode.empty()) {
    if (!app::IsPostcode(a.postcode)) {
      err("postcode_error", "postcode", "scr_err_postcode");
    } else {
      auto communes = ctx.communes->ByPostcode(a.postcode);
      if (communes.ok() && communes->size() > 1) {
        bool known = false;
        json::array list;
        for (const auto& c : *communes) {
          json::object o;
          o["code"] = c.insee_code;
          o["name"] = c.name;
          o["checked"] = c.insee_code == a.commune_code;
          known = known || c.insee_code == a.commune_code;
          list.push_back(std::move(o));
        }
        v["communes"] = std::move(list);
        v["has_communes"] = true;
        if (known) {
          commune = a.commune_code;
        } else {
          // First time: ask without an error; a wrong value: say so.
          if (!a.commune_code.empty()) {
            err("commune_error", "commune_code", "scr_err_commune_code");
          }
          ok = false;
        }
      } else if (communes.ok() && communes->size() == 1) {
        commune = communes->front().insee_code;
      }
    }
  }
  if (!ok) return std::nullopt;
  return commune;
}

std::string LevelKey(domain::CareLevel l) {
  return "res_level_" + std::string(domain::ToString(l));
}

void RecontactBlock(const WebContext& ctx, const PageCtx& pc, json::object& v,
                    const app::ScreeningOutcome& out, const FormData* typed) {
  const domain::Territory& t = *out.territory;
  if (!app::RecontactService::Offered(t)) return;
  v["recontact"] = true;
  v["form_token"] = ctx.results->FormToken(out.record.id);
  const std::string when = ctx.catalogs->Get(
      pc.lang, "rec_when_" + std::string(domain::ToString(out.orientation.urgency)));
  v["recontact_intro"] =
      Fill(ctx.catalogs->Get(pc.lang, "rec_intro"), {{"team", t.Team(pc.lang)}, {"when", when}});
  v["recontact_hours"] =
      Fill(ctx.catalogs->Get(pc.lang, "rec_hours"), {{"hours", Hours(ctx, pc.lang, t)}});
  v["rc_action"] = pc.prefix + "/rappel";
  v["rc_screening_id"] = out.record.id;
  const auto value = [&](const char* k) { return typed != nullptr ? typed->Value(k) : ""; };
  v["rc_name"] = value("name");
  v["rc_phone"] = value("phone");
  v["rc_email"] = value("email");
  v["rc_consent"] = value("consent") == "yes";
  json::array slots;
  const std::vector<std::string> chosen =
      typed != nullptr ? typed->All("slots") : std::vector<std::string>();
  for (const char* s : {"morning", "midday", "afternoon", "evening"}) {
    json::object o;
    o["value"] = s;
    o["label"] = ctx.catalogs->Get(pc.lang, std::string("rec_slot_") + s);
    o["checked"] = std::find(chosen.begin(), chosen.end(), s) != chosen.end();
    slots.push_back(std::move(o));
  }
  v["rc_slots"] = std::move(slots);
  v["rc_message"] =
      Choices(ctx, pc.lang, "rec_message_", {"yes", "no"}, value("may_leave_message"));
  v["rc_intro"] = Choices(ctx, pc.lang, "rec_intro_", {"neutral", "service"},
                          typed != nullptr ? value("caller_intro") : "neutral");
}

// The nearest published resources of the suggested level (and, after an
// item-10 answer, the nearest emergency services) around the parent's
// commune or postcode. Nothing when no place was given or found.
void NearbyHelp(const WebContext& ctx, const PageCtx& pc, json::object& v,
                const storage::ScreeningRecord& r, domain::CareLevel level, bool crisis) {
  if (!r.postcode || ctx.directory == nullptr) return;
  auto t = [&](const std::string& key) { return ctx.catalogs->Get(pc.lang, key); };
  auto search = [&](domain::CareLevel l, int limit) -> json::array {
    app::DirectoryQuery q;
    q.postcode = *r.postcode;
    q.commune_code = r.commune_code.value_or("");
    q.level = l;
    q.fathers = r.respondent != "mother";
    q.limit = limit;
    auto found = ctx.directory->Search(q);
    // Fathers and co-parents first see the places that say they receive them.
    if (q.fathers && (!found.ok() || found->items.empty())) {
      q.fathers = false;
      found = ctx.directory->Search(q);
    }
    json::array items;
    if (!found.ok()) return items;
    for (const auto& it : found->items) items.push_back(ResourceItemView(it, t));
    return items;
  };
  json::array nearby = search(level, 5);
  v["has_nearby"] = !nearby.empty();
  v["nearby"] = std::move(nearby);
  if (crisis) {
    json::array urgent = search(domain::CareLevel::kEmergency, 2);
    v["has_urgent"] = !urgent.empty();
    v["urgent"] = std::move(urgent);
  }
}

Response ResultPage(const WebContext& ctx, const Request& req, const PageCtx& pc,
                    const app::ScreeningOutcome& out) {
  const domain::Orientation& o = out.orientation;
  // A low total does not reassure when item 10 is positive.
  const bool low = o.band == domain::Band::kLow || o.band == domain::Band::kWatch;
  const std::string band = o.crisis && low ? "crisis" : std::string(domain::ToString(o.band));
  json::object v;
  Stepper(ctx, pc, v, 3);
  v["crisis"] = o.crisis;
  v["band_title"] = ctx.catalogs->Get(pc.lang, "res_band_" + band + "_title");
  v["band_text"] = ctx.catalogs->Get(pc.lang, "res_band_" + band + "_text");
  v["score_text"] =
      Fill(ctx.catalogs->Get(pc.lang, "res_score"), {{"score", std::to_string(out.record.score)}});
  v["baby_blues"] = o.baby_blues_note;
  v["level_text"] = ctx.catalogs->Get(pc.lang, LevelKey(o.follow_up_level));
  if (o.within_hours) {
    v["delay_text"] = Fill(ctx.catalogs->Get(pc.lang, "res_within_hours"),
                           {{"n", std::to_string(*o.within_hours)}});
  } else if (o.within_days) {
    v["delay_text"] = Fill(ctx.catalogs->Get(pc.lang, "res_within_days"),
                           {{"n", std::to_string(*o.within_days)}});
  }
  v["outside"] = out.territory->outside();
  const domain::CareLevel help_level = o.follow_up_level == domain::CareLevel::kInformation
                                           ? domain::CareLevel::kFirstLine
                                           : o.follow_up_level;
  std::string help =
      pc.prefix + "/trouver-de-l-aide?level=" + std::string(domain::ToString(help_level));
  if (out.record.postcode) help += "&q=" + *out.record.postcode;
  if (out.record.commune_code) help += "&commune=" + *out.record.commune_code;
  v["help_href"] = help;
  NearbyHelp(ctx, pc, v, out.record, help_level, o.crisis);
  const int days = out.territory->rules.ReminderDays(out.assessment, o);
  v["reminder_href"] = pc.prefix + "/rappel.ics?jours=" + std::to_string(days);
  v["reminder_text"] =
      Fill(ctx.catalogs->Get(pc.lang, "res_reminder_link"), {{"n", std::to_string(days)}});
  v["retake_href"] = pc.prefix + "/depistage";
  if (const auto* q = ctx.pathway->Questionnaire("epds", out.record.language)) {
    v["citation"] = q->citation();
    v["copyright"] = q->copyright();
  }
  RecontactBlock(ctx, pc, v, out, nullptr);
  v["quick_exit_token"] = ctx.results->ResultToken(out.record.id, pc.embedded);
  return Render(ctx, req, pc, "screening_result", "res_title", std::move(v));
}

// Post-redirect-get: the result lives at a short-lived, no-store URL that
// the quick exit can invalidate (ResultAccess).
Response ResultRedirect(const WebContext& ctx, const PageCtx& pc, const std::string& id) {
  Response r;
  r.status = 303;
  r.content_type = "text/plain; charset=utf-8";
  r.SetHeader("Location",
              pc.prefix + "/depistage/resultat?r=" + ctx.results->ResultToken(id, pc.embedded));
  return r;
}

Response ResultGet(WebContext& ctx, const Request& req, PageCtx pc) {
  auto q = ParseForm(req.query);
  auto ref = q.ok() ? ctx.results->OpenResult(q->Value("r")) : std::nullopt;
  if (!ref) return ctx.ErrorPage(req, 410);
  pc.embedded = ref->embedded;
  auto out = ctx.screenings->Find(ref->screening_id);
  if (!out.ok()) return ctx.ErrorPage(req, 410);
  return ResultPage(ctx, req, pc, *out);
}

Response ScreeningPost(WebContext& ctx, const Request& req, PageCtx pc) {
  auto form = ParseForm(req.body);
  if (!form.ok()) return ctx.ErrorPage(req, 400);
  pc.embedded = form->Value("embed") == "1";
  const About a = ReadAbout(*form);
  const std::string step = form->Value("step");
  json::object about = AboutView(ctx, pc, a);
  if (step == "edit") {
    return Render(ctx, req, pc, "screening_about", "scr_title", std::move(about));
  }
  auto commune = CheckAbout(ctx, pc, a, about);
  if (!commune) {
    const int status = about.contains("has_errors") ? 400 : 200;
    return Render(ctx, req, pc, "screening_about", "scr_title", std::move(about), status);
  }
  if (step != "questions") {
    return QuestionsPage(ctx, req, pc, a, *commune, app::NewId(*ctx.random), nullptr, false);
  }
  std::string id = form->Value("screening_id");
  if (!app::IsScreeningId(id)) id = app::NewId(*ctx.random);
  app::ScreeningInput in;
  in.id = id;
  in.language = ctx.pathway->Questionnaire("epds", pc.lang) != nullptr ? pc.lang : "fr";
  in.respondent = a.respondent;
  in.period = a.period;
  if (auto age = ParseSmallInt(a.age)) in.child_age_weeks = *age;
  if (!a.postcode.empty()) in.postcode = a.postcode;
  if (!commune->empty()) in.commune_code = *commune;
  in.source = a.source;
  bool complete = true;
  for (int i = 1; i <= 10; ++i) {
    auto v = ParseSmallInt(form->Value("q" + std::to_string(i)));
    if (!v || *v > 3) {
      complete = false;
      break;
    }
    in.answers.push_back(*v);
  }
  if (!complete) return QuestionsPage(ctx, req, pc, a, *commune, id, &*form, true);
  // A signed form of this screening, not expired, not left by the quick exit.
  if (!ctx.results->CheckForm(form->Value("form_token"), id)) return ctx.ErrorPage(req, 403);
  auto out = ctx.screenings->Submit(in);
  if (!out.ok()) {
    if (out.status().code() != StatusCode::kInvalidArgument) return ctx.Error(req, out.status());
    AddError(about, "respondent-mother", ctx.catalogs->Get(pc.lang, "scr_err_generic"));
    return Render(ctx, req, pc, "screening_about", "scr_title", std::move(about), 400);
  }
  return ResultRedirect(ctx, pc, out->record.id);
}

Response RecontactPost(WebContext& ctx, const Request& req, PageCtx pc) {
  auto form = ParseForm(req.body);
  if (!form.ok()) return ctx.ErrorPage(req, 400);
  pc.embedded = form->Value("embed") == "1";
  app::RecontactInput in;
  in.screening_id = form->Value("screening_id");
  in.name = form->Value("name");
  in.phone = form->Value("phone");
  in.email = form->Value("email");
  in.slots = form->All("slots");
  const std::string msg = form->Value("may_leave_message");
  if (msg == "yes") in.may_leave_message = true;
  if (msg == "no") in.may_leave_message = false;
  in.caller_intro = form->Value("caller_intro");
  in.consent = form->Value("consent") == "yes";
  in.language = pc.lang;
  if (!ctx.results->CheckForm(form->Value("form_token"), in.screening_id)) {
    return ctx.ErrorPage(req, 403);
  }
  auto receipt = ctx.recontacts->Request(in);
  if (!receipt.ok()) {
    const Status& st = receipt.status();
    if (st.code() != StatusCode::kInvalidArgument && st.code() != StatusCode::kConflict) {
      return ctx.Error(req, st);
    }
    json::object v;
    v["retake_href"] = pc.prefix + "/depistage";
    auto screening = ctx.screenings->Find(in.screening_id);
    if (screening.ok()) {
      v["crisis"] = screening->orientation.crisis;
      RecontactBlock(ctx, pc, v, *screening, &*form);
    }
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
    const std::string message = ctx.catalogs->Get(pc.lang, "rec_err_" + st.field());
    auto it = kFields.find(st.field());
    if (it != kFields.end()) {
      v[it->second.first] = message;
      AddError(v, it->second.second, message);
    } else {
      AddError(v, "contenu", ctx.catalogs->Get(pc.lang, "scr_err_generic"));
    }
    return Render(ctx, req, pc, "recontact_page", "rec_heading", std::move(v), 400);
  }
  const auto& a = receipt->alert;
  const domain::Territory& t = *receipt->territory;
  json::object v;
  v["already"] = receipt->already_requested;
  const std::string when = ctx.catalogs->Get(pc.lang, "rec_when_" + a.urgency);
  v["done_text"] = Fill(ctx.catalogs->Get(pc.lang, "rec_done_text"),
                        {{"team", t.Team(pc.lang)}, {"when", when}});
  v["deadline_text"] = Fill(ctx.catalogs->Get(pc.lang, "rec_done_deadline"),
                            {{"date", FormatLocal(ctx, pc.lang, t.time_zone, a.deadline_at)}});
  v["reference_text"] =
      Fill(ctx.catalogs->Get(pc.lang, "rec_done_reference"), {{"reference", a.reference}});
  v["status_href"] = pc.prefix + "/demande/" + a.reference;
  return Render(ctx, req, pc, "recontact_done", "rec_done_title", std::move(v), 201);
}

Response StatusPage(WebContext& ctx, const Request& req, const PageCtx& pc, std::string reference) {
  for (char& c : reference) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  json::object v;
  v["lookup_action"] = pc.prefix + "/demande";
  v["reference"] = reference;
  v["heading"] = ctx.catalogs->Get(pc.lang, "req_title");
  if (reference.empty()) return Render(ctx, req, pc, "request_status", "req_title", std::move(v));
  auto r = ctx.recontacts->FindByReference(reference);
  if (!r.ok()) {
    if (r.status().code() != StatusCode::kNotFound) return ctx.Error(req, r.status());
    v["not_found"] = true;
    return Render(ctx, req, pc, "request_status", "req_title", std::move(v), 404);
  }
  const auto& a = r->alert;
  const std::string& tz = r->territory->time_zone;
  v["found"] = true;
  v["heading"] = Fill(ctx.catalogs->Get(pc.lang, "req_heading"), {{"reference", a.reference}});
  // The day only, and no deadline: a deadline or an hour would reveal the
  // urgency (an item-10 answer) to whoever holds the reference.
  const domain::LocalTime day = domain::ToLocal(tz, a.created_at);
  v["received_text"] = Fill(
      ctx.catalogs->Get(pc.lang, "req_received"),
      {{"date", Fill(ctx.catalogs->Get(pc.lang, "req_day_format"),
                     {{"weekday", ctx.catalogs->Get(pc.lang, "day_" + std::to_string(day.weekday))},
                      {"day", TwoDigits(day.day)},
                      {"month", TwoDigits(day.month)},
                      {"year", std::to_string(day.year)}})}});
  v["status_text"] =
      ctx.catalogs->Get(pc.lang, a.status == "new" ? "req_status_new" : "req_status_other");
  return Render(ctx, req, pc, "request_status", "req_title", std::move(v));
}

// An all-day calendar event `days` from now, with a discreet title.
Response Reminder(WebContext& ctx, const PageCtx& pc, const Request& req) {
  auto q = ParseForm(req.query);
  auto days = q.ok() ? ParseSmallInt(q->Value("jours")) : std::nullopt;
  if (!days || *days < 1 || *days > 365) return ctx.ErrorPage(req, 400);
  const domain::TimestampMs now = ctx.clock->NowMs();
  const std::time_t when =
      static_cast<std::time_t>(now / 1000) + static_cast<std::time_t>(*days) * 86400;
  std::tm tm{};
  gmtime_r(&when, &tm);
  char date[16];
  std::strftime(date, sizeof date, "%Y%m%d", &tm);
  const std::time_t stamp_t = static_cast<std::time_t>(now / 1000);
  std::tm stamp_tm{};
  gmtime_r(&stamp_t, &stamp_tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &stamp_tm);
  std::string uid = app::NewId(*ctx.random);
  std::string body =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Parcours DPP//FR\r\nCALSCALE:GREGORIAN\r\n"
      "BEGIN:VEVENT\r\nUID:" +
      uid + "@parcours-dpp\r\nDTSTAMP:" + stamp + "\r\nDTSTART;VALUE=DATE:" + date +
      "\r\nSUMMARY:" + ctx.catalogs->Get(pc.lang, "res_reminder_title") +
      "\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:PT9H\r\nDESCRIPTION:" +
      ctx.catalogs->Get(pc.lang, "res_reminder_title") +
      "\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  Response r;
  r.content_type = "text/calendar; charset=utf-8";
  r.SetHeader("Content-Disposition", "attachment; filename=\"rappel.ics\"");
  r.body = std::move(body);
  return r;
}

Response IntegrationPage(WebContext& ctx, const Request& req, const PageCtx& pc) {
  json::object v;
  std::string host(req.Header("host"));
  if (host.empty() ||
      host.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-:[]") != std::string::npos) {
    host = "parcours-dpp.example";
  }
  const std::string base = "https://" + host + pc.prefix;
  const std::string id = ctx.catalogs->Get(pc.lang, "emb_identifier_placeholder");
  v["snippet"] = "<p><a href=\"" + base + "/depistage?source=" + id + "\">" +
                 ctx.catalogs->Get(pc.lang, "emb_link_text") + "</a></p>\n<iframe src=\"" + base +
                 "/integration/depistage?source=" + id + "\" title=\"" +
                 ctx.catalogs->Get(pc.lang, "emb_frame_title") +
                 "\" width=\"100%\" height=\"900\" loading=\"lazy\"></iframe>";
  json::array partners;
  for (const auto& p : ctx.pathway->partners()) {
    json::object o;
    o["id"] = p.id;
    o["name"] = p.name;
    partners.push_back(std::move(o));
  }
  v["has_partners"] = !partners.empty();
  v["partners"] = std::move(partners);
  return Render(ctx, req, pc, "integration", "emb_title", std::move(v));
}

}  // namespace

void RegisterScreeningPageRoutes(Router& r, WebContext& ctx) {
  // The entry page, plain or framed by a partner.
  auto entry = [&ctx](bool embedded) {
    return [&ctx, embedded](Request& req, const std::string& lang) {
      const PageCtx pc = Begin(lang, embedded);
      auto q = ParseForm(req.query);
      About a;
      if (q.ok()) a.source = q->Value("source");
      return Render(ctx, req, pc, "screening_about", "scr_title", AboutView(ctx, pc, a));
    };
  };
  AddPage(r, ctx, "GET", "/depistage", entry(false));
  AddPage(r, ctx, "GET", "/integration/depistage", entry(true));
  AddPage(r, ctx, "POST", "/depistage", [&ctx](Request& req, const std::string& lang) {
    return ScreeningPost(ctx, req, Begin(lang));
  });
  AddPage(r, ctx, "GET", "/depistage/resultat", [&ctx](Request& req, const std::string& lang) {
    return ResultGet(ctx, req, Begin(lang));
  });
  AddPage(r, ctx, "POST", "/rappel", [&ctx](Request& req, const std::string& lang) {
    return RecontactPost(ctx, req, Begin(lang));
  });
  AddPage(r, ctx, "GET", "/demande", [&ctx](Request& req, const std::string& lang) {
    auto q = ParseForm(req.query);
    return StatusPage(ctx, req, Begin(lang), q.ok() ? q->Value("reference") : "");
  });
  AddPage(r, ctx, "GET", "/demande/{reference}", [&ctx](Request& req, const std::string& lang) {
    return StatusPage(ctx, req, Begin(lang), req.path_params["reference"]);
  });
  AddPage(r, ctx, "GET", "/rappel.ics", [&ctx](Request& req, const std::string& lang) {
    return Reminder(ctx, Begin(lang), req);
  });
  AddPage(r, ctx, "GET", "/integration", [&ctx](Request& req, const std::string& lang) {
    return IntegrationPage(ctx, req, Begin(lang));
  });
}

}  // namespace parcours::http
