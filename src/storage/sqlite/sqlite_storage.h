// SQLite backend: the embedded default. WAL, synchronous=FULL, foreign keys.
//
// Writes go through one writer thread that groups the transactions of
// concurrent callers into one commit (each caller's work in its own
// SAVEPOINT, so a failing caller leaves nothing behind and does not affect the
// others). Transact() returns once that commit is on disk. Reads use a pool of
// read-only connections (WAL readers never block the writer).
#pragma once

#include <memory>
#include <string>

#include "storage/storage.h"

namespace parcours::storage {

Result<std::unique_ptr<Storage>> OpenSqlite(const std::string& path, int read_pool_size);

// Online backup of a live SQLite database to dest_path (sqlite3_backup).
Status BackupSqlite(const std::string& source_path, const std::string& dest_path);

}  // namespace parcours::storage
