// The alert circuit's JSON API (session + CSRF, responders and coordinators):
//   GET  /api/v1/alerts?status=open|closed|all|<status>&overdue=1&urgency=&sub_territory=
//   GET  /api/v1/alerts/{id}            the alert, its screening, contact and events (audited)
//   POST /api/v1/alerts/{id}/events     a command → 201 with the new state;
//                                       409 invalid_transition when the table forbids it
//   GET  /api/v1/alerts/stream          server-sent events of the caller's territories
#include <boost/json.hpp>
#include <charconv>

#include "app/alerts/alert_feed.h"
#include "app/alerts/alert_service.h"
#include "app/auth/access_rules.h"
#include "http/form.h"
#include "http/handlers/alert_json.h"
#include "http/handlers/context.h"
#include "http/json_body.h"

namespace parcours::http {

namespace json = boost::json;

json::object AlertItemJson(const app::AlertItem& item) {
  const auto& a = item.alert;
  json::object o;
  o["id"] = a.id;
  o["reference"] = a.reference;
  o["status"] = a.status;
  o["urgency"] = domain::ToString(a.urgency);
  o["overdue"] = item.overdue;
  o["created_at"] = a.created_at;
  o["deadline_at"] = a.deadline_at;
  o["territory"] = a.territory_code;
  if (a.sub_territory_code) {
    o["sub_territory"] = *a.sub_territory_code;
  } else {
    o["sub_territory"] = nullptr;
  }
  o["source"] = domain::ToString(a.source);
  return o;
}

json::object AlertStateJson(const app::AlertItem& item) {
  json::object o = AlertItemJson(item);
  const auto& a = item.alert;
  o["version"] = a.version;
  o["crisis"] = a.crisis;
  o["suspected_flood"] = a.suspected_flood;
  auto opt = [&](const char* key, const std::optional<std::string>& v) {
    if (v) {
      o[key] = *v;
    } else {
      o[key] = nullptr;
    }
  };
  if (a.level) {
    o["level"] = domain::ToString(*a.level);
  } else {
    o["level"] = nullptr;
  }
  opt("assigned_user_id", a.assigned_user_id);
  opt("emitter_user_id", a.emitter_user_id);
  if (a.closed_outcome) {
    o["closed_outcome"] = domain::ToString(*a.closed_outcome);
  } else {
    o["closed_outcome"] = nullptr;
  }
  opt("resource_id", a.resource_id);
  return o;
}

json::object AlertEventJson(const storage::AlertEventRecord& e) {
  json::object o;
  o["seq"] = e.seq;
  o["id"] = e.id;
  o["alert_id"] = e.alert_id;
  o["territory"] = e.territory_code;
  o["type"] = domain::ToString(e.type);
  o["at"] = e.at;
  o["actor"] = e.actor;
  o["status"] = domain::ToString(e.status_after);
  boost::system::error_code ec;
  json::value fields = json::parse(e.fields, ec);
  o["fields"] = ec ? json::value(json::object{}) : std::move(fields);
  return o;
}

namespace {

using app::access::kAlertsAct;
using app::access::kAlertsRead;

Response AlertError(const Status& st) {
  if (app::IsInvalidTransition(st)) {
    return JsonError(409, "invalid_transition", st.message(), st.field());
  }
  return JsonError(st);
}

json::value ScreeningJson(const std::optional<storage::ScreeningRecord>& s) {
  if (!s) return nullptr;
  json::object o;
  o["score"] = s->score;
  o["band"] = domain::ToString(s->band);
  o["item10_positive"] = s->item10_positive;
  o["respondent"] = domain::ToString(s->respondent);
  o["period"] = domain::ToString(s->period);
  if (s->child_age_weeks) {
    o["child_age_weeks"] = *s->child_age_weeks;
  } else {
    o["child_age_weeks"] = nullptr;
  }
  o["level"] = domain::ToString(s->level);
  return o;
}

json::value ContactJson(const std::optional<app::ContactDetails>& c) {
  if (!c) return nullptr;
  json::object o;
  o["name"] = c->name;
  o["phone"] = c->phone;
  o["email"] = c->email;
  json::array slots;
  for (const auto& s : c->slots) slots.emplace_back(s);
  o["slots"] = std::move(slots);
  o["may_leave_message"] = c->may_leave_message;
  o["caller_intro"] = c->caller_intro;
  o["language"] = c->language;
  return o;
}

json::value ReporterJson(const std::optional<app::ReporterDetails>& r) {
  if (!r) return nullptr;
  return json::object{
      {"name", r->name}, {"relation", r->relation}, {"phone", r->phone}, {"email", r->email}};
}

// Reads an optional string member; a non-string is reported.
std::optional<std::string> StringField(const json::object& body, const char* key,
                                       FieldErrors& unreadable) {
  const json::value* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    unreadable.Add(key, "must be a string");
    return std::nullopt;
  }
  return std::string(v->as_string());
}

template <typename E>
std::optional<E> EnumField(const json::object& body, const char* key, FieldErrors& unreadable,
                           std::optional<E> (*parse)(std::string_view), const char* message) {
  auto s = StringField(body, key, unreadable);
  if (!s) return std::nullopt;
  auto v = parse(*s);
  if (!v) unreadable.Add(key, message);
  return v;
}

}  // namespace

