// Parents' reminders to screen again (issue 12), server-rendered and JSON:
//   POST /rappel/inscription           opt-in from the result page (form token)
//   POST /api/v1/screenings/{id}/reminders   the same for the widget / API
//   GET  /rappel/arret?t=TOKEN         the opt-out page: changes nothing
//   POST /rappel/arret?t=TOKEN         cancels (idempotent); also the RFC 8058
//                                      one-click POST of mail clients, which
//                                      carries no form token: the token in
//                                      the URL is the authority
// French at /…, English at /en/…, as every parent page.
#include <boost/json.hpp>
#include <map>

#include "app/notify/reminder_service.h"
#include "app/screening/screening_service.h"
#include "domain/territory/territory.h"
#include "http/error_map.h"
#include "http/form.h"
#include "http/handlers/context.h"
#include "http/handlers/reminder_offer.h"
#include "http/json_body.h"
#include "http/views/screening_views.h"

namespace parcours::http {
namespace {

namespace json = boost::json;

// Where each field of the opt-in shows its error: view key and anchor.
const std::map<std::string, std::pair<const char*, const char*>>& ReminderFields() {
  static const std::map<std::string, std::pair<const char*, const char*>> kFields = {
      {"channels", {"rm_channels_error", "rm-by-email"}},
      {"email", {"rm_email_error", "rm-email"}},
      {"phone", {"rm_phone_error", "rm-phone"}},
      {"consent", {"rm_consent_error", "rm-consent"}},
  };
  return kFields;
}

// The SMS text as the parent will receive it (templates/mail/
// reminder.sms.mustache), links shown as placeholders: the page quotes the
// very catalog texts the message is made of.
std::string SampleText(const PageTexts& t) {
  return t("sms_reminder") + " " + t("rmd_sample_site") + " " + t("sms_reminder_stop") + " " +
         t("rmd_sample_stop");
}

app::ReminderOptIn ReadOptInForm(const FormData& f, const std::string& lang) {
  app::ReminderOptIn in;
  in.screening_id = f.Value("screening_id");
  for (const auto& c : f.All("channels")) {
    if (c == "email") in.by_email = true;
    if (c == "sms") in.by_sms = true;
  }
  in.email = f.Value("email");
  in.phone = f.Value("phone");
  in.consent = f.Value("consent") == "yes";
  in.language = lang;
  return in;
}

// {"channels":["email","sms"],"email","phone","consent":true,"language"}.
app::ReminderOptIn ReadOptInJson(const json::object& o, const std::string& screening_id) {
  app::ReminderOptIn in;
  in.screening_id = screening_id;
  auto text = [&](const char* key, std::string& out) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return;
    if (v->is_string()) {
      out = std::string(v->as_string());
    } else {
      in.unreadable.Add(key, "must be a string");
    }
  };
  text("email", in.email);
  text("phone", in.phone);
  text("language", in.language);
  if (const json::value* c = o.if_contains("channels")) {
    bool readable = c->is_array();
    if (readable) {
      for (const auto& x : c->as_array()) {
        if (x == "email") {
          in.by_email = true;
        } else if (x == "sms") {
          in.by_sms = true;
        } else {
          readable = false;
        }
      }
    }
    if (!readable) in.unreadable.Add("channels", "an array of \"email\" and/or \"sms\"");
  }
  if (const json::value* c = o.if_contains("consent")) {
    if (c->is_bool()) {
      in.consent = c->as_bool();
    } else {
      in.unreadable.Add("consent", "must be a boolean");
    }
  }
  if (!in.language.empty() && in.language != "fr" && in.language != "en") {
    in.unreadable.Add("language", "fr or en");
  }
  return in;
}

json::object ReceiptJson(const app::ReminderReceipt& r) {
  json::array channels;
  if (r.reminder.channels.find("email") != std::string::npos) channels.push_back("email");
  if (r.reminder.channels.find("sms") != std::string::npos) channels.push_back("sms");
  return json::object{{"id", r.reminder.id},
                      {"status", r.reminder.status},
                      {"channels", std::move(channels)},
                      {"language", r.reminder.language},
                      {"send_at", r.reminder.due_at},
                      {"already_requested", r.already_requested}};
}

std::string TimeZoneOf(const WebContext& ctx, const std::string& territory_code) {
  const domain::Territory* t = ctx.pathway->territories().Find(territory_code);
  return t != nullptr ? t->time_zone : ctx.pathway->territories().outside().time_zone;
}

Response OptInPost(WebContext& ctx, const Request& req, const std::string& lang) {
  auto form = ParseForm(req.body);
  if (!form.ok()) return ctx.ErrorPage(req, 400);
  const app::ReminderOptIn in = ReadOptInForm(*form, lang);
  if (!ctx.results->CheckForm(form->Value("form_token"), in.screening_id)) {
    return ctx.ErrorPage(req, 403);
  }
  const PageTexts t(*ctx.catalogs, lang, WebContext::Prefix(lang));
  auto receipt = ctx.reminders->OptIn(in);
  json::object v;
  v["quick_exit_token"] = ctx.results->ResultToken(in.screening_id, false);
  if (receipt.ok()) {
    const auto& r = receipt->reminder;
    v["already"] = receipt->already_requested;
    v["when"] = t.Fill("rmd_done_text",
                       {{"when", t.LocalTime(TimeZoneOf(ctx, r.territory_code), r.due_at)}});
    v["retake_href"] = t.prefix() + "/depistage";
    return ctx.Page(req, lang, "reminder_done", "rmd_done_title", std::move(v), 201);
  }
  const Status& st = receipt.status();
  if (st.code() != StatusCode::kInvalidArgument && st.code() != StatusCode::kConflict) {
    return ctx.Error(req, st);
  }
  auto screening = ctx.screenings->Find(in.screening_id);
  v["retake_href"] = t.prefix() + "/depistage";
  v["form_token"] = ctx.results->FormToken(in.screening_id);
  if (screening.ok()) AddReminderOffer(ctx, t, *screening, &*form, &st, v);
  if (!v.contains("reminder")) AddError(v, "contenu", t("rmd_err_reminder"));
  return ctx.Page(req, lang, "reminder_page", "rmd_heading", std::move(v), 400);
}

// The opt-out page: GET shows what a POST would do; POST does it.
Response OptOut(WebContext& ctx, const Request& req, const std::string& lang, bool post) {
  auto q = ParseForm(req.query);
  std::string token = q.ok() ? q->Value("t") : "";
  if (post && token.empty()) {
    auto body = ParseForm(req.body);
    if (body.ok()) token = body->Value("t");
  }
  json::object v;
  v["token"] = token;
  Result<storage::ReminderRecord> r =
      post ? ctx.reminders->OptOut(token) : ctx.reminders->FindByToken(token);
  if (!r.ok()) {
    if (r.status().code() != StatusCode::kNotFound) return ctx.Error(req, r.status());
    v["unknown"] = true;
    return ctx.Page(req, lang, "reminder_stop", "rmd_optout_title", std::move(v), 404);
  }
  if (post) {
    v["done"] = true;
  } else if (r->status == "scheduled") {
    v["confirm"] = true;
  } else {
    v["finished"] = true;
  }
  return ctx.Page(req, lang, "reminder_stop", "rmd_optout_title", std::move(v));
}

}  // namespace

