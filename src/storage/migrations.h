// Numbered schema migrations, one list per backend dialect. The SQL files
// live in src/storage/schemas/<backend>/V<NNN>__<name>.sql and are embedded
// in the program at build time (cmake/embed_migrations.cmake).
#pragma once

#include <vector>

namespace parcours::storage {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

const std::vector<Migration>& SqliteMigrations();
const std::vector<Migration>& PostgresMigrations();

}  // namespace parcours::storage
