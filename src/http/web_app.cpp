#include "http/web_app.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <exception>

#include "app/alerts/alert_feed.h"
#include "app/alerts/alert_reports.h"
#include "app/alerts/alert_service.h"
#include "app/alerts/escalation.h"
#include "app/auth/account_service.h"
#include "app/auth/auth_service.h"
#include "app/auth/password_hasher.h"
#include "app/consultation/consultation_service.h"
#include "app/demo_mode.h"
#include "app/directory/directory_search.h"
#include "app/geography.h"
#include "app/notify/alert_notices.h"
#include "app/notify/reminder_service.h"
#include "app/notify/scheduler.h"
#include "app/pathway_config.h"
#include "app/recontact_gate.h"
#include "app/records/record_service.h"
#include "app/records/referral_service.h"
#include "app/screening/recontact_service.h"
#include "app/screening/screening_service.h"
#include "core/log.h"
#include "http/handlers/context.h"
#include "http/views/mail_renderer.h"

namespace parcours::http {
namespace {

// Strict CSP: no inline script or style, nothing from another origin.
constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'";

void AddSecurityHeaders(Response& r, int hsts_max_age) {
  if (hsts_max_age > 0) {
    r.SetHeader("Strict-Transport-Security",
                "max-age=" + std::to_string(hsts_max_age) + "; includeSubDomains");
  }
  if (!r.HasHeader("Content-Security-Policy")) r.SetHeader("Content-Security-Policy", kCsp);
  if (!r.HasHeader("X-Frame-Options")) {
    // Embeddable pages set their own frame-ancestors and no X-Frame-Options.
    std::string csp;
    for (const auto& [k, v] : r.headers) {
      if (k == "Content-Security-Policy") csp = v;
    }
    if (csp.find("frame-ancestors 'none'") != std::string::npos) {
      r.SetHeader("X-Frame-Options", "DENY");
    }
  }
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("Referrer-Policy", "no-referrer");
  r.SetHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  r.SetHeader("Cross-Origin-Opener-Policy", "same-origin");
  r.SetHeader("Cross-Origin-Resource-Policy", "same-origin");
  if (!r.HasHeader("Cache-Control")) r.SetHeader("Cache-Control", "no-store");
}

}  // namespace

struct WebApp::Impl {
  WebContext ctx;
  Router router;
  std::unique_ptr<RequestGuard> guard;
};

WebApp::WebApp() : impl_(std::make_unique<Impl>()) {}
WebApp::~WebApp() = default;

Result<std::unique_ptr<WebApp>> WebApp::Create(const WebOptions& options, storage::Storage& storage,
                                               app::Clock& clock, app::Random& random,
                                               const app::Sealer& sealer) {
  auto app = std::unique_ptr<WebApp>(new WebApp());
  app->impl_->guard = std::make_unique<RequestGuard>(options.guard);
  WebContext& ctx = app->impl_->ctx;
  ctx.options = options;
  ctx.storage = &storage;
  ctx.clock = &clock;
  ctx.random = &random;
  auto catalogs = Catalogs::Load(options.share_dir + "/data/i18n");
  if (!catalogs.ok()) return catalogs.status();
  ctx.catalogs = std::move(*catalogs);
  auto renderer = Renderer::Load(options.share_dir + "/templates", *ctx.catalogs);
  if (!renderer.ok()) return renderer.status();
  ctx.renderer = std::move(*renderer);
  auto assets = StaticAssets::Load(options.share_dir + "/node_modules/@gouvfr/dsfr/dist",
                                   options.dsfr_version, options.share_dir + "/static");
  if (!assets.ok()) return assets.status();
  ctx.assets = std::move(*assets);
  auto pathway = app::PathwayConfig::Load(options.share_dir);
  if (!pathway.ok()) return pathway.status();
  ctx.pathway = std::make_unique<app::PathwayConfig>(std::move(*pathway));
  auto directory = app::DirectorySearch::Create(storage);
  if (!directory.ok()) return directory.status();
  ctx.directory = std::move(*directory);
  ctx.communes = ctx.directory.get();
  ctx.sealer = &sealer;
  {
    // Outgoing messages: texts, the alert circuit's messages, the jobs.
    const std::string from = app::AddressOf(options.notify.smtp.from);
    const auto at = from.find('@');
    auto mail = MailRenderer::Load(options.share_dir, options.public_url,
                                   at == std::string::npos ? "" : from.substr(at + 1));
    if (!mail.ok()) return mail.status();
    ctx.mail_renderer = std::move(*mail);
    ctx.notices = std::make_unique<app::AlertNotices>(*ctx.pathway, sealer, clock, random);
    ctx.scheduler = std::make_unique<app::Scheduler>(
        clock, std::chrono::seconds(std::max(1, options.scheduler_interval)));
    app::JobContext jobs{storage,       sealer, clock, random, *ctx.pathway, *ctx.mail_renderer,
                         options.notify};
    jobs.remind.public_url = options.public_url;
    jobs.remind.digest_hour = options.digest_hour;
    jobs.remind.retention.alert_contact_days = options.retention_alert_contact_days;
    jobs.remind.retention.reminder_days = options.retention_reminder_days;
    jobs.remind.retention.outbox_days = options.retention_outbox_days;
    for (auto& j : app::RegisterJobs(jobs)) {
      ctx.scheduler->Add(std::move(j.job), j.on_nudge);
    }
    app::Scheduler* scheduler = ctx.scheduler.get();
    ctx.notices->SetOnEnqueued([scheduler] { scheduler->Nudge(); });
    if (options.notify.email_on() && options.public_url.empty()) {
      log::Warn("public-url is not set: links in e-mails are paths without the site's address");
    }
  }
  ctx.demo = std::make_unique<app::DemoMode>(storage, *ctx.pathway, clock);
  ctx.recontact_gate = std::make_unique<app::RecontactGate>(ctx.demo.get(), &storage);
  ctx.screenings = std::make_unique<app::ScreeningService>(*ctx.pathway, storage, clock, random,
                                                           *ctx.communes, *ctx.recontact_gate);
  ctx.recontacts =
      std::make_unique<app::RecontactService>(*ctx.screenings, storage, clock, random, sealer);
  ctx.recontacts->SetFloodThreshold(options.flood_threshold);
  ctx.recontacts->SetNotices(ctx.notices.get());
  ctx.results = std::make_unique<ResultAccess>(sealer, clock);

  app::PasswordHasher::Options hash_options;
  hash_options.max_concurrent = options.password_hash_concurrency;
  ctx.hasher = std::make_unique<app::PasswordHasher>(hash_options);
  ctx.auth = std::make_unique<app::AuthService>(storage, clock, random, sealer, *ctx.hasher);
  std::vector<std::string> territory_codes;
  for (const auto& t : ctx.pathway->territories().all()) {
    if (!t.outside()) territory_codes.push_back(t.code);
  }
  ctx.accounts = std::make_unique<app::AccountService>(storage, clock, random, sealer, *ctx.hasher,
                                                       *ctx.auth, std::move(territory_codes));
  {
    app::Scheduler* scheduler = ctx.scheduler.get();
    ctx.accounts->SetMailLinks(options.notify.email_on(), [scheduler] { scheduler->Nudge(); });
  }
  ctx.alerts = std::make_unique<app::AlertService>(*ctx.pathway, *ctx.recontact_gate, storage,
                                                   clock, random, sealer);
  app::AlertFeed::Options feed_options;
  feed_options.poll_interval = std::chrono::milliseconds(options.alert_poll_ms);
  ctx.alert_feed = std::make_unique<app::AlertFeed>(storage, feed_options);
  PARCOURS_RETURN_IF_ERROR(ctx.alert_feed->Start());
  app::AlertFeed* feed = ctx.alert_feed.get();
  ctx.alerts->SetOnEvent([feed] { feed->Nudge(); });
  ctx.alerts->SetDirectory(ctx.directory.get());
  ctx.recontacts->SetOnAlertRaised([feed] { feed->Nudge(); });
  ctx.reports = std::make_unique<app::AlertReports>(*ctx.alerts, *ctx.pathway, *ctx.recontact_gate,
                                                    *ctx.communes, storage, clock, random, sealer);
  ctx.reports->SetFloodThreshold(options.flood_threshold);
  ctx.reports->SetNotices(ctx.notices.get());
  ctx.reports->SetOnAlertRaised([feed] { feed->Nudge(); });
  ctx.escalation = std::make_unique<app::AlertEscalation>(*ctx.pathway, storage, clock, random);
  ctx.escalation->SetNotices(ctx.notices.get());
  if (options.escalation_interval > 0) {
    ctx.escalation->StartPeriodic(std::chrono::seconds(options.escalation_interval),
                                  [feed] { feed->Nudge(); });
  }
  ctx.consultations = std::make_unique<app::ConsultationService>(
      *ctx.pathway, storage, clock, random, *ctx.communes, ctx.directory.get());

  ctx.records = std::make_unique<app::RecordService>(storage, clock, random, sealer,
                                                     ctx.pathway->defaults().timing());
  ctx.referrals = std::make_unique<app::ReferralService>(storage, clock, random, sealer);
  ctx.reminders = std::make_unique<app::ReminderService>(*ctx.screenings, storage, clock, random,
                                                         sealer, options.public_url);
  ctx.reminders->SetChannels(options.notify.email_on(), options.notify.sms_on());

  if (options.scheduler) ctx.scheduler->Start();

  Router& r = app->impl_->router;
  RegisterSystemRoutes(r, ctx);
  RegisterPageRoutes(r, ctx);
  RegisterScreeningApiRoutes(r, ctx);
  RegisterScreeningPageRoutes(r, ctx);
  RegisterDirectoryRoutes(r, ctx);
  RegisterQuickExitRoutes(r, ctx);
  RegisterAuthRoutes(r, ctx);
  RegisterAccountRoutes(r, ctx);
  RegisterRecordRoutes(r, ctx);
  RegisterAlertApiRoutes(r, ctx);
  RegisterAlertPageRoutes(r, ctx);
  RegisterAlertReportRoutes(r, ctx);
  RegisterConsultationRoutes(r, ctx);
  RegisterFhirRoutes(r, ctx);
  RegisterMessageRoutes(r, ctx);
  RegisterReminderRoutes(r, ctx);
  return app;
}

Response WebApp::Handle(Request& req) {
  const Router::Match m = impl_->router.Find(req);
  if (auto refused = Screen(req, m)) return std::move(*refused);
  return Serve(req, m);
}

std::optional<Response> WebApp::AnswerInline(Request& req) {
  const Router::Match m = impl_->router.Find(req);
  if (auto refused = Screen(req, m)) return refused;
  if (m.handler && m.inline_safe) return Serve(req, m);
  return std::nullopt;
}

std::optional<Response> WebApp::Screen(Request& req, const Router::Match& m) {
  if (!m.handler) return std::nullopt;  // 404 / 405: Serve answers
  std::optional<Response> refused;
  try {
    refused = impl_->guard->Check(req, impl_->ctx, std::chrono::steady_clock::now());
  } catch (const std::exception& e) {
    refused = Failed(req, e);
  }
  if (refused) Finish(req, *refused);
  return refused;
}

Response WebApp::Serve(Request& req, const Router::Match& m) {
  WebContext& ctx = impl_->ctx;
  Response resp;
  try {
    if (m.handler) {
      // Routes that are not public: session, role and CSRF (the origin and
      // rate-limit guard ran before, in Screen).
      std::optional<Response> refused;
      if (m.access) refused = GuardRoute(ctx, req, *m.access);
      resp = refused ? std::move(*refused) : (*m.handler)(req);
    } else if (!m.allowed.empty()) {
      req.route = "(method not allowed)";
      resp = ctx.Error(req, 405);
      std::string allow;
      for (const auto& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
      resp.SetHeader("Allow", allow);
    } else {
      req.route = "(not found)";
      resp = ctx.Error(req, 404);
    }
  } catch (const std::exception& e) {
    resp = Failed(req, e);
  }
  Finish(req, resp);
  return resp;
}

Response WebApp::Failed(const Request& req, const std::exception& e) {
  log::Error("handler threw", {{"request_id", req.request_id},
                               {"route", req.route},
                               {"error", std::string_view(e.what())}});
  return impl_->ctx.Error(req, 500);
}

void WebApp::Finish(const Request& req, Response& resp) {
  AddSecurityHeaders(resp, impl_->ctx.options.hsts_max_age);
  resp.SetHeader("X-Request-Id", req.request_id);
  // Demo data loaded: API clients see it on every response (README).
  if (req.path.starts_with("/api/") && impl_->ctx.DemoLoaded()) {
    resp.SetHeader("Parcours-Demo", "true");
  }
}

std::vector<Router::RouteInfo> WebApp::Routes() const { return impl_->router.Routes(); }

void WebApp::ObserveServer(const Server& server) { impl_->ctx.server = &server; }

Handlers WebApp::MakeHandlers() {
  Handlers h;
  h.answer_inline = [this](Request& req) { return AnswerInline(req); };
  // On a worker: the route AnswerInline found, without matching it again.
  h.handle = [this](Request& req) { return Serve(req, impl_->router.Found(req)); };
  h.refusal = [this](const Request& req, int status) {
    Response r = impl_->ctx.Error(req, status);
    Finish(req, r);  // security headers and X-Request-Id, as on every answer
    return r;
  };
  h.on_done = [this](const Request& req, const Response& resp, double secs) {
    impl_->ctx.metrics.Record(req.route.empty() ? "(none)" : req.route, req.method, resp.status,
                              secs);
    log::Info("request", {{"request_id", req.request_id},
                          {"method", Metrics::MethodLabel(req.method)},
                          {"route", req.route},
                          {"status", static_cast<std::int64_t>(resp.status)},
                          {"duration_ms", secs * 1000.0},
                          {"bytes", static_cast<std::int64_t>(resp.BodySize())}});
  };
  return h;
}

}  // namespace parcours::http
