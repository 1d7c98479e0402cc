#include "app/alerts/alert_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cstdio>

#include "app/auth/access_rules.h"
#include "app/auth/audit.h"
#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "app/pathway_config.h"
#include "app/recontact_gate.h"
#include "domain/common/json_document.h"
#include "domain/pathway/opening_hours.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

using domain::AlertEventType;
using domain::AlertStatus;

constexpr std::size_t kMaxNote = 2000;
constexpr std::size_t kMaxReason = 500;
constexpr const char* kInvalidTransitionPrefix = "invalid transition";

Status InvalidTransition(const std::string& message, std::string field = "type") {
  return Status(StatusCode::kConflict, std::string(kInvalidTransitionPrefix) + ": " + message,
                std::move(field));
}

bool HasControl(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return true;
    if (c == 0x7f) return true;
  }
  return false;
}

bool IsOverdue(const storage::AlertRecord& a, domain::TimestampMs now) {
  return a.status != "closed" && a.deadline_at < now;
}

Result<AlertStatus> StoredStatus(const storage::AlertRecord& a) {
  auto s = domain::ParseAlertStatus(a.status);
  if (!s) return Status::Internal("alert " + a.id + " has an unknown status " + a.status);
  return *s;
}

}  // namespace

bool IsInvalidTransition(const Status& st) {
  return st.code() == StatusCode::kConflict && st.message().starts_with(kInvalidTransitionPrefix);
}

std::string HalfDayKey(std::string_view time_zone, domain::TimestampMs at) {
  const domain::LocalTime t = domain::ToLocal(time_zone, at);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d/%s", t.year, t.month, t.day,
                t.hour < 12 ? "am" : "pm");
  return buf;
}

storage::AlertEventRecord CreatedEvent(const storage::AlertRecord& a, std::string id,
                                       std::string actor) {
  storage::AlertEventRecord e;
  e.id = std::move(id);
  e.alert_id = a.id;
  e.territory_code = a.territory_code;
  e.at = a.created_at;
  e.actor = std::move(actor);
  e.type = AlertEventType::kCreated;
  e.status_after = AlertStatus::kNew;
  boost::json::object f;
  f["reference"] = a.reference;
  f["urgency"] = domain::ToString(a.urgency);
  f["deadline_at"] = a.deadline_at;
  f["source"] = domain::ToString(a.source);
  f["crisis"] = a.crisis;
  if (a.sub_territory_code) f["sub_territory"] = *a.sub_territory_code;
  e.fields = boost::json::serialize(f);
  return e;
}

std::string EncodeReporter(const ReporterDetails& r) {
  boost::json::object o;
  o["name"] = r.name;
  o["relation"] = r.relation;
  o["phone"] = r.phone;
  o["email"] = r.email;
  return boost::json::serialize(o);
}

Result<ReporterDetails> DecodeReporter(std::string_view json) {
  auto o = domain::ParseStoredObject(json, "sealed reporter is not a JSON object");
  if (!o.ok()) return o.status();
  return ReporterDetails{domain::StringOr(*o, "name"), domain::StringOr(*o, "relation"),
                         domain::StringOr(*o, "phone"), domain::StringOr(*o, "email")};
}

AlertService::AlertService(const PathwayConfig& config, const RecontactGate& gate,
                           storage::Storage& storage, Clock& clock, Random& random,
                           const Sealer& sealer)
    : config_(config),
      gate_(gate),
      storage_(storage),
      clock_(clock),
      random_(random),
      sealer_(sealer) {}

domain::TimestampMs AlertService::Deadline(const std::string& territory_code,
                                           domain::Urgency urgency, domain::TimestampMs at) const {
  const domain::Territory* t = config_.territories().Find(territory_code);
  if (t == nullptr) t = &config_.territories().outside();
  // The terms in force (demo mode may open a territory); a closed territory
  // still has a calendar for its deadline.
  auto terms = gate_.Terms(*t);
  const domain::RecontactConfig& cal = terms ? *terms : t->recontact;
  return domain::AlertDeadline(cal, t->time_zone, urgency, at);
}

