// Demonstration mode. `parcours demo load` records in the database (setting
// "demo") that demo data is loaded and which territories it opens for
// recontact, with fictional teams (data/demo/recontact.json); shipped files
// are never edited. While it is recorded, every page shows a "Démonstration
// / Demo" notice, /healthz reports it and API responses carry a
// `Parcours-Demo: true` header.
//
// DemoMode is thread-safe: Current() returns an immutable snapshot, read
// again from the database at most once a second, so a `demo load` run while
// the server is up shows within a second.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "app/clock.h"
#include "core/status.h"
#include "core/thread_annotations.h"
#include "domain/territory/territory.h"

namespace parcours::storage {
class Storage;
}

namespace parcours::app {

class PathwayConfig;

struct DemoState {
  bool loaded = false;
  domain::TimestampMs loaded_at = 0;
  // Territory code → the recontact terms the demo opens it with (closed
  // days: the territory's holidays).
  std::map<std::string, domain::RecontactConfig> recontact;
};

// The setting's name and its JSON: {"loaded_at_ms": N, "recontact": {code: block}}.
inline constexpr const char* kDemoSetting = "demo";

// Parses the stored setting against the territories of `config`: an unknown
// territory or an invalid block is an error naming it.
Result<DemoState> ParseDemoState(const PathwayConfig& config, std::string_view json);

// Reads data/demo/recontact.json of `share_dir`, checks it against `config`
// and records demo mode in `storage` (replacing a previous record). Returns
// the codes of the territories opened.
Result<std::vector<std::string>> RecordDemoMode(storage::Storage& storage,
                                                const PathwayConfig& config, const Clock& clock,
                                                const std::string& share_dir);

class DemoMode {
 public:
  DemoMode(storage::Storage& storage, const PathwayConfig& config, const Clock& clock);

  // The latest snapshot (never null). A setting that cannot be read or
  // parsed keeps the previous snapshot and is logged.
  std::shared_ptr<const DemoState> Current();

 private:
  storage::Storage& storage_;
  const PathwayConfig& config_;
  const Clock& clock_;
  core::Mutex mu_;
  std::shared_ptr<const DemoState> state_ GUARDED_BY(mu_);
  domain::TimestampMs read_at_ GUARDED_BY(mu_) = -1;
};

}  // namespace parcours::app
