#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace parcours::http {

RateLimiter::RateLimiter(double burst, std::chrono::seconds window, std::size_t max_keys)
    : burst_(burst), window_(window), max_keys_(std::max<std::size_t>(max_keys, 1)) {}

RateLimiter::Decision RateLimiter::Take(std::string_view key, TimePoint now, double burst) {
  const double cap = burst > 0 ? burst : burst_;
  const double per_second = cap / std::max<double>(1.0, static_cast<double>(window_.count()));
  core::MutexLock lock(mu_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) Prune(now);
    it = buckets_.emplace(std::string(key), Bucket{cap, now}).first;
  }
  Bucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.last).count();
  if (elapsed > 0) {
    b.tokens = std::min(cap, b.tokens + elapsed * per_second);
    b.last = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  Decision d;
  d.allowed = false;
  d.retry_after_seconds = static_cast<int>(std::ceil((1.0 - b.tokens) / per_second));
  if (d.retry_after_seconds < 1) d.retry_after_seconds = 1;
  return d;
}

void RateLimiter::Prune(TimePoint now) {
  // Buckets that would be full again carry no information.
  const double per_second = burst_ / std::max<double>(1.0, static_cast<double>(window_.count()));
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double elapsed = std::chrono::duration<double>(now - it->second.last).count();
    if (it->second.tokens + elapsed * per_second >= burst_) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
  // Still full (a flood of distinct addresses): forget the oldest half.
  if (buckets_.size() >= max_keys_) {
    std::vector<TimePoint> times;
    times.reserve(buckets_.size());
    for (const auto& [k, b] : buckets_) times.push_back(b.last);
    auto mid = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
    std::nth_element(times.begin(), mid, times.end());
    const TimePoint cut = *mid;
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      it = it->second.last <= cut ? buckets_.erase(it) : std::next(it);
    }
  }
}

std::size_t RateLimiter::size() const {
  core::MutexLock lock(mu_);
  return buckets_.size();
}

}  // namespace parcours::http
