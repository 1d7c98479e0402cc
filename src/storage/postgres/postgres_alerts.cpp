#include "storage/postgres/postgres_alerts.h"

#include "storage/codec.h"
#include "storage/postgres/postgres_internal.h"

namespace parcours::storage::postgres_internal {
namespace {

#define PARCOURS_EVENT_COLS                                                                 \
  "seq, id, alert_id, territory_code, at, actor, type, status_after, fields, note_sealed, " \
  "escalation_key"

constexpr StatementDef kUpdateAlert{
    "parcours_alert_update",
    "UPDATE alerts SET urgency = $1, deadline_at = $2, status = $3, updated_at = $4, level = $5, "
    "assigned_user_id = $6, closed_outcome = $7, resource_id = $8, version = version + 1 "
    "WHERE id = $9 AND version = $10 RETURNING version"};
// The counter row serialises event writers, so seq order is commit order
// (V007__alert_circuit.sql).
constexpr StatementDef kInsertEvent{
    "parcours_alert_insert_event",
    "WITH s AS (UPDATE alert_event_counter SET last_seq = last_seq + 1 WHERE id = 1 "
    "RETURNING last_seq) "
    "INSERT INTO alert_events (seq, id, alert_id, territory_code, at, actor, type, status_after, "
    "fields, note_sealed, escalation_key) "
    "SELECT s.last_seq, $1::text, $2::text, $3::text, $4::bigint, $5::text, $6::text, $7::text, "
    "$8::text, $9::bytea, $10::text FROM s RETURNING seq"};
// COLLATE "C": the same byte order as SQLite, whatever the database locale.
constexpr StatementDef kSearch{
    "parcours_alert_search",
    "SELECT " PARCOURS_PG_ALERT_COLS
    " FROM alerts WHERE territory_code = ANY (string_to_array($1, ',')) "
    "AND ($2::text IS NULL OR ($2 = 'open' AND status <> 'closed') OR status = $2) "
    "AND ($3::text IS NULL OR urgency = $3) "
    "AND ($4::text IS NULL OR sub_territory_code = $4) "
    "AND ($5::text IS NULL OR source = $5) "
    "AND ($6::text IS NULL OR emitter_user_id = $6) "
    "AND (NOT $7::boolean OR (status <> 'closed' AND deadline_at < $8)) "
    "AND (NOT $9::boolean OR suspected_flood) "
    "ORDER BY CASE WHEN status <> 'closed' AND deadline_at < $8 THEN 0 ELSE 1 END, "
    "deadline_at, created_at, id COLLATE \"C\" LIMIT $10"};
constexpr StatementDef kListOverdue{
    "parcours_alert_list_overdue",
    "SELECT " PARCOURS_PG_ALERT_COLS
    " FROM alerts WHERE status <> 'closed' AND deadline_at < $1 AND ($3::text IS NULL OR "
    "territory_code = $3) AND NOT EXISTS (SELECT 1 FROM alert_events e WHERE e.escalation_key = "
    "alerts.id || '/' || alerts.deadline_at::text || '/' || $2::text) "
    "ORDER BY deadline_at, id COLLATE \"C\" LIMIT $4"};
constexpr StatementDef kListEvents{"parcours_alert_list_events",
                                   "SELECT " PARCOURS_EVENT_COLS
                                   " FROM alert_events WHERE alert_id = $1 ORDER BY seq"};
constexpr StatementDef kEventsAfter{"parcours_alert_events_after",
                                    "SELECT " PARCOURS_EVENT_COLS
                                    " FROM alert_events WHERE seq > $1 ORDER BY seq LIMIT $2"};
constexpr StatementDef kLastSeq{"parcours_alert_last_seq",
                                "SELECT last_seq FROM alert_event_counter WHERE id = 1"};

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

Result<AlertEventRecord> ReadEvent(Rows& q, int i) {
  AlertEventRecord e;
  e.seq = q.Int(i, 0);
  e.id = q.Text(i, 1);
  e.alert_id = q.Text(i, 2);
  e.territory_code = q.Text(i, 3);
  e.at = q.Int(i, 4);
  e.actor = q.Text(i, 5);
  RowDecoder row("alert_events", e.id);
  e.type = row.Enum("type", q.Text(i, 6), domain::ParseAlertEventType);
  e.status_after = row.Enum("status_after", q.Text(i, 7), domain::ParseAlertStatus);
  e.fields = q.Text(i, 8);
  e.note_sealed = q.Bytes(i, 9);
  e.escalation_key = q.OptText(i, 10);
  if (q.corrupt()) return Status::Internal("corrupt row in alert event " + e.id);
  if (!row.status().ok()) return row.status();
  return e;
}

class PgAlerts : public AlertRepository {
 public:
  PgAlerts(PgConn& c, Status* first_error) : c_(c), first_error_(first_error) {}

