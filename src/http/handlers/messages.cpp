// The outbox as the coordinators see it (issue 12):
//   GET  /pro/messages                    messages of one's territories that
//                                         failed for good (?tous=1: every status)
//   POST /pro/messages/{id}/renvoi        replay a failed message → 303 back
// A message shows its channel, kind, territory, attempts and the server's
// last answer: never its recipient or text (the payload stays sealed).
#include <boost/json.hpp>

#include "app/auth/access_rules.h"
#include "app/notify/alert_notices.h"
#include "app/notify/outbox_admin.h"
#include "core/utc_time.h"
#include "http/form.h"
#include "http/handlers/context.h"

namespace parcours::http {
namespace {

namespace json = boost::json;

Response MessagesPage(WebContext& ctx, Request& req) {
  auto q = ParseForm(req.query);
  const bool all = q.ok() && q->Value("tous") == "1";
  const bool replayed = q.ok() && q->Value("renvoye") == "1";
  app::OutboxAdmin admin(*ctx.storage, *ctx.clock);
  auto rows =
      admin.List(*req.principal, all ? std::nullopt : std::optional<std::string>("failed"), 200);
  if (!rows.ok()) return ctx.Error(req, rows.status());
  json::array items;
  for (const auto& m : *rows) {
    json::object o;
    o["id"] = m.id;
    o["created"] = core::UtcText(m.created_at, "%Y-%m-%d %H:%M UTC");
    o["kind"] = ctx.catalogs->Get("fr", "pro_messages_kind_" + m.kind);
    o["channel"] = ctx.catalogs->Get("fr", "pro_messages_channel_" + m.channel);
    o["territory"] = m.territory_code.empty() ? "—" : m.territory_code;
    o["status"] = ctx.catalogs->Get("fr", "pro_messages_status_" + m.status);
    o["attempts"] = m.attempts;
    o["last_error"] = m.last_error.value_or("");
    o["failed"] = m.status == "failed";
    items.push_back(std::move(o));
  }
  json::object view;
  view["has_rows"] = !items.empty();
  view["rows"] = std::move(items);
  view["all"] = all;
  view["replayed"] = replayed;
  return ctx.ProPage(req, "pro_messages", "pro_messages_title", std::move(view));
}

}  // namespace

void RegisterMessageRoutes(Router& r, WebContext& ctx) {
  r.Add("GET", "/pro/messages", RouteAccess::Session(app::access::kMessagesRead),
        [&ctx](Request& req) { return MessagesPage(ctx, req); });
  r.Add("POST", "/pro/messages/{id}/renvoi", RouteAccess::Session(app::access::kMessagesReplay),
        [&ctx](Request& req) {
          app::OutboxAdmin admin(*ctx.storage, *ctx.clock);
          Status st = admin.Replay(*req.principal, req.path_params.at("id"));
          if (!st.ok()) return ctx.Error(req, st);
          if (ctx.scheduler) ctx.notices->Enqueued();  // the sender runs at once
          Response resp;
          resp.status = 303;
          resp.SetHeader("Location", "/pro/messages?renvoye=1");
          return resp;
        });
}

}  // namespace parcours::http
