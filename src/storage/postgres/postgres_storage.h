// PostgreSQL backend (libpq): a pool of connections; the same repositories
// and the same conformance suite as SQLite, migrations in its own dialect.
//
// Connections are opened lazily, up to pool_size; a caller waits when all are
// in use. A connection found broken (server restart, idle timeout, failover)
// is dropped and a new one opened; when a pooled connection turns out dead at
// the first statement of a transaction, nothing has happened yet, so the
// transaction is started again on another connection.
//
// Writes are grouped (group commit): Transact() queues its callback, and an
// executor thread (pool_size / 2 of them, 1 to 4, each on a pooled
// connection) runs the callers queued meanwhile (at most 64) in one server
// transaction, each in its own SAVEPOINT, so a failing caller leaves nothing
// behind and does not affect the others. Every caller is answered once the
// shared COMMIT is acknowledged. A caller's savepoint travels with its first
// statement (pipeline mode): no extra round trip. Read() runs on its own
// pooled connection.
// Migrate() is safe when several instances run it at once (advisory lock).
#pragma once

#include <memory>
#include <string>

#include "storage/storage.h"

namespace parcours::storage {

// url: "postgresql://user@host:port/db?…" (any libpq URI or key=value
// string). Validates the URL but does not connect: kInvalidArgument when it
// cannot be parsed.
Result<std::unique_ptr<Storage>> OpenPostgres(const std::string& url, int pool_size);

// Runs sql (one or more statements, results discarded) on a new connection
// outside any pool and any transaction. For administration and tests
// (creating or dropping a schema or a database); never with untrusted input.
Status ExecPostgresAdmin(const std::string& url, const std::string& sql);

}  // namespace parcours::storage
