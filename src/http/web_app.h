// The HTTP application: routes, pages, API, security headers, error pages,
// access logs and metrics. Thin: parses, calls app/ use cases, renders.
#pragma once

#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "app/notify/jobs.h"
#include "core/status.h"
#include "http/message.h"
#include "http/request_guard.h"
#include "http/router.h"
#include "http/server.h"

namespace parcours::app {
class Clock;
class Random;
class Sealer;
}  // namespace parcours::app
namespace parcours::storage {
class Storage;
}

namespace parcours::http {

struct WebOptions {
  std::string share_dir;  // holds templates/, data/, static/, node_modules/
  std::string dsfr_version = "1.15.3";
  // Public-surface hardening (request_guard.h), /metrics and HSTS.
  GuardOptions guard;
  std::string metrics_token;  // empty: /metrics is not served (404)
  int hsts_max_age = 0;       // seconds; 0: no Strict-Transport-Security header
  int flood_threshold = 20;   // recontact requests per territory per hour before flagging
  // Accounts: the site's public address for one-time links (empty: from
  // the request's Host), and how many password hashes may run at once.
  std::string public_url;
  int password_hash_concurrency = 2;
  // The alert circuit: seconds between escalation sweeps (0: no sweep, for
  // tests that drive it), and how often the live feed reads the event log
  // when nothing nudged it (events written by other instances).
  int escalation_interval = 60;
  int alert_poll_ms = 1000;
  // Outgoing messages (issue 12): channels and sender settings, and the
  // scheduler running the jobs (app/notify/jobs.h) every
  // scheduler_interval seconds (off: --no-scheduler, or tests).
  app::NotifySettings notify;
  bool scheduler = true;
  int scheduler_interval = 30;
  // Issue 12 (parents' reminders, purge): retention periods in days, shown
  // on the privacy page and applied by the purge job.
  int retention_alert_contact_days = 90;
  int retention_reminder_days = 30;
  int retention_outbox_days = 1;
  int digest_hour = 8;  // local hour of the responders' daily digest
};

class WebApp {
 public:
  // Loads templates, catalogs, assets and the pathway configuration; fails
  // with a clear Status if any is missing or invalid. storage, clock, random
  // and sealer are borrowed and must outlive the app.
  static Result<std::unique_ptr<WebApp>> Create(const WebOptions& options,
                                                storage::Storage& storage, app::Clock& clock,
                                                app::Random& random, const app::Sealer& sealer);
  ~WebApp();

  // Handlers for the server (see server.h).
  Handlers MakeHandlers();
  // Shows the server's own gauges (queue, workers, connections) on /metrics.
  // Call before server.Run(); the server must outlive the app's requests.
  void ObserveServer(const Server& server);

  // The whole answer to a request, on the calling thread (tests, fuzzing).
  Response Handle(Request& req);

  // Every route with its access declaration (access matrix, `parcours routes`).
  std::vector<Router::RouteInfo> Routes() const;

 private:
  // On the I/O thread: the refusals that need no database (cross-site
  // origin, per-address rate limits), and the whole answer of routes that
  // never block (static files, metrics); nullopt sends the request to a
  // worker, where Serve answers it.
  std::optional<Response> AnswerInline(Request& req);
  // The refusal of Screen's checks, ready to send, or nullopt.
  std::optional<Response> Screen(Request& req, const Router::Match& m);
  // Session guard and handler (or 404 / 405), for a request Screen let through.
  Response Serve(Request& req, const Router::Match& m);
  Response Failed(const Request& req, const std::exception& e);
  void Finish(const Request& req, Response& resp);
  WebApp();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parcours::http
