#include "storage/sqlite/sqlite_alerts.h"

#include <sqlite3.h>

#include "storage/codec.h"
#include "storage/sqlite/sqlite_internal.h"

namespace parcours::storage::sqlite_internal {

#define PARCOURS_ALERT_COLS                                                               \
  "id, reference, created_at, kind, screening_id, territory_code, urgency, deadline_at, " \
  "status, crisis, contact_sealed, updated_at, sub_territory_code, contact_key, "         \
  "suspected_flood, source, level, assigned_user_id, emitter_user_id, reporter_sealed, "  \
  "closed_outcome, resource_id, consultation_id, version"
#define PARCOURS_EVENT_COLS                                                                 \
  "seq, id, alert_id, territory_code, at, actor, type, status_after, fields, note_sealed, " \
  "escalation_key"

const char* const kAlertColumns = PARCOURS_ALERT_COLS;

namespace {

std::optional<std::string> OptName(const auto& v) {
  if (!v) return std::nullopt;
  return std::string(domain::ToString(*v));
}

template <typename E>
std::optional<E> OptEnum(RowDecoder& row, std::string_view column,
                         const std::optional<std::string>& text,
                         std::optional<E> (*parse)(std::string_view)) {
  if (!text) return std::nullopt;
  return row.Enum(column, *text, parse);
}

constexpr const char* kUpdateAlert =
    "UPDATE alerts SET urgency = ?, deadline_at = ?, status = ?, updated_at = ?, level = ?, "
    "assigned_user_id = ?, closed_outcome = ?, resource_id = ?, version = version + 1 "
    "WHERE id = ? AND version = ?";
constexpr const char* kInsertEvent =
    "INSERT INTO alert_events (id, alert_id, territory_code, at, actor, type, status_after, "
    "fields, note_sealed, escalation_key) VALUES (?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kSearch =
    "SELECT " PARCOURS_ALERT_COLS
    " FROM alerts WHERE instr(',' || ?1 || ',', ',' || territory_code || ',') > 0 "
    "AND (?2 IS NULL OR (?2 = 'open' AND status <> 'closed') OR status = ?2) "
    "AND (?3 IS NULL OR urgency = ?3) "
    "AND (?4 IS NULL OR sub_territory_code = ?4) "
    "AND (?5 IS NULL OR source = ?5) "
    "AND (?6 IS NULL OR emitter_user_id = ?6) "
    "AND (?7 = 0 OR (status <> 'closed' AND deadline_at < ?8)) "
    "AND (?9 = 0 OR suspected_flood = 1) "
    "ORDER BY CASE WHEN status <> 'closed' AND deadline_at < ?8 THEN 0 ELSE 1 END, "
    "deadline_at, created_at, id LIMIT ?10";
constexpr const char* kListOverdue =
    "SELECT " PARCOURS_ALERT_COLS
    " FROM alerts WHERE status <> 'closed' AND deadline_at < ?1 AND (?3 IS NULL OR "
    "territory_code = ?3) AND NOT EXISTS (SELECT 1 FROM alert_events e WHERE e.escalation_key = "
    "alerts.id || '/' || alerts.deadline_at || '/' || ?2) ORDER BY deadline_at, id LIMIT ?4";
constexpr const char* kListEvents =
    "SELECT " PARCOURS_EVENT_COLS " FROM alert_events WHERE alert_id = ? ORDER BY seq";
constexpr const char* kEventsAfter =
    "SELECT " PARCOURS_EVENT_COLS " FROM alert_events WHERE seq > ? ORDER BY seq LIMIT ?";
constexpr const char* kLastSeq = "SELECT coalesce(max(seq), 0) FROM alert_events";

Result<AlertEventRecord> ReadEvent(const Stmt& q) {
  AlertEventRecord e;
  e.seq = q.Int(0);
  e.id = q.Text(1);
  e.alert_id = q.Text(2);
  e.territory_code = q.Text(3);
  e.at = q.Int(4);
  e.actor = q.Text(5);
  RowDecoder row("alert_events", e.id);
  e.type = row.Enum("type", q.Text(6), domain::ParseAlertEventType);
  e.status_after = row.Enum("status_after", q.Text(7), domain::ParseAlertStatus);
  e.fields = q.Text(8);
  e.note_sealed = q.Blob(9);
  e.escalation_key = q.OptText(10);
  if (!row.status().ok()) return row.status();
  return e;
}

class SqliteAlerts : public AlertRepository {
 public:
  SqliteAlerts(Conn& c, Status* first_error) : c_(c), first_error_(first_error) {}

  Result<std::int64_t> ApplyEvent(const AlertRecord& a, std::int64_t expected_version,
                                  const AlertEventRecord& e) override {
    Stmt q(c_, kUpdateAlert);
    q.Bind(std::string(domain::ToString(a.urgency)))
        .Bind(a.deadline_at)
        .Bind(a.status)
        .Bind(a.updated_at)
        .Bind(OptName(a.level))
        .Bind(a.assigned_user_id)
        .Bind(OptName(a.closed_outcome))
        .Bind(a.resource_id)
        .Bind(a.id)
        .Bind(expected_version);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    if (sqlite3_changes(c_.db()) != 1) {
      return Note(
          Status(StatusCode::kConflict, "the alert changed meanwhile: read it again", "version"));
    }
    return AppendEvent(e);
  }

  Result<std::int64_t> AppendEvent(const AlertEventRecord& e) override {
    Stmt q(c_, kInsertEvent);
    q.Bind(e.id)
        .Bind(e.alert_id)
        .Bind(e.territory_code)
        .Bind(e.at)
        .Bind(e.actor)
        .Bind(std::string(domain::ToString(e.type)))
        .Bind(std::string(domain::ToString(e.status_after)))
        .Bind(e.fields)
        .Bind(e.note_sealed)
        .Bind(e.escalation_key);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(c_.db()));
  }

