#include "app/screening/flood_monitor.h"

namespace parcours::app {

bool FloodMonitor::Record(const std::string& territory, domain::TimestampMs now) {
  constexpr domain::TimestampMs kHour = 3600 * 1000;
  core::MutexLock lock(mu_);
  auto& times = recent_[territory];
  times.push_back(now);
  while (times.size() > static_cast<std::size_t>(per_hour_) + 1) times.pop_front();
  while (!times.empty() && times.front() <= now - kHour) times.pop_front();
  return times.size() > static_cast<std::size_t>(per_hour_);
}

}  // namespace parcours::app
