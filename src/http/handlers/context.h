// What handlers share: the app's services plus page-rendering helpers.
// Handlers register their routes from one function per family
// (Register*Routes), so web_app.cpp stays a list.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/error_map.h"
#include "http/i18n.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/result_access.h"
#include "http/router.h"
#include "http/static_assets.h"
#include "http/views/renderer.h"
#include "http/web_app.h"

namespace parcours::app {
class PathwayConfig;
class CommuneLookup;
class ScreeningService;
class RecontactService;
class Sealer;
class DirectorySearch;
class DemoMode;
class RecontactGate;
class PasswordHasher;
class AuthService;
class AccountService;
class RecordService;
class ReferralService;
class AlertService;
class AlertFeed;
class AlertEscalation;
class AlertReports;
class ConsultationService;
class MessageRenderer;
class AlertNotices;
class Scheduler;
class ReminderService;
}  // namespace parcours::app

namespace parcours::http {

struct WebContext {
  WebOptions options;
  storage::Storage* storage = nullptr;
  app::Clock* clock = nullptr;
  app::Random* random = nullptr;
  std::unique_ptr<Catalogs> catalogs;
  std::unique_ptr<Renderer> renderer;
  std::unique_ptr<StaticAssets> assets;
  Metrics metrics;
  // The HTTP server, for its gauges on /metrics (null in tests that call
  // the app directly). Set before the server runs.
  const Server* server = nullptr;
  // Pathway use cases (screening, recontact) and their configuration.
  std::unique_ptr<app::PathwayConfig> pathway;
  const app::CommuneLookup* communes = nullptr;  // the directory's, in memory
  std::unique_ptr<app::ScreeningService> screenings;
  std::unique_ptr<app::RecontactService> recontacts;
  const app::Sealer* sealer = nullptr;
  // Directory search (nearest help), kept in memory.
  std::unique_ptr<app::DirectorySearch> directory;
  // Demo mode (notice on every page, /healthz, API header) and the one
  // decision on whether a territory takes recontact requests.
  std::unique_ptr<app::DemoMode> demo;
  std::unique_ptr<app::RecontactGate> recontact_gate;
  // Outgoing messages (issue 12): their texts, the alert circuit's
  // messages, and the scheduler running the jobs (the outbox sender…).
  // Declared before the services that use them, so it outlives their threads.
  std::unique_ptr<app::MessageRenderer> mail_renderer;
  std::unique_ptr<app::AlertNotices> notices;
  std::unique_ptr<app::Scheduler> scheduler;

  // True while demo data is loaded (app/demo_mode.h).
  bool DemoLoaded() const;
  // Form tokens, result pages by post-redirect-get, quick exit.
  std::unique_ptr<ResultAccess> results;
  // Accounts, sessions and the audit log of the professional side.
  std::unique_ptr<app::PasswordHasher> hasher;
  std::unique_ptr<app::AuthService> auth;
  std::unique_ptr<app::AccountService> accounts;
  // Follow-up records, share codes and referrals (issue 13).
  std::unique_ptr<app::RecordService> records;
  std::unique_ptr<app::ReferralService> referrals;
  // The alert circuit (issue 11): inbox, commands, the live feed of events
  // (server-sent events) and the escalation sweep.
  std::unique_ptr<app::AlertService> alerts;
  std::unique_ptr<app::AlertFeed> alert_feed;
  std::unique_ptr<app::AlertEscalation> escalation;
  // Alerts from professionals and third parties, and a professional's own list.
  std::unique_ptr<app::AlertReports> reports;
  // Consultation screenings of the professional side (issue 13).
  std::unique_ptr<app::ConsultationService> consultations;
  // Parents' reminders to screen again (issue 12).
  std::unique_ptr<app::ReminderService> reminders;

  // Language of a page route: "/" pages are French; "/{lang}/..." others.
  // nullopt when {lang} is not a known catalog.
  std::optional<std::string> PageLanguage(const Request& req) const;
  // URL prefix of a language ("" for French).
  static std::string Prefix(const std::string& lang);
  // Path of the current page without its language prefix ("/accessibilite").
  static std::string PagePath(const Request& req);

