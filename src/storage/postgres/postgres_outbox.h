// The PostgreSQL OutboxRepository (see storage/outbox_repository.h), bound to
// one transaction. Claims lock the rows they take with FOR UPDATE SKIP
// LOCKED, so concurrent claimers (other instances) pass over them.
#pragma once

#include <memory>

#include "core/status.h"
#include "storage/outbox_repository.h"

namespace parcours::storage::postgres_internal {

class PgConn;

// c and first_error are borrowed for the transaction's lifetime; the first
// failing call is recorded in *first_error (it then fails the transaction).
std::unique_ptr<OutboxRepository> MakePostgresOutbox(PgConn& c, Status* first_error);

}  // namespace parcours::storage::postgres_internal
