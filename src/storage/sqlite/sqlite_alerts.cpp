#include "storage/sqlite/sqlite_alerts.h"

#include <sqlite3.h>

#include "storage/alert_search.h"
#include "storage/codec.h"
#include "storage/sqlite/sqlite_internal.h"

namespace parcours::storage::sqlite_internal {

namespace {

using namespace row_codec;  // NOLINT(google-build-using-namespace): the readers and binders

constexpr const char* kUpdateAlert =
    "UPDATE alerts SET urgency = ?, deadline_at = ?, status = ?, updated_at = ?, level = ?, "
    "assigned_user_id = ?, closed_outcome = ?, resource_id = ?, version = version + 1 "
    "WHERE id = ? AND version = ?";
constexpr const char* kInsertEvent =
    "INSERT INTO alert_events (id, alert_id, territory_code, at, actor, type, status_after, "
    "fields, note_sealed, escalation_key) VALUES (?,?,?,?,?,?,?,?,?,?)";
// One range of the inbox search (storage/alert_search.h): walks the index
// alerts_inbox (V012) from (territory_code, status, deadline_at ≥ ?3) in
// order.
constexpr const char* kSearchRange = "SELECT " PARCOURS_ALERT_COLS
                                     " FROM alerts WHERE territory_code = ?1 AND status = ?2 "
                                     "AND deadline_at >= ?3 AND deadline_at <= ?4 "
                                     "AND (?5 IS NULL OR urgency = ?5) "
                                     "AND (?6 IS NULL OR sub_territory_code = ?6) "
                                     "AND (?7 IS NULL OR source = ?7) "
                                     "AND (?8 IS NULL OR emitter_user_id = ?8) "
                                     "AND (?9 = 0 OR suspected_flood = 1) "
                                     "ORDER BY deadline_at, created_at, id LIMIT ?10";
constexpr const char* kListOverdue =
    "SELECT " PARCOURS_ALERT_COLS
    " FROM alerts WHERE status <> 'closed' AND deadline_at < ?1 AND (?3 IS NULL OR "
    "territory_code = ?3) AND NOT EXISTS (SELECT 1 FROM alert_events e WHERE e.escalation_key = "
    "alerts.id || '/' || alerts.deadline_at || '/' || ?2) ORDER BY deadline_at, id LIMIT ?4";
constexpr const char* kListEvents =
    "SELECT " PARCOURS_ALERT_EVENT_COLS " FROM alert_events WHERE alert_id = ? ORDER BY seq";
constexpr const char* kEventsAfter =
    "SELECT " PARCOURS_ALERT_EVENT_COLS " FROM alert_events WHERE seq > ? ORDER BY seq LIMIT ?";
constexpr const char* kLastSeq = "SELECT coalesce(max(seq), 0) FROM alert_events";

class SqliteAlerts : public AlertRepository, private TxnStatements {
 public:
  SqliteAlerts(Conn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Result<std::int64_t> ApplyEvent(const AlertRecord& a, std::int64_t expected_version,
                                  const AlertEventRecord& e) override {
    Stmt q(c_, kUpdateAlert);
    BindAlertUpdate(q, a, expected_version);
    PARCOURS_RETURN_IF_ERROR(Write(q));
    if (Changes() != 1) {
      return Note(
          Status(StatusCode::kConflict, "the alert changed meanwhile: read it again", "version"));
    }
    return AppendEvent(e);
  }

  Result<std::int64_t> AppendEvent(const AlertEventRecord& e) override {
    Stmt q(c_, kInsertEvent);
    BindAlertEvent(q, e);
    PARCOURS_RETURN_IF_ERROR(Write(q));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(c_.db()));
  }

  Result<std::vector<AlertRecord>> Search(const AlertQuery& in) override {
    return SearchAlertRanges(in, [&](const AlertRange& r) {
      Stmt q(c_, kSearchRange);
      BindAlertRange(q, in, r);
      return All(q, ReadAlert<const Stmt>);
    });
  }

  Result<std::vector<AlertRecord>> ListOverdue(TimestampMs before, int level,
                                               const std::optional<std::string>& territory,
                                               int limit) override {
    Stmt q(c_, kListOverdue);
    q.Bind(before).Bind(level).Bind(territory).Bind(limit);
    return All(q, ReadAlert<const Stmt>);
  }

  Result<std::vector<AlertEventRecord>> ListEvents(std::string_view alert_id) override {
    Stmt q(c_, kListEvents);
    q.Bind(alert_id);
    return All(q, ReadAlertEvent<const Stmt>);
  }

  Result<std::vector<AlertEventRecord>> EventsAfter(std::int64_t after, int limit) override {
    Stmt q(c_, kEventsAfter);
    q.Bind(after).Bind(limit);
    return All(q, ReadAlertEvent<const Stmt>);
  }

  Result<std::int64_t> LastEventSeq() override {
    Stmt q(c_, kLastSeq);
    return One(
        q, [](const Stmt& r) { return r.Int(0); }, "no row from max(seq)");
  }
};

}  // namespace

std::unique_ptr<AlertRepository> MakeSqliteAlerts(Conn& c, Status* first_error) {
  return std::make_unique<SqliteAlerts>(c, first_error);
}

}  // namespace parcours::storage::sqlite_internal
