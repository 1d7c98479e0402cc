// /healthz, /metrics, /static/...
#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "app/demo_mode.h"
#include "app/health.h"
#include "http/handlers/context.h"
#include "http/server.h"
#include "storage/storage.h"

namespace parcours::http {
namespace {

// One series without labels, with its HELP and TYPE lines.
void Series(std::string& out, std::string_view name, std::string_view type, std::string_view help,
            long long value) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
  out.append(name).append(" ").append(std::to_string(value)).append("\n");
}

// The database pool's and the HTTP server's gauges, beside the request
// series of Metrics.
std::string GaugeLines(const WebContext& ctx) {
  std::string out;
  const auto db = ctx.storage->Stats();
  Series(out, "parcours_db_pool_connections", "gauge", "Database connections in the pool.",
         static_cast<long long>(db.size));
  Series(out, "parcours_db_pool_in_use", "gauge", "Database connections in use.",
         static_cast<long long>(db.in_use));
  Series(out, "parcours_db_pool_waits_total", "counter", "Waits for a free connection.",
         static_cast<long long>(db.waits));
  Series(out, "parcours_db_commits_total", "counter",
         "Write transactions committed (grouped: fewer than the writes).",
         static_cast<long long>(db.commits));
  if (ctx.server == nullptr) return out;
  const ServerStats s = ctx.server->Stats();
  Series(out, "parcours_http_connections", "gauge", "Open connections.", s.connections);
  Series(out, "parcours_http_in_flight", "gauge", "Requests read and not yet answered.",
         s.in_flight);
  Series(out, "parcours_http_worker_queue", "gauge", "Requests waiting for a worker.",
         static_cast<long long>(s.queued));
  Series(out, "parcours_http_worker_queue_limit", "gauge",
         "Requests that may wait for a worker; beyond, 503.", static_cast<long long>(s.max_queue));
  Series(out, "parcours_http_workers_busy", "gauge", "Worker threads running a handler.",
         s.running);
  Series(out, "parcours_http_workers", "gauge", "Worker threads.", s.workers);
  Series(out, "parcours_http_queue_full_total", "counter",
         "Requests refused with 503 because the worker queue was full.", s.queue_full);
  Series(out, "parcours_http_departed_total", "counter",
         "Queued requests not run because their client had left.", s.departed);
  Series(out, "parcours_http_evicted_total", "counter",
         "Idle connections closed to make room at the connection cap.", s.evicted);
  Series(out, "parcours_http_accept_errors_total", "counter", "Errors accepting connections.",
         s.accept_errors);
  return out;
}

}  // namespace

void RegisterSystemRoutes(Router& r, WebContext& ctx) {
  r.Add("GET", "/healthz", [&ctx](Request&) {
    app::Health h = app::CheckHealth(*ctx.storage);
    boost::json::object o;
    o["status"] = h.healthy ? "ok" : "unavailable";
    boost::json::object db;
    db["backend"] = h.backend;
    db["ok"] = h.healthy;
    db["schema_version"] = h.schema_version;
    db["expected_schema_version"] = h.expected_schema_version;
    if (!h.problem.empty()) db["problem"] = h.problem;
    o["database"] = std::move(db);
    // Demo data loaded (app/demo_mode.h), and the territories it opened.
    auto demo = ctx.demo->Current();
    boost::json::object d;
    d["loaded"] = demo->loaded;
    boost::json::array opened;
    for (const auto& [code, terms] : demo->recontact) opened.emplace_back(code);
    d["recontact_territories"] = std::move(opened);
    o["demo"] = std::move(d);
    return JsonResponse(h.healthy ? 200 : 503, o);
  });

  r.Add(
      "GET", "/metrics",
      [&ctx](Request& req) {
        // Never public by default: without a configured token the route does
        // not exist; with one, "Authorization: Bearer TOKEN" is required.
        const std::string& token = ctx.options.metrics_token;
        std::string_view auth = req.Header("authorization");
        const bool bearer = auth.starts_with("Bearer ");
        if (bearer) auth.remove_prefix(7);
        unsigned char diff = token.size() == auth.size() ? 0 : 1;
        for (std::size_t i = 0; i < token.size() && i < auth.size(); ++i) {
          diff |= static_cast<unsigned char>(token[i] ^ auth[i]);
        }
        if (token.empty() || !bearer || diff != 0) {
          req.route = "(not found)";
          return ctx.Error(req, 404);
        }
        Response resp;
        resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
        resp.body = ctx.metrics.Render(GaugeLines(ctx));
        return resp;
      },
      /*inline_safe=*/true);

  r.Add(
      "GET", "/static/{*path}", [&ctx](Request& req) { return ctx.assets->Serve(req); },
      /*inline_safe=*/true);
}

}  // namespace parcours::http
