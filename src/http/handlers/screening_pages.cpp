// The parent journey as server-rendered pages, working without JavaScript:
//   /depistage             step 1 (about you, postcode → commune), then the
//                          questions, then the result (POST, nothing of
//                          the answers ever goes into a URL)
//   /rappel                recontact request (POST from the result page)
//   /demande[/{reference}] status of a request
//   /rappel.ics?jours=N    calendar reminder (nothing stored)
//   /integration           snippet for partners; /integration/depistage is
//                          the embeddable entry (frame-ancestors = partners)
// French at /…, other languages at /{lang}/…, as every page.
//
// Handlers translate the form into use-case values (app/screening), call
// the use case, and render its answer through the view builders
// (http/views/screening_views.h); they check nothing themselves.
#include <algorithm>
#include <boost/json.hpp>
#include <ctime>

#include "app/clock.h"
#include "app/directory/directory_search.h"
#include "app/pathway_config.h"
#include "app/screening/recontact_service.h"
#include "app/screening/screening_service.h"
#include "http/form.h"
#include "http/handlers/context.h"
#include "http/handlers/reminder_offer.h"
#include "http/views/resource_view.h"
#include "http/views/screening_views.h"
#include "http/views/time_format.h"

namespace parcours::http {
namespace {

namespace json = boost::json;

std::optional<int> ParseSmallInt(const std::string& s) {
  if (s.empty() || s.size() > 4) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

struct PageCtx {
  std::string lang;
  std::string prefix;
  bool embedded = false;
};

PageCtx Begin(const std::string& lang, bool embedded = false) {
  return PageCtx{lang, WebContext::Prefix(lang), embedded};
}

PageTexts Texts(const WebContext& ctx, const PageCtx& pc) {
  return PageTexts(*ctx.catalogs, pc.lang, pc.prefix);
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

// The screening form (step 1 fields, and the answers once step 2 is sent)
// as use-case values. An age that is not a number is unreadable; a missing
// or unreadable answer is left unanswered.
app::ScreeningInput ReadScreeningForm(const FormData& f, const domain::Questionnaire& q) {
  app::ScreeningInput in;
  in.language = q.language();
  if (const std::string id = f.Value("screening_id"); app::IsScreeningId(id)) in.id = id;
  const AboutForm a = AboutForm::From(f);
  in.about.respondent = domain::ParseRespondent(a.respondent);
  in.about.period = domain::ParsePeriod(a.period);
  if (!a.age.empty()) {
    in.about.child_age_weeks = ParseSmallInt(a.age);
    if (!in.about.child_age_weeks) in.unreadable.Add("child_age_weeks", "not a number of weeks");
  }
  if (!a.postcode.empty()) in.about.postcode = a.postcode;
  if (!a.commune_code.empty()) in.about.commune_code = a.commune_code;
  in.about.source = a.source;
  for (std::size_t i = 1; i <= q.size(); ++i) {
    in.answers.push_back(ParseSmallInt(f.Value("q" + std::to_string(i))));
  }
  return in;
}

// Step 1 sent: the questions when it is complete, else step 1 again with
// its errors or the commune choice.
Response AboutStep(WebContext& ctx, const Request& req, const PageCtx& pc, const FormData& form,
                   const domain::Questionnaire& q) {
  const app::ScreeningInput in = ReadScreeningForm(form, q);
  const app::AboutCheck check = ctx.screenings->CheckAbout(in);
  const PageTexts t = Texts(ctx, pc);
  const AboutForm typed = AboutForm::From(form);
  if (!check.status.ok() && check.status.code() != StatusCode::kInvalidArgument) {
    return ctx.Error(req, check.status);
  }
  if (!check.status.ok() || check.commune_choice) {
    json::object v = AboutView(t, typed, &check);
    const int status = v.contains("has_errors") ? 400 : 200;
    return Render(ctx, req, pc, "screening_about", "scr_title", std::move(v), status);
  }
  const std::string id = app::NewId(*ctx.clock, *ctx.random);
  json::object v = QuestionsView(t, q, *in.about.respondent, *in.about.period, typed,
                                 check.place.commune_code.value_or(""), id, nullptr, nullptr);
  v["form_token"] = ctx.results->FormToken(id);
  return Render(ctx, req, pc, "screening_questions", "scr_title", std::move(v));
}

// The nearest published resources of the suggested level (and, after an
// item-10 answer, the nearest emergency services) around the parent's
// commune or postcode. Empty when no place was given or found.
json::array NearbyHelp(const WebContext& ctx, const PageTexts& t, const storage::ScreeningRecord& r,
                       domain::CareLevel level, int limit) {
  json::array items;
  if (!r.postcode || ctx.directory == nullptr) return items;
  app::DirectoryQuery q;
  q.postcode = *r.postcode;
  q.commune_code = r.commune_code.value_or("");
  q.level = level;
  q.fathers = r.respondent != domain::Respondent::kMother;
  q.limit = limit;
  auto found = ctx.directory->Search(q);
  // Fathers and co-parents first see the places that say they receive them.
  if (q.fathers && (!found.ok() || found->items.empty())) {
    q.fathers = false;
    found = ctx.directory->Search(q);
  }
  if (!found.ok()) return items;
  for (const auto& it : found->items) items.push_back(ResourceItemView(it, t));
  return items;
}

Response ResultPage(const WebContext& ctx, const Request& req, const PageCtx& pc,
                    const app::ScreeningOutcome& out) {
  const PageTexts t = Texts(ctx, pc);
  const domain::Orientation& o = out.orientation;
  const domain::CareLevel help_level = o.follow_up_level == domain::CareLevel::kInformation
                                           ? domain::CareLevel::kFirstLine
                                           : o.follow_up_level;
  json::array urgent;
  if (o.crisis) urgent = NearbyHelp(ctx, t, out.record, domain::CareLevel::kEmergency, 2);
  json::object v = ResultView(t, out, ctx.screenings->QuestionnaireFor(out.record.language),
                              NearbyHelp(ctx, t, out.record, help_level, 5), std::move(urgent));
  v["form_token"] = ctx.results->FormToken(out.record.id);
  v["quick_exit_token"] = ctx.results->ResultToken(out.record.id, pc.embedded);
  v["share_screening_id"] = out.record.id;  // partial_share_offer
  AddReminderOffer(ctx, t, out, nullptr, nullptr, v);
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
  const domain::Questionnaire* q = ctx.screenings->QuestionnaireFor(pc.lang);
  if (q == nullptr) return ctx.ErrorPage(req, 500);
  const std::string step = form->Value("step");
  const PageTexts t = Texts(ctx, pc);
  const AboutForm typed = AboutForm::From(*form);
  if (step == "edit") {
    return Render(ctx, req, pc, "screening_about", "scr_title", AboutView(t, typed, nullptr));
  }
  if (step != "questions") return AboutStep(ctx, req, pc, *form, *q);
  app::ScreeningInput in = ReadScreeningForm(*form, *q);
  if (!in.id) in.id = app::NewId(*ctx.clock, *ctx.random);
  // A signed form of this screening, not expired, not left by the quick
  // exit (answers all given: an incomplete form is shown again first).
  const bool complete = std::all_of(in.answers.begin(), in.answers.end(),
                                    [](const auto& a) { return a.has_value(); });
  if (complete && !ctx.results->CheckForm(form->Value("form_token"), *in.id)) {
    return ctx.ErrorPage(req, 403);
  }
  auto out = ctx.screenings->Submit(in);
  if (out.ok()) return ResultRedirect(ctx, pc, out->record.id);
  const Status& st = out.status();
  if (st.code() != StatusCode::kInvalidArgument) return ctx.Error(req, st);
  const auto errors = st.field_errors();
  const bool about_wrong = std::any_of(errors.begin(), errors.end(), [](const FieldError& e) {
    return !e.field.starts_with("answers");
  });
  if (about_wrong) {
    json::object v = AboutView(t, typed, nullptr);
    AddAboutErrors(t, st, /*commune_choice=*/false, v);
    return Render(ctx, req, pc, "screening_about", "scr_title", std::move(v), 400);
  }
  json::object v = QuestionsView(t, *q, *in.about.respondent, *in.about.period, typed,
                                 in.about.commune_code.value_or(""), *in.id, &*form, &st);
  v["form_token"] = ctx.results->FormToken(*in.id);
  return Render(ctx, req, pc, "screening_questions", "scr_title", std::move(v), 400);
}

app::RecontactInput ReadRecontactForm(const FormData& f, const std::string& lang) {
  app::RecontactInput in;
  in.screening_id = f.Value("screening_id");
  in.name = f.Value("name");
  in.phone = f.Value("phone");
  in.email = f.Value("email");
  for (const auto& s : f.All("slots")) {
    if (auto slot = app::ParseTimeSlot(s)) {
      in.slots.push_back(*slot);
    } else if (!in.unreadable.Has("slots")) {
      in.unreadable.Add("slots", "unknown time slot");
    }
  }
  const std::string msg = f.Value("may_leave_message");
  if (msg == "yes") in.may_leave_message = true;
  if (msg == "no") in.may_leave_message = false;
  in.caller_intro = app::ParseCallerIntro(f.Value("caller_intro"));
  in.consent = f.Value("consent") == "yes";
  in.language = lang;
  return in;
}

Response RecontactPost(WebContext& ctx, const Request& req, PageCtx pc) {
  auto form = ParseForm(req.body);
  if (!form.ok()) return ctx.ErrorPage(req, 400);
  pc.embedded = form->Value("embed") == "1";
  const app::RecontactInput in = ReadRecontactForm(*form, pc.lang);
  if (!ctx.results->CheckForm(form->Value("form_token"), in.screening_id)) {
    return ctx.ErrorPage(req, 403);
  }
  auto receipt = ctx.recontacts->Request(in);
  const PageTexts t = Texts(ctx, pc);
  if (receipt.ok()) {
    return Render(ctx, req, pc, "recontact_done", "rec_done_title", RecontactDoneView(t, *receipt),
                  201);
  }
  const Status& st = receipt.status();
  if (st.code() != StatusCode::kInvalidArgument && st.code() != StatusCode::kConflict) {
    return ctx.Error(req, st);
  }
  // The form again, as typed, under the result it came from.
  auto screening = ctx.screenings->Find(in.screening_id);
  json::object v = RecontactErrorView(t, st, screening.ok() ? &*screening : nullptr, *form);
  v["form_token"] = ctx.results->FormToken(in.screening_id);
  return Render(ctx, req, pc, "recontact_page", "rec_heading", std::move(v), 400);
}

Response StatusPage(WebContext& ctx, const Request& req, const PageCtx& pc, std::string reference) {
  for (char& c : reference) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const PageTexts t = Texts(ctx, pc);
  if (reference.empty()) {
    return Render(ctx, req, pc, "request_status", "req_title", RequestStatusView(t, "", nullptr));
  }
  auto r = ctx.recontacts->FindByReference(reference);
  if (!r.ok() && r.status().code() != StatusCode::kNotFound) return ctx.Error(req, r.status());
  return Render(ctx, req, pc, "request_status", "req_title",
                RequestStatusView(t, reference, r.ok() ? &*r : nullptr), r.ok() ? 200 : 404);
}

// An all-day calendar event `days` from now, with a discreet title.
Response Reminder(WebContext& ctx, const PageCtx& pc, const Request& req) {
  auto q = ParseForm(req.query);
  auto days = q.ok() ? ParseSmallInt(q->Value("jours")) : std::nullopt;
  if (!days || *days < 1 || *days > 365) return ctx.ErrorPage(req, 400);
  const domain::TimestampMs now = ctx.clock->NowMs();
  const std::string date =
      FormatUtc(now + static_cast<domain::TimestampMs>(*days) * 86'400'000, "%Y%m%d");
  const std::string stamp = FormatUtc(now, "%Y%m%dT%H%M%SZ");
  std::string uid = app::NewId(*ctx.clock, *ctx.random);
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
      AboutForm a;
      if (q.ok()) a.source = q->Value("source");
      return Render(ctx, req, pc, "screening_about", "scr_title",
                    AboutView(Texts(ctx, pc), a, nullptr));
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