Result<std::vector<AlertItem>> AlertService::List(const domain::Principal& p,
                                                  const AlertListFilter& f) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kAlertsRead, &p));
  storage::AlertQuery q;
  q.territories = p.territories;
  if (f.status == "all") {
    q.status.reset();
  } else if (f.status == "open" || f.status == "closed" || domain::ParseAlertStatus(f.status)) {
    q.status = f.status;
  } else {
    return Status::InvalidArgument("status", "must be open, closed, all or a status");
  }
  q.urgency = f.urgency;
  q.sub_territory = f.sub_territory;
  q.source = f.source;
  q.overdue_only = f.overdue_only;
  q.flood_only = f.flood_only;
  q.limit = std::clamp(f.limit, 1, 1000);
  const domain::TimestampMs now = clock_.NowMs();
  q.now = now;
  std::vector<AlertItem> out;
  Status st = storage_.Read([&](storage::Transaction& tx) -> Status {
    auto rows = tx.alerts().Search(q);
    if (!rows.ok()) return rows.status();
    for (auto& a : *rows) {
      std::optional<std::string_view> sub;
      if (a.sub_territory_code) sub = *a.sub_territory_code;
      if (!domain::InScope(p, a.territory_code, sub)) continue;
      const bool overdue = IsOverdue(a, now);
      out.push_back(AlertItem{std::move(a), overdue});
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  // The list shows no contact detail, but it is a read of health data.
  Status audited = storage_.Transact([&](storage::Transaction& tx) -> Status {
    for (const auto& t : p.territories) {
      PARCOURS_RETURN_IF_ERROR(
          WriteAudit(tx, now,
                     {p.user_id, "list", "alert", "*", t,
                      "status=" + f.status + " count=" + std::to_string(out.size())}));
    }
    return Status::Ok();
  });
  if (!audited.ok()) return audited;
  return out;
}

Result<AlertDetail> AlertService::Get(const domain::Principal& p, const std::string& id,
                                      bool with_contact) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kAlertsRead, &p));
  const domain::TimestampMs now = clock_.NowMs();
  AlertDetail d;
  Status st = storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto found = tx.FindAlert(id);
    if (!found.ok()) return found.status();
    if (!*found) return Status::NotFound("no such alert");
    storage::AlertRecord& a = **found;
    std::optional<std::string_view> sub;
    if (a.sub_territory_code) sub = *a.sub_territory_code;
    PARCOURS_RETURN_IF_ERROR(domain::CheckRecordScope(p, a.territory_code, sub));
    if (a.screening_id) {
      auto s = tx.FindScreening(*a.screening_id);
      if (!s.ok()) return s.status();
      d.screening = std::move(*s);
    }
    auto events = tx.alerts().ListEvents(a.id);
    if (!events.ok()) return events.status();
    for (auto& e : *events) {
      AlertEventItem item{std::move(e), {}};
      if (!item.event.note_sealed.empty()) {
        auto note = sealer_.Open(item.event.note_sealed);
        if (!note.ok()) return note.status();
        item.note = std::move(*note);
      }
      d.events.push_back(std::move(item));
    }
    if (with_contact) {
      if (!a.contact_sealed.empty()) {
        auto plain = sealer_.Open(a.contact_sealed);
        if (!plain.ok()) return plain.status();
        auto c = DecodeContact(*plain);
        if (!c.ok()) return c.status();
        d.contact = std::move(*c);
      }
      if (!a.reporter_sealed.empty()) {
        auto plain = sealer_.Open(a.reporter_sealed);
        if (!plain.ok()) return plain.status();
        auto r = DecodeReporter(*plain);
        if (!r.ok()) return r.status();
        d.reporter = std::move(*r);
      }
      PARCOURS_RETURN_IF_ERROR(WriteAudit(
          tx, now, {p.user_id, "read_contact", "alert", a.id, a.territory_code, "contact opened"}));
    }
    PARCOURS_RETURN_IF_ERROR(
        WriteAudit(tx, now, {p.user_id, "read", "alert", a.id, a.territory_code, ""}));
    const bool overdue = IsOverdue(a, now);
    d.item = AlertItem{std::move(a), overdue};
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (directory_ != nullptr && d.screening && d.screening->commune_code) {
    DirectoryQuery q;
    q.commune_code = *d.screening->commune_code;
    q.level = d.item.alert.level;
    q.include_unpublished = true;  // professionals see every resource
    q.limit = kNearbyResources;
    auto found = directory_->Search(q);
    if (found.ok() && found->items.empty() && q.level) {
      q.level.reset();  // none of that level nearby: every level
      found = directory_->Search(q);
    }
    // The list is a help to close the alert; without it the page still works.
    if (found.ok()) d.nearby = std::move(found->items);
  }
  return d;
}

