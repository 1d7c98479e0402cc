// The PostgreSQL RetentionRepository (see storage/retention_repository.h).
#pragma once

#include <memory>

#include "core/status.h"
#include "storage/retention_repository.h"

namespace parcours::storage::postgres_internal {

class PgConn;

std::unique_ptr<RetentionRepository> MakePostgresRetention(PgConn& c, Status* first_error);

}  // namespace parcours::storage::postgres_internal
