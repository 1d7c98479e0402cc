// The alert circuit's pages (professional side, French, DSFR, no script
// needed; the inbox loads static/alert-inbox.js for live updates):
//   GET  /pro/alertes                    inbox: GET filters, overdue first and marked
//   GET  /pro/alertes/{id}               one alert: summary, screening, history, a form
//                                        per allowed command
//   POST /pro/alertes/{id}/coordonnees   the same page with the contact details (audited)
//   POST /pro/alertes/{id}/evenements    a command → 303 back to the alert (PRG); errors
//                                        re-render the page with the field and the reason
#include <boost/json.hpp>
#include <charconv>
#include <cstdio>

#include "app/alerts/alert_service.h"
#include "app/auth/access_rules.h"
#include "app/pathway_config.h"
#include "domain/pathway/opening_hours.h"
#include "http/form.h"
#include "http/handlers/alert_json.h"
#include "http/handlers/context.h"
#include "http/views/resource_view.h"

namespace parcours::http {
namespace {

namespace json = boost::json;
using app::access::kAlertsAct;
using app::access::kAlertsRead;
using domain::AlertEventType;

std::string T(const WebContext& ctx, const std::string& key) {
  return ctx.catalogs->Get("fr", key);
}

const domain::Territory& TerritoryOf(const WebContext& ctx, const std::string& code) {
  const auto* t = ctx.pathway->territories().Find(code);
  return t != nullptr ? *t : ctx.pathway->territories().outside();
}

std::string TerritoryLabel(const WebContext& ctx, const std::string& code) {
  const auto& t = TerritoryOf(ctx, code);
  auto it = t.names.find("fr");
  return it == t.names.end() ? code : it->second;
}

// "29/11/2026 14:05" in the territory's time zone.
std::string LocalText(const WebContext& ctx, const std::string& territory, domain::TimestampMs ms) {
  const domain::LocalTime t = domain::ToLocal(TerritoryOf(ctx, territory).time_zone, ms);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d %02d:%02d", t.day, t.month, t.year, t.hour,
                t.minute);
  return buf;
}

json::array Options(const WebContext& ctx, const std::string& prefix,
                    std::initializer_list<std::string_view> values, std::string_view selected,
                    bool with_any) {
  json::array out;
  if (with_any) {
    out.push_back(
        {{"value", ""}, {"label", T(ctx, "pro_alerts_any")}, {"selected", selected.empty()}});
  }
  for (auto v : values) {
    out.push_back(
        {{"value", v}, {"label", T(ctx, prefix + std::string(v))}, {"selected", v == selected}});
  }
  return out;
}

json::object ItemView(const WebContext& ctx, const app::AlertItem& item) {
  const auto& a = item.alert;
  json::object o;
  o["id"] = a.id;
  o["reference"] = a.reference;
  o["status"] = a.status;
  o["status_label"] = T(ctx, "pro_alert_status_" + a.status);
  o["urgency_label"] = T(ctx, "pro_alert_urgency_" + std::string(domain::ToString(a.urgency)));
  o["overdue"] = item.overdue;
  o["deadline"] = LocalText(ctx, a.territory_code, a.deadline_at);
  o["created"] = LocalText(ctx, a.territory_code, a.created_at);
  o["territory"] = TerritoryLabel(ctx, a.territory_code);
  o["sub_territory"] = a.sub_territory_code.value_or("");
  o["source_label"] = T(ctx, "pro_alert_source_" + std::string(domain::ToString(a.source)));
  o["third_party"] = a.source == domain::AlertSource::kThirdParty;
  o["crisis"] = a.crisis;
  o["flood"] = a.suspected_flood;
  return o;
}

Response InboxPage(WebContext& ctx, const Request& req) {
  auto f = AlertFilterFromQuery(req.query);
  json::object view;
  if (!f.ok()) {
    view["has_errors"] = true;
    view["error"] = T(ctx, "pro_alert_error_filter");
    view["error_anchor"] = "filtres";
    f = app::AlertListFilter{};
  }
  auto list = ctx.alerts->List(*req.principal, *f);
  if (!list.ok()) {
    if (list.status().code() != StatusCode::kInvalidArgument) return ctx.Error(req, list.status());
    view["has_errors"] = true;
    view["error"] = T(ctx, "pro_alert_error_filter");
    view["error_anchor"] = "filtres";
    list = std::vector<app::AlertItem>{};
  }
  json::array rows;
  int overdue = 0;
  for (const auto& item : *list) {
    rows.push_back(ItemView(ctx, item));
    if (item.overdue) ++overdue;
  }
  view["has_alerts"] = !rows.empty();
  view["alerts"] = std::move(rows);
  view["overdue_count"] = overdue;
  view["has_overdue"] = overdue > 0;
  view["status_options"] = Options(
      ctx, "pro_alerts_status_",
      {"open", "new", "qualified", "assigned", "in_contact", "closed", "all"}, f->status, false);
  const std::string urgency = f->urgency ? std::string(domain::ToString(*f->urgency)) : "";
  view["urgency_options"] =
      Options(ctx, "pro_alert_urgency_", {"immediate", "24h", "72h", "7d"}, urgency, true);
  view["sub_territory"] = f->sub_territory.value_or("");
  view["overdue_checked"] = f->overdue_only;
  view["territories"] = [&] {
    std::string out;
    for (const auto& c : req.principal->territories) {
      out += (out.empty() ? "" : ", ") + TerritoryLabel(ctx, c);
    }
    return out;
  }();
  // Coordinators also see what arrived during a suspected flood.
  if (req.principal->role == domain::Role::kCoordinator) {
    app::AlertListFilter flood;
    flood.status = "all";
    flood.flood_only = true;
    flood.limit = 100;
    auto flooded = ctx.alerts->List(*req.principal, flood);
    if (flooded.ok()) {
      json::array frows;
      for (const auto& item : *flooded) frows.push_back(ItemView(ctx, item));
      view["coordinator"] = true;
      view["has_flood"] = !frows.empty();
      view["flood_alerts"] = std::move(frows);
    }
  }
  view["page_script"] = "alert-inbox.js";
  return ctx.ProPage(req, "pro_alerts", "pro_alerts_title", std::move(view));
}

json::object CommandForms(const WebContext& ctx, const app::AlertDetail& d) {
  const auto status = domain::ParseAlertStatus(d.item.alert.status);
  json::object o;
  for (AlertEventType c : domain::kAlertCommands) {
    const bool allowed = status && domain::NextStatus(*status, c).has_value();
    o["may_" + std::string(domain::ToString(c))] = allowed;
  }
  o["urgency_options"] = Options(ctx, "pro_alert_urgency_", {"immediate", "24h", "72h", "7d"},
                                 domain::ToString(d.item.alert.urgency), false);
  o["level_options"] =
      Options(ctx, "pro_level_",
              {"information", "first_line", "specialised", "hospital", "emergency"}, "", true);
  o["channel_options"] =
      Options(ctx, "pro_alert_channel_", {"phone", "sms", "email", "visit"}, "phone", false);
  o["attempt_outcome_options"] =
      Options(ctx, "pro_alert_attempt_", {"no_answer", "message_left", "reached", "wrong_number"},
              "no_answer", false);
  o["close_outcome_options"] = Options(
      ctx, "pro_alert_outcome_",
      {"oriented", "taken_in_charge", "unreachable", "refused", "duplicate", "wrong_number"}, "",
      false);
  // Closing as oriented: the resources nearest the parent's commune.
  json::array resources;
  for (const auto& it : d.nearby) {
    std::string label = it.record.resource.name;
    if (!it.commune_name.empty()) label += " — " + it.commune_name;
    if (it.distance_km) {
      label += " (" + FormatKm(*it.distance_km, T(ctx, "decimal_separator")) + ")";
    }
    resources.push_back({{"value", std::to_string(it.record.id)}, {"label", label}});
  }
  o["has_resources"] = !resources.empty();
  o["resource_options"] = std::move(resources);
  return o;
}

std::string EventText(const WebContext& ctx, const app::AlertEventItem& e) {
  std::string text = T(ctx, "pro_alert_event_" + std::string(domain::ToString(e.event.type)));
  boost::system::error_code ec;
  json::value f = json::parse(e.event.fields, ec);
  if (ec || !f.is_object()) return text;
  const auto& o = f.as_object();
  auto add = [&](const char* key, const std::string& prefix) {
    if (const auto* v = o.if_contains(key); v && v->is_string()) {
      text += " — " + T(ctx, prefix + std::string(v->as_string()));
    }
  };
  switch (e.event.type) {
    case AlertEventType::kQualify: add("urgency", "pro_alert_urgency_"); break;
    case AlertEventType::kAttempt:
      add("channel", "pro_alert_channel_");
      add("outcome", "pro_alert_attempt_");
      break;
    case AlertEventType::kClose: add("outcome", "pro_alert_outcome_"); break;
    case AlertEventType::kEscalated:
      if (const auto* v = o.if_contains("level"); v && v->is_int64()) {
        text += " — " + T(ctx, "pro_alert_escalation_level_" + std::to_string(v->as_int64()));
      }
      break;
    default: break;
  }
  return text;
}

Response DetailPage(WebContext& ctx, const Request& req, bool with_contact, json::object extra,
                    int status) {
  auto d = ctx.alerts->Get(*req.principal, req.path_params.at("id"), with_contact);
  if (!d.ok()) return ctx.Error(req, d.status());
  const auto& a = d->item.alert;
  json::object view = std::move(extra);
  view["alert"] = ItemView(ctx, d->item);
  view["version"] = a.version;
  view["closed"] = a.status == "closed";
  if (a.closed_outcome) {
    view["outcome_label"] =
        T(ctx, "pro_alert_outcome_" + std::string(domain::ToString(*a.closed_outcome)));
  }
  if (d->screening) {
    const auto& s = *d->screening;
    json::object sv;
    sv["score"] = s.score;
    sv["band"] = T(ctx, "pro_band_" + std::string(domain::ToString(s.band)));
    sv["item10"] = s.item10_positive;
    sv["respondent"] = T(ctx, "pro_respondent_" + std::string(domain::ToString(s.respondent)));
    sv["period"] = T(ctx, "pro_period_" + std::string(domain::ToString(s.period)));
    sv["has_child_age"] = s.child_age_weeks.has_value();
    sv["child_age_weeks"] = s.child_age_weeks.value_or(0);
    view["screening"] = std::move(sv);
  }
  view["show_contact"] = with_contact;
  if (d->contact) {
    const auto& c = *d->contact;
    json::object cv;
    cv["name"] = c.name;
    cv["phone"] = c.phone;
    cv["email"] = c.email;
    std::string slots;
    for (const auto& s : c.slots) {
      slots += (slots.empty() ? "" : ", ") + T(ctx, "pro_alert_slot_" + s);
    }
    cv["slots"] = slots.empty() ? T(ctx, "pro_alert_slot_any") : slots;
    cv["message"] = T(ctx, c.may_leave_message ? "pro_alert_message_yes" : "pro_alert_message_no");
    cv["intro"] = T(ctx, "pro_alert_intro_" +
                             (c.caller_intro.empty() ? std::string("neutral") : c.caller_intro));
    view["contact"] = std::move(cv);
  }
  if (d->reporter) {
    view["reporter"] = json::object{{"name", d->reporter->name},
                                    {"relation", d->reporter->relation},
                                    {"phone", d->reporter->phone},
                                    {"email", d->reporter->email}};
  }
  json::array events;
  for (const auto& e : d->events) {
    json::object ev;
    ev["at"] = LocalText(ctx, a.territory_code, e.event.at);
    ev["text"] = EventText(ctx, e);
    ev["actor"] = e.event.actor == "system"                 ? T(ctx, "pro_alert_actor_system")
                  : e.event.actor == "parent"               ? T(ctx, "pro_alert_actor_parent")
                  : e.event.actor == req.principal->user_id ? T(ctx, "pro_alert_actor_you")
                                                            : T(ctx, "pro_alert_actor_colleague");
    ev["note"] = e.note;
    ev["has_note"] = !e.note.empty();
    events.push_back(std::move(ev));
  }
  view["events"] = std::move(events);
  view["may_act"] = domain::CheckAccess(kAlertsAct, req.principal.get()).ok();
  view["forms"] = CommandForms(ctx, *d);
  return ctx.ProPage(req, "pro_alert", "pro_alert_title", std::move(view), status);
}

app::AlertCommandInput CommandFromForm(const FormData& f) {
  // The same reader as the API, over the form's fields.
  json::object body;
  for (const char* key : {"type", "urgency", "level", "user_id", "channel", "outcome",
                          "resource_id", "note", "reason"}) {
    auto v = f.Get(key);
    if (v && !v->empty()) body[key] = *v;
  }
  // The list of nearby resources, or another one by its number.
  if (!body.contains("resource_id")) {
    if (auto v = f.Get("resource_id_other"); v && !v->empty()) body["resource_id"] = *v;
  }
  app::AlertCommandInput in = AlertCommandFromJson(body);
  if (auto v = f.Get("version"); v && !v->empty()) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec == std::errc() && end == v->data() + v->size()) in.expected_version = n;
  }
  return in;
}

}  // namespace