app::AlertCommandInput AlertCommandFromJson(const json::object& body) {
  app::AlertCommandInput in;
  FieldErrors& bad = in.unreadable;
  auto type = StringField(body, "type", bad);
  if (type) {
    auto t = domain::ParseAlertEventType(*type);
    bool command = false;
    for (auto c : domain::kAlertCommands) command = command || (t && *t == c);
    if (command) in.type = t;
  }
  in.urgency =
      EnumField(body, "urgency", bad, domain::ParseUrgency, "must be immediate, 24h, 72h or 7d");
  in.level = EnumField(body, "level", bad, domain::ParseCareLevel,
                       "must be information, first_line, specialised, hospital or emergency");
  in.user_id = StringField(body, "user_id", bad);
  in.channel = EnumField(body, "channel", bad, domain::ParseAttemptChannel,
                         "must be phone, sms, email or visit");
  if (in.type == domain::AlertEventType::kAttempt) {
    in.attempt_outcome = EnumField(body, "outcome", bad, domain::ParseAttemptOutcome,
                                   "must be reached, no_answer, message_left or wrong_number");
  } else if (in.type == domain::AlertEventType::kClose) {
    in.close_outcome = EnumField(
        body, "outcome", bad, domain::ParseCloseOutcome,
        "must be oriented, taken_in_charge, unreachable, refused, duplicate or wrong_number");
  }
  if (const json::value* r = body.if_contains("resource_id"); r && r->is_int64()) {
    in.resource_id = std::to_string(r->as_int64());
  } else {
    in.resource_id = StringField(body, "resource_id", bad);
  }
  in.note = StringField(body, "note", bad).value_or("");
  in.reason = StringField(body, "reason", bad).value_or("");
  if (const json::value* v = body.if_contains("version"); v && !v->is_null()) {
    if (v->is_int64()) {
      in.expected_version = v->as_int64();
    } else {
      bad.Add("version", "must be an integer");
    }
  }
  return in;
}

Result<app::AlertListFilter> AlertFilterFromQuery(std::string_view query) {
  auto q = ParseForm(query);
  if (!q.ok()) return q.status();
  app::AlertListFilter f;
  FieldErrors errors;
  if (auto s = q->Get("status"); s && !s->empty()) f.status = *s;
  if (auto u = q->Get("urgency"); u && !u->empty()) {
    f.urgency = domain::ParseUrgency(*u);
    if (!f.urgency) errors.Add("urgency", "must be immediate, 24h, 72h or 7d");
  }
  if (auto s = q->Get("sub_territory"); s && !s->empty()) f.sub_territory = *s;
  if (auto s = q->Get("source"); s && !s->empty()) {
    f.source = domain::ParseAlertSource(*s);
    if (!f.source) errors.Add("source", "must be parent, professional or third_party");
  }
  const std::string overdue = q->Value("overdue");
  if (overdue == "1" || overdue == "true") {
    f.overdue_only = true;
  } else if (!overdue.empty() && overdue != "0" && overdue != "false") {
    errors.Add("overdue", "must be 1 or 0");
  }
  if (q->Value("flood") == "1") f.flood_only = true;
  PARCOURS_RETURN_IF_ERROR(errors.ToStatus());
  return f;
}

