// Other sources of alerts (issue 11):
//   GET|POST /signaler (+ /{lang}/signaler)   a third party's report, public: same
//            protections as the recontact form (origin rule and per-address limit in
//            request_guard, a form token, the flood flag, RecontactGate)
//   GET|POST /pro/alertes/nouvelle[?consultation=ID]   a professional's alert
//   GET      /pro/mes-signalements                     the professional's own alerts
#include <boost/json.hpp>
#include <cstdio>

#include "app/alerts/alert_reports.h"
#include "app/auth/access_rules.h"
#include "app/pathway_config.h"
#include "domain/pathway/opening_hours.h"
#include "http/form.h"
#include "http/handlers/context.h"

namespace parcours::http {
namespace {

namespace json = boost::json;
using app::access::kAlertsRaise;

constexpr const char* kReportFormKey = "signaler";

std::string Tr(const WebContext& ctx, const std::string& lang, const std::string& key) {
  return ctx.catalogs->Get(lang, key);
}

std::string DayText(const domain::Territory& t, domain::TimestampMs ms) {
  const domain::LocalTime d = domain::ToLocal(t.time_zone, ms);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", d.day, d.month, d.year);
  return buf;
}

app::ReportInput ReadReport(const FormData& f) {
  app::ReportInput in;
  in.postcode = f.Value("postcode");
  in.territory_code = f.Value("territory");
  in.parent_name = f.Value("name");
  in.parent_phone = f.Value("phone");
  in.parent_email = f.Value("email");
  const std::string message = f.Value("may_leave_message");
  if (message == "yes") in.may_leave_message = true;
  if (message == "no") in.may_leave_message = false;
  in.caller_intro = app::ParseCallerIntro(f.Value("caller_intro"));
  in.reporter_name = f.Value("reporter_name");
  in.reporter_relation = f.Value("reporter_relation");
  in.reporter_phone = f.Value("reporter_phone");
  in.reporter_email = f.Value("reporter_email");
  in.reason = f.Value("reason");
  in.item10 = f.Value("item10") == "yes";
  if (auto u = f.Get("urgency"); u && !u->empty()) {
    in.urgency = domain::ParseUrgency(*u);
    if (!in.urgency) in.unreadable.Add("urgency", "must be immediate, 24h, 72h or 7d");
  }
  if (auto c = f.Get("consultation"); c && !c->empty()) in.consultation_id = *c;
  in.consent = f.Value("consent") == "yes";
  return in;
}

// The typed values back into the form, and the errors (field + reason) in
// the page's language.
void FillForm(const WebContext& ctx, const std::string& lang, const FormData* typed,
              const Status* error, json::object& v) {
  for (const char* k : {"postcode", "name", "phone", "email", "reporter_name", "reporter_relation",
                        "reporter_phone", "reporter_email", "reason", "consultation"}) {
    v[k] = typed ? typed->Value(k) : "";
  }
  v["message_yes"] = typed && typed->Value("may_leave_message") == "yes";
  v["message_no"] = typed && typed->Value("may_leave_message") == "no";
  v["item10"] = typed && typed->Value("item10") == "yes";
  if (error == nullptr) return;
  json::array errors;
  for (const auto& e : error->field_errors()) {
    std::string text = Tr(ctx, lang, "rep_err_" + e.field);
    if (text.empty() || text == "rep_err_" + e.field) text = e.message;
    errors.push_back(
        {{"anchor", e.field == "form_token" ? std::string("signalement") : "f-" + e.field},
         {"message", text}});
    v["err_" + e.field] = text;
  }
  if (errors.empty()) {
    errors.push_back({{"anchor", "contenu"}, {"message", error->message()}});
  }
  v["has_errors"] = true;
  v["errors"] = std::move(errors);
}

Response ReportPage(WebContext& ctx, const Request& req, const std::string& lang,
                    const FormData* typed, const Status* error, int status) {
  json::object v;
  v["action"] = WebContext::Prefix(lang) + "/signaler";
  v["form_token"] = ctx.results->FormToken(kReportFormKey);
  FillForm(ctx, lang, typed, error, v);
  return ctx.Page(req, lang, "report_form", "rep_title", std::move(v), status);
}

Response NewAlertPage(WebContext& ctx, const Request& req, const FormData* typed,
                      const Status* error, int status) {
  json::object v;
  FillForm(ctx, "fr", typed, error, v);
  if (!typed) {
    auto q = ParseForm(req.query);
    if (q.ok()) v["consultation"] = q->Value("consultation");
  }
  json::array territories;
  const std::string chosen = typed ? typed->Value("territory") : "";
  for (const auto& code : req.principal->territories) {
    const auto* t = ctx.pathway->territories().Find(code);
    territories.push_back(
        {{"value", code}, {"label", t ? t->Name("fr") : code}, {"selected", code == chosen}});
  }
  v["several_territories"] = territories.size() > 1;
  v["territory_options"] = std::move(territories);
  return ctx.ProPage(req, "pro_alert_new", "pro_alert_new_title", std::move(v), status);
}

}  // namespace

void RegisterAlertReportRoutes(Router& r, WebContext& ctx) {
  AddPage(r, ctx, "GET", "/signaler", [&ctx](Request& req, const std::string& lang) {
    return ReportPage(ctx, req, lang, nullptr, nullptr, 200);
  });

  AddPage(r, ctx, "POST", "/signaler", [&ctx](Request& req, const std::string& lang) {
    auto form = ParseForm(req.body);
    if (!form.ok()) return ctx.Error(req, form.status());
    if (!ctx.results->CheckForm(form->Value("form_token"), kReportFormKey)) {
      Status expired = Status::InvalidArgument("form_token", "the form expired: send it again");
      return ReportPage(ctx, req, lang, &*form, &expired, 400);
    }
    auto receipt = ctx.reports->FromThirdParty(ReadReport(*form));
    if (!receipt.ok()) {
      const Status& st = receipt.status();
      if (st.code() == StatusCode::kConflict && st.field() == "recontact") {
        // No team answers there: the numbers, and no promise.
        json::object v;
        v["closed"] = true;
        return ctx.Page(req, lang, "report_done", "rep_title", std::move(v), 409);
      }
      if (st.code() != StatusCode::kInvalidArgument) return ctx.Error(req, st);
      return ReportPage(ctx, req, lang, &*form, &st, 400);
    }
    json::object v;
    v["closed"] = false;
    const auto& t = *receipt->territory;
    v["territory"] = t.Name(lang);
    v["by_day"] = DayText(t, receipt->alert.deadline_at);
    return ctx.Page(req, lang, "report_done", "rep_title", std::move(v), 201);
  });

  r.Add("GET", "/pro/alertes/nouvelle", RouteAccess::Session(kAlertsRaise),
        [&ctx](Request& req) { return NewAlertPage(ctx, req, nullptr, nullptr, 200); });

  r.Add("POST", "/pro/alertes/nouvelle", RouteAccess::Session(kAlertsRaise), [&ctx](Request& req) {
    auto form = ParseForm(req.body);
    if (!form.ok()) return ctx.Error(req, form.status());
    auto receipt = ctx.reports->FromProfessional(*req.principal, ReadReport(*form));
    if (!receipt.ok()) {
      const Status& st = receipt.status();
      if (st.code() != StatusCode::kInvalidArgument) return ctx.Error(req, st);
      return NewAlertPage(ctx, req, &*form, &st, 400);
    }
    Response resp;
    resp.status = 303;
    resp.SetHeader("Location", "/pro/mes-signalements?fait=1");
    return resp;
  });

  r.Add("GET", "/pro/mes-signalements", RouteAccess::Session(kAlertsRaise), [&ctx](Request& req) {
    auto mine = ctx.reports->Mine(*req.principal);
    if (!mine.ok()) return ctx.Error(req, mine.status());
    json::array rows;
    for (const auto& item : *mine) {
      const auto& a = item.alert;
      json::object o;
      o["reference"] = a.reference;
      o["created"] = DayText(ctx.pathway->territories().Find(a.territory_code)
                                 ? *ctx.pathway->territories().Find(a.territory_code)
                                 : ctx.pathway->territories().outside(),
                             a.created_at);
      o["stage"] = Tr(ctx, "fr", "pro_alert_status_" + a.status);
      o["outcome"] =
          a.closed_outcome
              ? Tr(ctx, "fr",
                   "pro_alert_outcome_" + std::string(domain::ToString(*a.closed_outcome)))
              : std::string("—");
      rows.push_back(std::move(o));
    }
    json::object v;
    v["has_alerts"] = !rows.empty();
    v["alerts"] = std::move(rows);
    auto q = ParseForm(req.query);
    v["done"] = q.ok() && q->Value("fait") == "1";
    return ctx.ProPage(req, "pro_my_alerts", "pro_my_alerts_title", std::move(v));
  });
}

}  // namespace parcours::http
