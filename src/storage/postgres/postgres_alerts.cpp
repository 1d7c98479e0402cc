#include "storage/postgres/postgres_alerts.h"

#include "storage/alert_search.h"
#include "storage/codec.h"
#include "storage/postgres/postgres_internal.h"

namespace parcours::storage::postgres_internal {
namespace {

using namespace row_codec;  // NOLINT(google-build-using-namespace): the readers and binders

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
// One range of the inbox search (storage/alert_search.h): walks the index
// alerts_inbox (V012) from (territory_code, status, deadline_at ≥ $3) in
// order. COLLATE "C": the same byte order as SQLite, whatever the database
// locale (and the index's).
constexpr StatementDef kSearchRange{"parcours_alert_search_range",
                                    "SELECT " PARCOURS_ALERT_COLS
                                    " FROM alerts WHERE territory_code = $1 AND status = $2 "
                                    "AND deadline_at >= $3 AND deadline_at <= $4 "
                                    "AND ($5::text IS NULL OR urgency = $5) "
                                    "AND ($6::text IS NULL OR sub_territory_code = $6) "
                                    "AND ($7::text IS NULL OR source = $7) "
                                    "AND ($8::text IS NULL OR emitter_user_id = $8) "
                                    "AND (NOT $9::boolean OR suspected_flood) "
                                    "ORDER BY deadline_at, created_at, id COLLATE \"C\" LIMIT $10"};
constexpr StatementDef kListOverdue{
    "parcours_alert_list_overdue",
    "SELECT " PARCOURS_ALERT_COLS
    " FROM alerts WHERE status <> 'closed' AND deadline_at < $1 AND ($3::text IS NULL OR "
    "territory_code = $3) AND NOT EXISTS (SELECT 1 FROM alert_events e WHERE e.escalation_key = "
    "alerts.id || '/' || alerts.deadline_at::text || '/' || $2::text) "
    "ORDER BY deadline_at, id COLLATE \"C\" LIMIT $4"};
constexpr StatementDef kListEvents{"parcours_alert_list_events",
                                   "SELECT " PARCOURS_ALERT_EVENT_COLS
                                   " FROM alert_events WHERE alert_id = $1 ORDER BY seq"};
constexpr StatementDef kEventsAfter{"parcours_alert_events_after",
                                    "SELECT " PARCOURS_ALERT_EVENT_COLS
                                    " FROM alert_events WHERE seq > $1 ORDER BY seq LIMIT $2"};
constexpr StatementDef kLastSeq{"parcours_alert_last_seq",
                                "SELECT last_seq FROM alert_event_counter WHERE id = 1"};

class PgAlerts : public AlertRepository, private TxnStatements {
 public:
  PgAlerts(PgConn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Result<std::int64_t> ApplyEvent(const AlertRecord& a, std::int64_t expected_version,
                                  const AlertEventRecord& e) override {
    Params p;
    auto r = Run(kUpdateAlert, BindAlertUpdate(p, a, expected_version));
    if (!r.ok()) return r.status();
    if (Rows(r->get()).size() != 1) {
      return Track(
          Status(StatusCode::kConflict, "the alert changed meanwhile: read it again", "version"));
    }
    return AppendEvent(e);
  }

  Result<std::int64_t> AppendEvent(const AlertEventRecord& e) override {
    Params p;
    return One(
        kInsertEvent, BindAlertEvent(p, e), [](Row& r) { return r.Int(0); }, "alert_events",
        "alert event insert returned no seq");
  }

  Result<std::vector<AlertRecord>> Search(const AlertQuery& in) override {
    return SearchAlertRanges(in, [&](const AlertRange& r) {
      Params p;
      return All(kSearchRange, BindAlertRange(p, in, r), ReadAlert<Row>, "alerts");
    });
  }

  Result<std::vector<AlertRecord>> ListOverdue(TimestampMs before, int level,
                                               const std::optional<std::string>& territory,
                                               int limit) override {
    return All(kListOverdue, Params().Int(before).Int(level).OptText(territory).Int(limit),
               ReadAlert<Row>, "alerts");
  }

  Result<std::vector<AlertEventRecord>> ListEvents(std::string_view alert_id) override {
    return All(kListEvents, Params().Text(alert_id), ReadAlertEvent<Row>, "alert_events");
  }

  Result<std::vector<AlertEventRecord>> EventsAfter(std::int64_t after, int limit) override {
    return All(kEventsAfter, Params().Int(after).Int(limit), ReadAlertEvent<Row>, "alert_events");
  }

  Result<std::int64_t> LastEventSeq() override {
    return One(
        kLastSeq, Params(), [](Row& r) { return r.Int(0); }, "alert_event_counter",
        "alert event counter row missing");
  }
};

}  // namespace

std::unique_ptr<AlertRepository> MakePostgresAlerts(PgConn& c, Status* first_error) {
  return std::make_unique<PgAlerts>(c, first_error);
}

}  // namespace parcours::storage::postgres_internal
