// GET /sortie[?r=RESULT_TOKEN] (and /{lang}/sortie): the quick exit. Forgets
// the result page named by the token (ResultAccess::Exit), asks the browser
// to drop what it cached of this site, then sends it to a neutral site.
// The link's script (static/quick-exit.js) uses location.replace, so the
// page left is not in the history; without JavaScript, Back finds the
// result page gone.
#include "http/form.h"
#include "http/handlers/context.h"

namespace parcours::http {
namespace {

constexpr const char* kNeutralSite = "https://www.meteo.fr/";

Response QuickExit(WebContext& ctx, Request& req) {
  auto q = ParseForm(req.query);
  if (q.ok()) {
    if (auto token = q->Get("r"); token && !token->empty()) (void)ctx.results->Exit(*token);
  }
  Response r;
  r.status = 303;
  r.content_type = "text/plain; charset=utf-8";
  r.SetHeader("Location", kNeutralSite);
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("Clear-Site-Data", "\"cache\"");
  return r;
}

}  // namespace

void RegisterQuickExitRoutes(Router& r, WebContext& ctx) {
  AddPage(r, ctx, "GET", "/sortie",
          [&ctx](Request& req, const std::string&) { return QuickExit(ctx, req); });
}

}  // namespace parcours::http
