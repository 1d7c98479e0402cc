// The PostgreSQL AlertRepository (see storage/alert_repository.h), and the
// alert row codec shared with postgres_storage.cpp.
#pragma once

#include <memory>

#include "core/status.h"
#include "storage/alert_repository.h"

// The alerts columns, in the order ReadAlertRow reads and AlertParams binds.
#define PARCOURS_PG_ALERT_COLS                                                            \
  "id, reference, created_at, kind, screening_id, territory_code, urgency, deadline_at, " \
  "status, crisis, contact_sealed, updated_at, sub_territory_code, contact_key, "         \
  "suspected_flood, source, level, assigned_user_id, emitter_user_id, reporter_sealed, "  \
  "closed_outcome, resource_id, consultation_id, version"
#define PARCOURS_PG_ALERT_PLACEHOLDERS \
  "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24"

namespace parcours::storage::postgres_internal {

class PgConn;
class Params;
class Rows;

Result<AlertRecord> ReadAlertRow(Rows& q, int row);
void AddAlertParams(Params& p, const AlertRecord& a);

// c and first_error are borrowed for the transaction's lifetime; the first
// failing call is recorded in *first_error (it then fails the transaction).
std::unique_ptr<AlertRepository> MakePostgresAlerts(PgConn& c, Status* first_error);

}  // namespace parcours::storage::postgres_internal
