// The PostgreSQL FollowUpRepository (see storage/follow_up_repository.h), bound to
// one server transaction.
#pragma once

#include <memory>

#include "core/status.h"
#include "storage/follow_up_repository.h"

namespace parcours::storage::postgres_internal {

class PgConn;

// c and first_error are borrowed for the transaction's lifetime; the first
// failing call is recorded in *first_error (it then fails the transaction).
std::unique_ptr<FollowUpRepository> MakePostgresFollowUp(PgConn& c, Status* first_error);

}  // namespace parcours::storage::postgres_internal