  Result<std::int64_t> ApplyEvent(const AlertRecord& a, std::int64_t expected_version,
                                  const AlertEventRecord& e) override {
    Params p;
    p.Text(domain::ToString(a.urgency))
        .Int(a.deadline_at)
        .Text(a.status)
        .Int(a.updated_at)
        .OptText(OptName(a.level))
        .OptText(a.assigned_user_id)
        .OptText(OptName(a.closed_outcome))
        .OptText(a.resource_id)
        .Text(a.id)
        .Int(expected_version);
    auto r = Run(kUpdateAlert, p);
    if (!r.ok()) return r.status();
    if (Rows(r->get()).size() != 1) {
      return Track(
          Status(StatusCode::kConflict, "the alert changed meanwhile: read it again", "version"));
    }
    return AppendEvent(e);
  }

  Result<std::int64_t> AppendEvent(const AlertEventRecord& e) override {
    Params p;
    p.Text(e.id)
        .Text(e.alert_id)
        .Text(e.territory_code)
        .Int(e.at)
        .Text(e.actor)
        .Text(domain::ToString(e.type))
        .Text(domain::ToString(e.status_after))
        .Text(e.fields)
        .Bytes(e.note_sealed)
        .OptText(e.escalation_key);
    auto r = Run(kInsertEvent, p);
    if (!r.ok()) return r.status();
    Rows q(r->get());
    if (q.size() != 1) return Track(Status::Internal("alert event insert returned no seq"));
    std::int64_t seq = q.Int(0, 0);
    if (q.corrupt()) return Track(Status::Internal("alert event insert returned a bad seq"));
    return seq;
  }

  Result<std::vector<AlertRecord>> Search(const AlertQuery& in) override {
    std::string territories;
    for (const auto& t : in.territories) {
      if (t.find(',') != std::string::npos) continue;
      if (!territories.empty()) territories += ',';
      territories += t;
    }
    if (in.territories.empty()) return std::vector<AlertRecord>();
    Params p;
    p.Text(territories)
        .OptText(in.status)
        .OptText(OptName(in.urgency))
        .OptText(in.sub_territory)
        .OptText(OptName(in.source))
        .OptText(in.emitter_user_id)
        .Bool(in.overdue_only)
        .Int(in.now)
        .Bool(in.flood_only)
        .Int(in.limit);
    return ReadAlerts(kSearch, p);
  }

  Result<std::vector<AlertRecord>> ListOverdue(TimestampMs before, int level,
                                               const std::optional<std::string>& territory,
                                               int limit) override {
    return ReadAlerts(kListOverdue, Params().Int(before).Int(level).OptText(territory).Int(limit));
  }

  Result<std::vector<AlertEventRecord>> ListEvents(std::string_view alert_id) override {
    return ReadEvents(kListEvents, Params().Text(alert_id));
  }

  Result<std::vector<AlertEventRecord>> EventsAfter(std::int64_t after, int limit) override {
    return ReadEvents(kEventsAfter, Params().Int(after).Int(limit));
  }

  Result<std::int64_t> LastEventSeq() override {
    auto r = Run(kLastSeq, Params());
    if (!r.ok()) return r.status();
    Rows q(r->get());
    if (q.size() != 1) return Track(Status::Internal("alert event counter row missing"));
    std::int64_t seq = q.Int(0, 0);
    if (q.corrupt()) return Track(Status::Internal("corrupt alert event counter"));
    return seq;
  }

 private:
  Status Track(Status s) {
    if (!s.ok() && first_error_->ok()) *first_error_ = s;
    return s;
  }