void RegisterAlertPageRoutes(Router& r, WebContext& ctx) {
  r.Add("GET", "/pro/alertes", RouteAccess::Session(kAlertsRead),
        [&ctx](Request& req) { return InboxPage(ctx, req); });

  r.Add("GET", "/pro/alertes/{id}", RouteAccess::Session(kAlertsRead), [&ctx](Request& req) {
    json::object extra;
    auto q = ParseForm(req.query);
    if (q.ok()) {
      const std::string done = q->Value("fait");
      if (domain::ParseAlertEventType(done)) {
        extra["done"] = T(ctx, "pro_alert_done_" + done);
      }
    }
    return DetailPage(ctx, req, false, std::move(extra), 200);
  });

  // Opening the contact is an explicit, audited action: a POST (a link
  // could be followed by a prefetcher), answered with the page itself.
  r.Add("POST", "/pro/alertes/{id}/coordonnees", RouteAccess::Session(kAlertsRead),
        [&ctx](Request& req) { return DetailPage(ctx, req, true, {}, 200); });

  r.Add("POST", "/pro/alertes/{id}/evenements", RouteAccess::Session(kAlertsAct),
        [&ctx](Request& req) {
          auto form = ParseForm(req.body);
          if (!form.ok()) return ctx.Error(req, form.status());
          app::AlertCommandInput in = CommandFromForm(*form);
          const std::string id = req.path_params.at("id");
          auto res = ctx.alerts->Apply(*req.principal, id, in);
          if (res.ok()) {
            Response r;
            r.status = 303;
            r.SetHeader("Location", "/pro/alertes/" + id +
                                        "?fait=" + std::string(domain::ToString(res->event.type)) +
                                        "#historique");
            return r;
          }
          const Status& st = res.status();
          const bool transition = app::IsInvalidTransition(st);
          const bool stale = st.code() == StatusCode::kConflict && st.field() == "version";
          if (st.code() != StatusCode::kInvalidArgument && !transition && !stale) {
            return ctx.Error(req, st);
          }
          json::object extra;
          extra["has_errors"] = true;
          std::string text;
          if (transition) {
            text = T(ctx, st.field() == "outcome" ? "pro_alert_error_floor"
                                                  : "pro_alert_error_transition");
          } else if (stale) {
            text = T(ctx, "pro_alert_error_version");
          } else {
            const std::string key = "pro_alert_error_" + st.field();
            text = T(ctx, key);
            if (text.empty() || text == key) text = st.message();
          }
          extra["error"] = text;
          const std::string type = form->Value("type");
          extra["error_anchor"] = "form-" + (type.empty() ? std::string("actions") : type);
          return DetailPage(ctx, req, false, std::move(extra), transition || stale ? 409 : 400);
        });
}

}  // namespace parcours::http