Result<AlertCommandResult> AlertService::Apply(const domain::Principal& p, const std::string& id,
                                               const AlertCommandInput& in) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kAlertsAct, &p));
  // Input checks that need no stored state, every field at once.
  FieldErrors errors = in.unreadable;
  auto add = [&](const char* field, const char* message) {
    if (!errors.Has(field)) errors.Add(field, message);
  };
  if (!in.type) {
    add("type", "must be qualify, assign, attempt, close or reopen");
  } else {
    switch (*in.type) {
      case AlertEventType::kQualify:
        if (!in.urgency) add("urgency", "must be immediate, 24h, 72h or 7d");
        break;
      case AlertEventType::kAssign: break;
      case AlertEventType::kAttempt:
        if (!in.channel) add("channel", "must be phone, sms, email or visit");
        if (!in.attempt_outcome) {
          add("outcome", "must be reached, no_answer, message_left or wrong_number");
        }
        break;
      case AlertEventType::kClose:
        if (!in.close_outcome) {
          add("outcome",
              "must be oriented, taken_in_charge, unreachable, refused, duplicate or "
              "wrong_number");
        } else if (*in.close_outcome == domain::CloseOutcome::kOriented &&
                   (!in.resource_id || in.resource_id->empty())) {
          add("resource_id", "name the resource the parent was oriented to");
        }
        break;
      case AlertEventType::kReopen:
        if (in.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
          add("reason", "say why the alert is reopened");
        }
        break;
      case AlertEventType::kCreated:
      case AlertEventType::kEscalated: add("type", "recorded by the system only"); break;
    }
  }
  if (in.note.size() > kMaxNote || HasControl(in.note)) add("note", "at most 2000 characters");
  if (in.reason.size() > kMaxReason || HasControl(in.reason)) {
    add("reason", "at most 500 characters");
  }
  if (!errors.empty()) return errors.ToStatus();
  const AlertEventType type = *in.type;

  const domain::TimestampMs now = clock_.NowMs();
  AlertCommandResult result;
  Status st = storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto found = tx.FindAlert(id);
    if (!found.ok()) return found.status();
    if (!*found) return Status::NotFound("no such alert");
    const storage::AlertRecord& cur = **found;
    std::optional<std::string_view> sub;
    if (cur.sub_territory_code) sub = *cur.sub_territory_code;
    PARCOURS_RETURN_IF_ERROR(domain::CheckRecordScope(p, cur.territory_code, sub));
    auto from = StoredStatus(cur);
    if (!from.ok()) return from.status();
    auto to = domain::NextStatus(*from, type);
    if (!to) {
      return InvalidTransition(std::string(domain::ToString(type)) + " is not allowed on a " +
                               std::string(domain::ToString(*from)) + " alert");
    }
    const domain::Territory* territory = config_.territories().Find(cur.territory_code);
    if (territory == nullptr) territory = &config_.territories().outside();

    storage::AlertRecord next = cur;
    next.status = std::string(domain::ToString(*to));
    next.updated_at = now;
    boost::json::object fields;
    fields["from"] = domain::ToString(*from);
    std::string note;
    switch (type) {
      case AlertEventType::kQualify:
        next.urgency = *in.urgency;
        next.level = in.level;
        next.deadline_at = Deadline(cur.territory_code, *in.urgency, now);
        fields["urgency"] = domain::ToString(*in.urgency);
        if (in.level) fields["level"] = domain::ToString(*in.level);
        fields["deadline_at"] = next.deadline_at;
        break;
      case AlertEventType::kAssign: {
        const std::string user_id = in.user_id.value_or(p.user_id);
        auto user = tx.accounts().FindUser(user_id);
        if (!user.ok()) return user.status();
        const storage::UserRecord* u = user->has_value() ? &**user : nullptr;
        const bool can_respond = u != nullptr && !u->disabled &&
                                 (u->role == domain::ToString(domain::Role::kResponder) ||
                                  u->role == domain::ToString(domain::Role::kCoordinator)) &&
                                 std::find(u->territories.begin(), u->territories.end(),
                                           cur.territory_code) != u->territories.end();
        if (!can_respond) {
          return Status::InvalidArgument("user_id",
                                         "no active responder or coordinator of this territory");
        }
        next.assigned_user_id = user_id;
        fields["user_id"] = user_id;
        break;
      }
      case AlertEventType::kAttempt:
        // The first attempt on an unassigned alert assigns it to its author.
        if (!next.assigned_user_id) next.assigned_user_id = p.user_id;
        fields["channel"] = domain::ToString(*in.channel);
        fields["outcome"] = domain::ToString(*in.attempt_outcome);
        fields["half_day"] = HalfDayKey(territory->time_zone, now);
        note = in.note;
        break;
      case AlertEventType::kClose: {
        if (*in.close_outcome == domain::CloseOutcome::kUnreachable) {
          auto events = tx.alerts().ListEvents(cur.id);
          if (!events.ok()) return events.status();
          std::vector<std::string> half_days;
          for (const auto& e : *events) {
            if (e.type == AlertEventType::kAttempt) {
              half_days.push_back(HalfDayKey(territory->time_zone, e.at));
            }
          }
          const bool floor = cur.crisis || cur.urgency == domain::Urgency::kImmediate;
          Status ok = domain::CheckCloseOutcome(*in.close_outcome, floor, half_days);
          if (!ok.ok()) return ok;  // kConflict "invalid transition: …" on field outcome
        }
        if (in.resource_id && !in.resource_id->empty()) {
          std::int64_t rid = 0;
          const std::string& text = *in.resource_id;
          auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), rid);
          if (ec != std::errc() || end != text.data() + text.size()) {
            return Status::InvalidArgument("resource_id", "no such resource in the directory");
          }
          auto r = tx.directory().FindResource(rid);
          if (!r.ok()) return r.status();
          if (!*r)
            return Status::InvalidArgument("resource_id", "no such resource in the directory");
          next.resource_id = text;
          fields["resource_id"] = text;
        } else {
          next.resource_id.reset();
        }
        next.closed_outcome = *in.close_outcome;
        fields["outcome"] = domain::ToString(*in.close_outcome);
        note = in.note;
        break;
      }
      case AlertEventType::kReopen:
        // Back to new: a human qualifies it again; the deadline runs anew.
        next.closed_outcome.reset();
        next.resource_id.reset();
        next.assigned_user_id.reset();
        next.deadline_at = Deadline(cur.territory_code, cur.urgency, now);
        fields["deadline_at"] = next.deadline_at;
        note = in.reason;
        break;
      case AlertEventType::kCreated:
      case AlertEventType::kEscalated: return Status::Internal("unreachable");
    }
    fields["status"] = next.status;
    storage::AlertEventRecord e;
    e.id = NewId(clock_, random_);
    e.alert_id = cur.id;
    e.territory_code = cur.territory_code;
    e.at = now;
    e.actor = p.user_id;
    e.type = type;
    e.status_after = *to;
    e.fields = boost::json::serialize(fields);
    if (!note.empty()) e.note_sealed = sealer_.Seal(note);
    const std::int64_t expected = in.expected_version.value_or(cur.version);
    auto seq = tx.alerts().ApplyEvent(next, expected, e);
    if (!seq.ok()) return seq.status();
    e.seq = *seq;
    PARCOURS_RETURN_IF_ERROR(WriteAudit(
        tx, now,
        {p.user_id, "update", "alert", cur.id, cur.territory_code,
         std::string(domain::ToString(type)) + ": " + cur.status + " -> " + next.status}));
    next.version = expected + 1;
    const bool overdue = IsOverdue(next, now);
    result = AlertCommandResult{AlertItem{std::move(next), overdue}, std::move(e)};
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (on_event_) on_event_();
  return result;
}

}  // namespace parcours::app
