// The PostgreSQL AlertRepository (see storage/alert_repository.h); rows are
// read and bound by storage/row_codec.h.
#pragma once

#include <memory>

#include "core/status.h"
#include "storage/alert_repository.h"

// The placeholders of an INSERT of every column of PARCOURS_ALERT_COLS.
#define PARCOURS_PG_ALERT_PLACEHOLDERS \
  "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24"

namespace parcours::storage::postgres_internal {

class PgConn;

// c and first_error are borrowed for the transaction's lifetime; the first
// failing call is recorded in *first_error (it then fails the transaction).
std::unique_ptr<AlertRepository> MakePostgresAlerts(PgConn& c, Status* first_error);

}  // namespace parcours::storage::postgres_internal