  Result<PgResult> Run(const StatementDef& st, const Params& p) {
    auto r = c_.Run(st, p);
    // Recorded as the transaction's first error; r itself carries the failure to the caller.
    if (!r.ok()) (void)Track(r.status());
    return r;
  }

  Result<std::vector<AlertRecord>> ReadAlerts(const StatementDef& st, const Params& p) {
    auto r = Run(st, p);
    if (!r.ok()) return r.status();
    Rows q(r->get());
    std::vector<AlertRecord> out;
    out.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) {
      auto a = ReadAlertRow(q, i);
      if (!a.ok()) return Track(a.status());
      out.push_back(std::move(*a));
    }
    return out;
  }

  Result<std::vector<AlertEventRecord>> ReadEvents(const StatementDef& st, const Params& p) {
    auto r = Run(st, p);
    if (!r.ok()) return r.status();
    Rows q(r->get());
    std::vector<AlertEventRecord> out;
    out.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) {
      auto e = ReadEvent(q, i);
      if (!e.ok()) return Track(e.status());
      out.push_back(std::move(*e));
    }
    return out;
  }

  PgConn& c_;
  Status* first_error_;
};

#undef PARCOURS_EVENT_COLS

}  // namespace

Result<AlertRecord> ReadAlertRow(Rows& q, int row) {
  AlertRecord a;
  a.id = q.Text(row, 0);
  a.reference = q.Text(row, 1);
  a.created_at = q.Int(row, 2);
  a.kind = q.Text(row, 3);
  a.screening_id = q.OptText(row, 4);
  a.territory_code = q.Text(row, 5);
  RowDecoder stored("alerts", a.id);
  a.urgency = stored.Enum("urgency", q.Text(row, 6), domain::ParseUrgency);
  a.deadline_at = q.Int(row, 7);
  a.status = q.Text(row, 8);
  a.crisis = q.Bool(row, 9);
  a.contact_sealed = q.Bytes(row, 10);
  a.updated_at = q.Int(row, 11);
  a.sub_territory_code = q.OptText(row, 12);
  a.contact_key = q.OptText(row, 13);
  a.suspected_flood = q.Bool(row, 14);
  a.source = stored.Enum("source", q.Text(row, 15), domain::ParseAlertSource);
  a.level = OptEnum(stored, "level", q.OptText(row, 16), domain::ParseCareLevel);
  a.assigned_user_id = q.OptText(row, 17);
  a.emitter_user_id = q.OptText(row, 18);
  a.reporter_sealed = q.Bytes(row, 19);
  a.closed_outcome =
      OptEnum(stored, "closed_outcome", q.OptText(row, 20), domain::ParseCloseOutcome);
  a.resource_id = q.OptText(row, 21);
  a.consultation_id = q.OptText(row, 22);
  a.version = q.Int(row, 23);
  if (q.corrupt()) return Status::Internal("corrupt row in alert " + a.id);
  if (!stored.status().ok()) return stored.status();
  return a;
}

void AddAlertParams(Params& p, const AlertRecord& a) {
  p.Text(a.id)
      .Text(a.reference)
      .Int(a.created_at)
      .Text(a.kind)
      .OptText(a.screening_id)
      .Text(a.territory_code)
      .Text(domain::ToString(a.urgency))
      .Int(a.deadline_at)
      .Text(a.status)
      .Bool(a.crisis)
      .Bytes(a.contact_sealed)
      .Int(a.updated_at)
      .OptText(a.sub_territory_code)
      .OptText(a.contact_key)
      .Bool(a.suspected_flood)
      .Text(domain::ToString(a.source))
      .OptText(OptName(a.level))
      .OptText(a.assigned_user_id)
      .OptText(a.emitter_user_id)
      .Bytes(a.reporter_sealed)
      .OptText(OptName(a.closed_outcome))
      .OptText(a.resource_id)
      .OptText(a.consultation_id)
      .Int(a.version);
}

std::unique_ptr<AlertRepository> MakePostgresAlerts(PgConn& c, Status* first_error) {
  return std::make_unique<PgAlerts>(c, first_error);
}

}  // namespace parcours::storage::postgres_internal
