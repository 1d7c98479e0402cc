// The PostgreSQL ReminderRepository (see storage/reminder_repository.h),
// bound to one server transaction.
#pragma once

#include <memory>

#include "core/status.h"
#include "storage/reminder_repository.h"

namespace parcours::storage::postgres_internal {

class PgConn;

// c and first_error are borrowed for the transaction's lifetime; the first
// failing call is recorded in *first_error (it then fails the transaction).
std::unique_ptr<ReminderRepository> MakePostgresReminders(PgConn& c, Status* first_error);

}  // namespace parcours::storage::postgres_internal
