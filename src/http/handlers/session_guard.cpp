// The session guard of non-public routes, the session cookie, and the
// layout of the professional pages.
#include <boost/json.hpp>

#include "app/auth/access_rules.h"
#include "app/auth/auth_service.h"
#include "app/auth/secret_token.h"
#include "core/log.h"
#include "http/cookie.h"
#include "http/form.h"
#include "http/handlers/context.h"
#include "http/handlers/fhir.h"
#include "http/views/page_view.h"

namespace parcours::http {
namespace {

bool OverTls(const Request& req) { return req.Header("x-forwarded-proto") == "https"; }

std::string CookieAttributes(const Request& req) {
  std::string a = "; Path=/; HttpOnly; SameSite=Strict";
  if (OverTls(req)) a += "; Secure";
  return a;
}

bool StateChanging(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// FHIR clients read errors as OperationOutcome resources, never pages.
bool Fhir(const Request& req) { return req.path.starts_with("/fhir/"); }

Response Unauthenticated(const WebContext& ctx, const Request& req) {
  if (Fhir(req)) return FhirOutcome(401, "login", "a valid session is required");
  if (req.path.starts_with("/api/")) {
    return JsonError(401, "unauthenticated", "a valid session is required");
  }
  boost::json::object view;
  view["login_href"] = "/pro/connexion";
  return ctx.ProPage(req, "pro_unauthenticated", "pro_unauth_title", std::move(view), 401);
}

Response Forbidden(const WebContext& ctx, const Request& req, std::string_view code,
                   std::string_view message) {
  if (Fhir(req)) return FhirOutcome(403, "forbidden", std::string(message));
  if (req.path.starts_with("/api/")) return JsonError(403, code, message);
  return ctx.ErrorPage(req, 403);
}

Response SeeOther(const std::string& location) {
  Response r;
  r.status = 303;
  r.SetHeader("Location", location);
  return r;
}

}  // namespace

std::string SessionCookieValue(const Request& req) {
  return std::string(CookieValue(req.Header("cookie"), kSessionCookie));
}

std::string SetSessionCookie(const Request& req, const std::string& token) {
  return std::string(kSessionCookie) + "=" + token + CookieAttributes(req);
}

std::string ClearSessionCookie(const Request& req) {
  return std::string(kSessionCookie) + "=" + CookieAttributes(req) + "; Max-Age=0";
}

std::optional<Response> GuardRoute(const WebContext& ctx, Request& req, const RouteAccess& access) {
  if (access.is_public()) return std::nullopt;
  auto session = ctx.auth->Authenticate(SessionCookieValue(req));
  if (!session.ok()) {
    if (session.status().code() == StatusCode::kUnauthenticated) {
      Response r = Unauthenticated(ctx, req);
      if (!SessionCookieValue(req).empty()) r.SetHeader("Set-Cookie", ClearSessionCookie(req));
      return r;
    }
    return ctx.Error(req, session.status());
  }
  const bool enrolment_route = access.kind == RouteAccess::Kind::kEnrolment;
  const bool enrolment_session = session->stage == app::kStageEnrolment;
  if (enrolment_route != enrolment_session) {
    if (req.path.starts_with("/api/") || Fhir(req)) return Unauthenticated(ctx, req);
    // A half-open session goes on with its enrolment; a full one has none.
    return SeeOther(enrolment_session ? "/pro/enrolement" : "/pro");
  }
  Status allowed = domain::CheckAccess(access.rule, &session->principal);
  if (!allowed.ok()) return Forbidden(ctx, req, "forbidden", allowed.message());
  if (StateChanging(req.method)) {
    std::string token(req.Header("x-csrf-token"));
    if (token.empty() &&
        req.Header("content-type").starts_with("application/x-www-form-urlencoded")) {
      auto form = ParseForm(req.body);
      if (form.ok()) token = form->Value("csrf_token");
    }
    if (!app::SecretEquals(token, session->csrf_token)) {
      log::Warn("csrf refused", {{"request_id", req.request_id}, {"route", req.route}});
      return Forbidden(ctx, req, "csrf", "missing or wrong CSRF token");
    }
  }
  req.principal = std::make_shared<const domain::Principal>(session->principal);
  req.csrf_token = session->csrf_token;
  req.session_stage = session->stage;
  req.session_name = session->name;
  return std::nullopt;
}

Response WebContext::ProPage(const Request& req, const std::string& tmpl,
                             const std::string& title_key, boost::json::value view,
                             int status) const {
  const std::string lang = Catalogs::kDefaultLanguage;
  if (!view.is_object()) view = boost::json::object();
  auto& o = view.as_object();
  o["prefix"] = "";
  o["home_href"] = "/pro";
  o["csrf_token"] = req.csrf_token;
  const bool signed_in = req.principal && req.session_stage == app::kStageFull;
  o["signed_in"] = signed_in;
  o["user_name"] = req.session_name;
  std::string page_script;
  if (const auto* ps = o.if_contains("page_script"); ps != nullptr && ps->is_string()) {
    page_script = std::string(ps->as_string());
  }
  auto body = renderer->Render(tmpl, lang, view);
  if (!body.ok()) return RenderFailure(tmpl, body.status());
  LayoutView layout;
  layout.lang = lang;
  layout.title = catalogs->Get(lang, title_key);
  layout.dsfr_css_url = assets->dsfr_css_url();
  layout.app_css_url = assets->app_css_url();
  layout.dsfr_prefix = assets->dsfr_prefix();
  layout.parent_page = false;
  layout.content_html = std::move(*body);
  if (!page_script.empty()) layout.page_js_url = assets->Url(page_script);
  if (signed_in) {
    // Only what the role can do, and only what exists.
    struct Entry {
      const char* path;
      const char* key;
      const domain::AccessRule* rule;
    };
    static const Entry kEntries[] = {
        {"/pro", "pro_nav_home", &app::access::kSelf},
        {"/pro/comptes", "pro_nav_accounts", &app::access::kUsersRead},
        {"/pro/journal", "pro_nav_audit", &app::access::kAuditSearch},
        {"/pro/dossiers", "pro_nav_records", &app::access::kRecordsRead},
        {"/pro/orientations", "pro_nav_referrals", &app::access::kReferralsSend},
        {"/pro/orientations/recues", "pro_nav_referrals_inbox", &app::access::kReferralsReceive},
        {"/pro/alertes", "pro_nav_alerts", &app::access::kAlertsRead},
        {"/pro/mes-signalements", "pro_nav_my_alerts", &app::access::kAlertsRaise},
        {"/pro/consultations", "pro_nav_consultations", &app::access::kConsultationsCreate},
        {"/pro/messages", "pro_nav_messages", &app::access::kMessagesRead},
    };
    for (const Entry& e : kEntries) {
      if (!domain::CheckAccess(*e.rule, req.principal.get()).ok()) continue;
      NavLink link;
      link.label = catalogs->Get(lang, e.key);
      link.href = e.path;
      link.current_page = req.path == e.path;
      link.current_section =
          !link.current_page && std::string(e.path) != "/pro" && InSection(req.path, e.path);
      layout.nav.push_back(std::move(link));
    }
  }
  auto json = layout.ToJson();
  json.as_object()["home_href"] = "/pro";
  return LayoutResponse(status, lang, renderer->Render("layout", lang, json));
}

}  // namespace parcours::http
