// Health of the service for /healthz: the database answers and its schema is
// the one this build expects.
#pragma once

#include <string>

#include "core/status.h"
#include "storage/storage.h"

namespace parcours::app {

struct Health {
  bool healthy = false;
  std::string backend;
  int schema_version = 0;
  int expected_schema_version = 0;
  std::string problem;  // empty when healthy
};

Health CheckHealth(storage::Storage& storage);

}  // namespace parcours::app
