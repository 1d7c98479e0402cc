#include "storage/postgres/postgres_storage.h"
#include "storage/sqlite/sqlite_storage.h"
#include "storage/storage.h"

namespace parcours::storage {

Result<std::unique_ptr<Storage>> OpenStorage(const std::string& url, int pool_size) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return OpenPostgres(url, pool_size);
  }
  std::string path = url;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  if (path.empty()) return Status::InvalidArgument("database", "empty SQLite path");
  return OpenSqlite(path, pool_size);
}

}  // namespace parcours::storage