void AddReminderOffer(const WebContext& ctx, const PageTexts& t, const app::ScreeningOutcome& s,
                      const FormData* typed, const Status* error, json::object& view) {
  if (ctx.reminders == nullptr) return;
  const auto send_at = ctx.reminders->SendTime(s);
  if (!send_at) return;
  json::object o;
  o["rm_action"] = t.prefix() + "/rappel/inscription";
  o["rm_screening_id"] = s.record.id;
  o["rm_intro"] = t.Fill("rmd_intro", {{"when", t.LocalTime(s.territory->time_zone, *send_at)}});
  o["rm_sample"] = SampleText(t);
  // Only the channels this installation sends by.
  o["rm_email_on"] = ctx.reminders->email_on();
  o["rm_sms_on"] = ctx.reminders->sms_on();
  if (typed != nullptr) {
    for (const auto& c : typed->All("channels")) {
      if (c == "email") o["rm_by_email"] = true;
      if (c == "sms") o["rm_by_sms"] = true;
    }
    o["rm_email"] = typed->Value("email");
    o["rm_phone"] = typed->Value("phone");
    o["rm_consent"] = typed->Value("consent") == "yes";
  }
  if (error != nullptr) {
    std::vector<FieldError> errors = error->field_errors();
    if (errors.empty()) errors.push_back(FieldError{error->field(), error->message()});
    for (const FieldError& e : errors) {
      auto it = ReminderFields().find(e.field);
      const std::string message =
          it != ReminderFields().end() ? t("rmd_err_" + e.field) : t("rmd_err_reminder");
      if (it != ReminderFields().end()) o[it->second.first] = message;
      AddError(view, it != ReminderFields().end() ? it->second.second : "contenu", message);
    }
  }
  view["reminder"] = std::move(o);
}

void RegisterReminderRoutes(Router& r, WebContext& ctx) {
  AddPage(r, ctx, "POST", "/rappel/inscription",
          [&ctx](Request& req, const std::string& lang) { return OptInPost(ctx, req, lang); });
  AddPage(r, ctx, "GET", "/rappel/arret", [&ctx](Request& req, const std::string& lang) {
    return OptOut(ctx, req, lang, /*post=*/false);
  });
  AddPage(r, ctx, "POST", "/rappel/arret", [&ctx](Request& req, const std::string& lang) {
    return OptOut(ctx, req, lang, /*post=*/true);
  });
  r.Add("POST", "/api/v1/screenings/{id}/reminders", RouteAccess::Public(), [&ctx](Request& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return JsonError(body.status());
    auto out = ctx.reminders->OptIn(ReadOptInJson(*body, req.path_params.at("id")));
    if (!out.ok()) return JsonError(out.status());
    return JsonResponse(out->already_requested ? 200 : 201, ReceiptJson(*out));
  });
}

}  // namespace parcours::http
