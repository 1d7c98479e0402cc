// The SQLite ReminderRepository (see storage/reminder_repository.h), bound
// to one transaction of the writer or of a reader connection.
#pragma once

#include <memory>

#include "core/status.h"
#include "storage/reminder_repository.h"

namespace parcours::storage::sqlite_internal {

class Conn;

// c and first_error are borrowed for the transaction's lifetime; the first
// failing call is recorded in *first_error (it then fails the transaction).
std::unique_ptr<ReminderRepository> MakeSqliteReminders(Conn& c, Status* first_error);

}  // namespace parcours::storage::sqlite_internal
