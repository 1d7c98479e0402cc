// /healthz, /metrics, /static/...
#include <boost/json.hpp>

#include "app/demo_mode.h"
#include "app/health.h"
#include "http/handlers/context.h"
#include "storage/storage.h"

namespace parcours::http {

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
        auto s = ctx.storage->Stats();
        std::string extra =
            "# HELP parcours_db_pool_connections Database connections in the pool.\n"
            "# TYPE parcours_db_pool_connections gauge\n"
            "parcours_db_pool_connections " +
            std::to_string(s.size) + "\n" +
            "# HELP parcours_db_pool_in_use Database connections in use.\n"
            "# TYPE parcours_db_pool_in_use gauge\n"
            "parcours_db_pool_in_use " +
            std::to_string(s.in_use) + "\n" +
            "# HELP parcours_db_pool_waits_total Waits for a free connection.\n"
            "# TYPE parcours_db_pool_waits_total counter\n"
            "parcours_db_pool_waits_total " +
            std::to_string(s.waits) + "\n" +
            "# HELP parcours_db_commits_total Write transactions committed (grouped: fewer "
            "than the writes).\n"
            "# TYPE parcours_db_commits_total counter\n"
            "parcours_db_commits_total " +
            std::to_string(s.commits) + "\n";
        Response resp;
        resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
        resp.body = ctx.metrics.Render(extra);
        return resp;
      },
      /*inline_safe=*/true);

  r.Add(
      "GET", "/static/{*path}", [&ctx](Request& req) { return ctx.assets->Serve(req); },
      /*inline_safe=*/true);
}

}  // namespace parcours::http