  // Renders `tmpl` with `view` (must be an object; gets "t" and "prefix"
  // added), wrapped in the layout. Sets no-store caching.
  Response Page(const Request& req, const std::string& lang, const std::string& tmpl,
                const std::string& title_key, boost::json::value view, int status = 200,
                bool parent_page = true) const;

  // An HTML error page in the request's language (404, 405, 413, 500...).
  Response ErrorPage(const Request& req, int status) const;
  // JSON error on /api/, HTML page elsewhere.
  Response Error(const Request& req, const Status& st) const;
  Response Error(const Request& req, int status) const;

  // A page of the professional side (French only, no quick exit): the
  // layout's navigation lists what the caller's role can do.
  Response ProPage(const Request& req, const std::string& tmpl, const std::string& title_key,
                   boost::json::value view, int status = 200) const;
};

// 303 See Other to `location` (post-redirect-get), no body.
Response SeeOther(const std::string& location);
// The plain-text 500 answered when template `tmpl` fails to render (logged).
Response RenderFailure(std::string_view tmpl, const Status& st);
// A page rendered by the layout template: `status` and its Content-Language,
// or RenderFailure when it failed.
Response LayoutResponse(int status, const std::string& lang, Result<std::string> html);

// A page handler, given the language of its URL.
using PageFn = std::function<Response(Request&, const std::string& lang)>;
// Registers a page at `path` (French) and at "/{lang}" + path (other
// languages; "/" becomes "/{lang}"); an unknown {lang} gets the 404 page.
void AddPage(Router& r, WebContext& ctx, const std::string& method, const std::string& path,
             PageFn fn);

void RegisterSystemRoutes(Router& r, WebContext& ctx);         // healthz, metrics, static
void RegisterPageRoutes(Router& r, WebContext& ctx);           // information pages
void RegisterScreeningApiRoutes(Router& r, WebContext& ctx);   // /api/v1 screening, recontact
void RegisterScreeningPageRoutes(Router& r, WebContext& ctx);  // parent journey pages
void RegisterDirectoryRoutes(Router& r, WebContext& ctx);      // nearest help: page and API
void RegisterQuickExitRoutes(Router& r, WebContext& ctx);      // /sortie
void RegisterAuthRoutes(Router& r, WebContext& ctx);           // session API, login, enrolment
void RegisterAccountRoutes(Router& r, WebContext& ctx);        // accounts, links, audit log
void RegisterRecordRoutes(Router& r, WebContext& ctx);         // follow-up records, referrals, FHIR
void RegisterConsultationRoutes(Router& r, WebContext& ctx);   // /pro/consultations and API
void RegisterFhirRoutes(Router& r, WebContext& ctx);           // /fhir/Questionnaire/epds
void RegisterAlertApiRoutes(Router& r, WebContext& ctx);       // /api/v1/alerts*
void RegisterMessageRoutes(Router& r, WebContext& ctx);        // /pro/messages (issue 12)
void RegisterAlertPageRoutes(Router& r, WebContext& ctx);      // /pro/alertes*
void RegisterAlertReportRoutes(Router& r, WebContext& ctx);  // /signaler, /pro/alertes/nouvelle…
void RegisterReminderRoutes(Router& r, WebContext& ctx);     // /rappel/inscription, /rappel/arret

// Session guard of non-public routes (see RouteAccess): on success fills
// req.principal and friends and returns nullopt; otherwise the response to
// send (401 without a valid session, 403 for a role not allowed or a
// missing / wrong CSRF token on a state-changing method).
std::optional<Response> GuardRoute(const WebContext& ctx, Request& req, const RouteAccess& access);

// The session cookie: its value in a request, and the Set-Cookie headers
// that open and close it (HttpOnly, SameSite=Strict, Secure over TLS).
inline constexpr const char* kSessionCookie = "parcours_session";
std::string SessionCookieValue(const Request& req);
std::string SetSessionCookie(const Request& req, const std::string& token);
std::string ClearSessionCookie(const Request& req);

}  // namespace parcours::http
