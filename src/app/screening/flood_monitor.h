// Per-territory flood detection for recontact requests. Past `per_hour`
// requests within the last hour in one territory, new requests are flagged
// as a suspected flood: they are still accepted (a flood must never block a
// real parent's callback), and the coordinator's report lists them.
// Counts are per server process (several instances each count their share).
// Thread-safe; time is passed in.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/thread_annotations.h"
#include "domain/common/types.h"

namespace parcours::app {

class FloodMonitor {
 public:
  explicit FloodMonitor(int per_hour) : per_hour_(per_hour < 1 ? 1 : per_hour) {}

  // Counts one request of `territory` at `now`; true when it is beyond the
  // threshold (more than per_hour requests in the hour ending now).
  bool Record(const std::string& territory, domain::TimestampMs now);

 private:
  const int per_hour_;
  core::Mutex mu_;
  // The last per_hour + 1 request times of each territory.
  std::unordered_map<std::string, std::deque<domain::TimestampMs>> recent_ GUARDED_BY(mu_);
};

}  // namespace parcours::app