// One server-sent event: "id: <seq>", "event: alert", the event as JSON
// (AlertEventJson: no note, no contact detail).
std::string AlertEventFrame(const storage::AlertEventRecord& e) {
  return "id: " + std::to_string(e.seq) +
         "\nevent: alert\ndata: " + json::serialize(AlertEventJson(e)) + "\n\n";
}

namespace {
// The Last-Event-ID header as a seq: 1 to 18 digits, nullopt otherwise.
std::optional<std::int64_t> LastEventId(std::string_view v) {
  if (v.empty() || v.size() > 18) return std::nullopt;
  std::int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}
}  // namespace

void RegisterAlertApiRoutes(Router& r, WebContext& ctx) {
  // Registered before /api/v1/alerts/{id}; a literal segment wins anyway.
  r.Add("GET", "/api/v1/alerts/stream", RouteAccess::Session(kAlertsRead), [&ctx](Request& req) {
    if (!ctx.alert_feed) return JsonError(Status::Unavailable("live updates are off"));
    Response resp;
    resp.content_type = "text/event-stream; charset=utf-8";
    resp.SetHeader("Cache-Control", "no-store");
    resp.SetHeader("X-Accel-Buffering", "no");
    app::AlertFeed* feed = ctx.alert_feed.get();
    domain::Principal principal = *req.principal;
    // A reconnecting EventSource sends the last id it saw: the events it
    // missed meanwhile come first. Anything but a plain number is ignored.
    std::optional<std::int64_t> after = LastEventId(req.Header("last-event-id"));
    resp.stream = [feed, principal, after](const std::shared_ptr<StreamSink>& sink) {
      // Tell EventSource to come back after 5 s if the connection drops.
      if (!sink->Send("retry: 5000\n: connected\n\n")) return;
      feed->Subscribe(
          principal,
          [sink](const storage::AlertEventRecord* e) {
            if (!sink->open()) return false;
            if (e == nullptr) return sink->Send(": heartbeat\n\n");
            // The feed delivers one event to every subscriber in turn on its one
            // thread: the frame is serialised once per event, not per stream.
            thread_local std::int64_t frame_seq = -1;
            thread_local std::string frame;
            if (e->seq != frame_seq) {
              frame = AlertEventFrame(*e);
              frame_seq = e->seq;
            }
            return sink->Send(frame);
          },
          after);
    };
    return resp;
  });

  r.Add("GET", "/api/v1/alerts", RouteAccess::Session(kAlertsRead), [&ctx](Request& req) {
    auto f = AlertFilterFromQuery(req.query);
    if (!f.ok()) return JsonError(f.status());
    auto list = ctx.alerts->List(*req.principal, *f);
    if (!list.ok()) return JsonError(list.status());
    json::array items;
    for (const auto& item : *list) items.push_back(AlertItemJson(item));
    return JsonResponse(200, json::object{{"items", std::move(items)}});
  });

  r.Add("GET", "/api/v1/alerts/{id}", RouteAccess::Session(kAlertsRead), [&ctx](Request& req) {
    auto d = ctx.alerts->Get(*req.principal, req.path_params.at("id"), /*with_contact=*/true);
    if (!d.ok()) return JsonError(d.status());
    json::object o = AlertStateJson(d->item);
    o["screening"] = ScreeningJson(d->screening);
    o["contact"] = ContactJson(d->contact);
    o["reporter"] = ReporterJson(d->reporter);
    json::array events;
    for (const auto& e : d->events) {
      json::object ej = AlertEventJson(e.event);
      if (!e.note.empty()) ej["note"] = e.note;
      events.push_back(std::move(ej));
    }
    o["events"] = std::move(events);
    return JsonResponse(200, o);
  });

  r.Add("POST", "/api/v1/alerts/{id}/events", RouteAccess::Session(kAlertsAct),
        [&ctx](Request& req) {
          auto body = ParseJsonObject(req.body);
          if (!body.ok()) return JsonError(body.status());
          app::AlertCommandInput in = AlertCommandFromJson(*body);
          auto res = ctx.alerts->Apply(*req.principal, req.path_params.at("id"), in);
          if (!res.ok()) return AlertError(res.status());
          json::object o = AlertStateJson(res->item);
          o["event"] = AlertEventJson(res->event);
          return JsonResponse(201, o);
        });
}

}  // namespace parcours::http
