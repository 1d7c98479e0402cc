#include "app/health.h"

#include "storage/migrations.h"

namespace parcours::app {

Health CheckHealth(storage::Storage& storage) {
  Health h;
  h.backend = std::string(storage.Backend());
  const auto& migrations =
      h.backend == "sqlite" ? storage::SqliteMigrations() : storage::PostgresMigrations();
  h.expected_schema_version = migrations.empty() ? 0 : migrations.back().version;
  Status ping = storage.Ping();
  if (!ping.ok()) {
    h.problem = ping.message();
    return h;
  }
  auto v = storage.SchemaVersion();
  if (!v.ok()) {
    h.problem = v.status().message();
    return h;
  }
  h.schema_version = *v;
  if (h.schema_version != h.expected_schema_version) {
    h.problem = "schema version " + std::to_string(h.schema_version) + ", expected " +
                std::to_string(h.expected_schema_version);
    return h;
  }
  h.healthy = true;
  return h;
}

}  // namespace parcours::app