  Result<std::vector<AlertRecord>> Search(const AlertQuery& in) override {
    std::string territories;
    for (const auto& t : in.territories) {
      if (t.find(',') != std::string::npos) continue;
      if (!territories.empty()) territories += ',';
      territories += t;
    }
    if (in.territories.empty()) return std::vector<AlertRecord>();
    Stmt q(c_, kSearch);
    q.Bind(territories)
        .Bind(in.status)
        .Bind(OptName(in.urgency))
        .Bind(in.sub_territory)
        .Bind(OptName(in.source))
        .Bind(in.emitter_user_id)
        .Bind(in.overdue_only)
        .Bind(in.now)
        .Bind(in.flood_only)
        .Bind(in.limit);
    return ReadAlerts(q);
  }

  Result<std::vector<AlertRecord>> ListOverdue(TimestampMs before, int level,
                                               const std::optional<std::string>& territory,
                                               int limit) override {
    Stmt q(c_, kListOverdue);
    q.Bind(before).Bind(level).Bind(territory).Bind(limit);
    return ReadAlerts(q);
  }

  Result<std::vector<AlertEventRecord>> ListEvents(std::string_view alert_id) override {
    Stmt q(c_, kListEvents);
    q.Bind(alert_id);
    return ReadEvents(q);
  }

  Result<std::vector<AlertEventRecord>> EventsAfter(std::int64_t after, int limit) override {
    Stmt q(c_, kEventsAfter);
    q.Bind(after).Bind(limit);
    return ReadEvents(q);
  }

  Result<std::int64_t> LastEventSeq() override {
    Stmt q(c_, kLastSeq);
    if (q.Step()) return q.Int(0);
    return Note(q.ok() ? Status::Internal("no row from max(seq)") : q.status());
  }

 private:
  Status Note(Status st) {
    if (!st.ok() && first_error_->ok()) *first_error_ = st;
    return st;
  }

  Result<std::vector<AlertRecord>> ReadAlerts(Stmt& q) {
    std::vector<AlertRecord> out;
    while (q.Step()) {
      auto a = ReadAlertRow(q);
      if (!a.ok()) return Note(a.status());
      out.push_back(std::move(*a));
    }
    if (!q.ok()) return Note(q.status());
    return out;
  }

  Result<std::vector<AlertEventRecord>> ReadEvents(Stmt& q) {
    std::vector<AlertEventRecord> out;
    while (q.Step()) {
      auto e = ReadEvent(q);
      if (!e.ok()) return Note(e.status());
      out.push_back(std::move(*e));
    }
    if (!q.ok()) return Note(q.status());
    return out;
  }

  Conn& c_;
  Status* first_error_;
};

}  // namespace

Result<AlertRecord> ReadAlertRow(const Stmt& q) {
  AlertRecord a;
  a.id = q.Text(0);
  a.reference = q.Text(1);
  a.created_at = q.Int(2);
  a.kind = q.Text(3);
  a.screening_id = q.OptText(4);
  a.territory_code = q.Text(5);
  RowDecoder row("alerts", a.id);
  a.urgency = row.Enum("urgency", q.Text(6), domain::ParseUrgency);
  a.deadline_at = q.Int(7);
  a.status = q.Text(8);
  a.crisis = q.Int(9) != 0;
  a.contact_sealed = q.Blob(10);
  a.updated_at = q.Int(11);
  a.sub_territory_code = q.OptText(12);
  a.contact_key = q.OptText(13);
  a.suspected_flood = q.Int(14) != 0;
  a.source = row.Enum("source", q.Text(15), domain::ParseAlertSource);
  a.level = OptEnum(row, "level", q.OptText(16), domain::ParseCareLevel);
  a.assigned_user_id = q.OptText(17);
  a.emitter_user_id = q.OptText(18);
  a.reporter_sealed = q.Blob(19);
  a.closed_outcome = OptEnum(row, "closed_outcome", q.OptText(20), domain::ParseCloseOutcome);
  a.resource_id = q.OptText(21);
  a.consultation_id = q.OptText(22);
  a.version = q.Int(23);
  if (!row.status().ok()) return row.status();
  return a;
}

void BindAlertRow(Stmt& q, const AlertRecord& a) {
  q.Bind(a.id)
      .Bind(a.reference)
      .Bind(a.created_at)
      .Bind(a.kind)
      .Bind(a.screening_id)
      .Bind(a.territory_code)
      .Bind(std::string(domain::ToString(a.urgency)))
      .Bind(a.deadline_at)
      .Bind(a.status)
      .Bind(a.crisis)
      .Bind(a.contact_sealed)
      .Bind(a.updated_at)
      .Bind(a.sub_territory_code)
      .Bind(a.contact_key)
      .Bind(a.suspected_flood)
      .Bind(std::string(domain::ToString(a.source)))
      .Bind(OptName(a.level))
      .Bind(a.assigned_user_id)
      .Bind(a.emitter_user_id)
      .Bind(a.reporter_sealed)
      .Bind(OptName(a.closed_outcome))
      .Bind(a.resource_id)
      .Bind(a.consultation_id)
      .Bind(a.version);
}

std::unique_ptr<AlertRepository> MakeSqliteAlerts(Conn& c, Status* first_error) {
  return std::make_unique<SqliteAlerts>(c, first_error);
}

#undef PARCOURS_ALERT_COLS
#undef PARCOURS_EVENT_COLS

}  // namespace parcours::storage::sqlite_internal
