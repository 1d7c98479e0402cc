// The SQLite AlertRepository (see storage/alert_repository.h); rows are read
// and bound by storage/row_codec.h.
#pragma once

#include <memory>

#include "core/status.h"
#include "storage/alert_repository.h"

namespace parcours::storage::sqlite_internal {

class Conn;

// c and first_error are borrowed for the transaction's lifetime; the first
// failing call is recorded in *first_error (it then fails the transaction).
std::unique_ptr<AlertRepository> MakeSqliteAlerts(Conn& c, Status* first_error);

}  // namespace parcours::storage::sqlite_internal
