// The SQLite AlertRepository (see storage/alert_repository.h), and the alert
// row codec shared with sqlite_storage.cpp.
#pragma once

#include <memory>

#include "core/status.h"
#include "storage/alert_repository.h"

namespace parcours::storage::sqlite_internal {

class Conn;
class Stmt;

// The alerts columns, in the order ReadAlertRow reads them.
extern const char* const kAlertColumns;
Result<AlertRecord> ReadAlertRow(const Stmt& q);
// Binds every column of kAlertColumns, in order.
void BindAlertRow(Stmt& q, const AlertRecord& a);

// c and first_error are borrowed for the transaction's lifetime; the first
// failing call is recorded in *first_error (it then fails the transaction).
std::unique_ptr<AlertRepository> MakeSqliteAlerts(Conn& c, Status* first_error);

}  // namespace parcours::storage::sqlite_internal
