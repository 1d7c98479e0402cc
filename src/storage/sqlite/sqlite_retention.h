// The SQLite RetentionRepository (see storage/retention_repository.h).
#pragma once

#include <memory>

#include "core/status.h"
#include "storage/retention_repository.h"

namespace parcours::storage::sqlite_internal {

class Conn;

std::unique_ptr<RetentionRepository> MakeSqliteRetention(Conn& c, Status* first_error);

}  // namespace parcours::storage::sqlite_internal
