// Per-key token buckets (key: a client address, or a route family and an
// address). A bucket holds `burst` tokens and refills `burst` tokens per
// `window`; a request takes one token or is refused with the seconds to
// wait. Memory is bounded: at most `max_keys` buckets, full buckets are
// forgotten first, then (under a flood of distinct keys) the oldest.
// Thread-safe. The clock is passed in, so tests drive time.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/thread_annotations.h"

namespace parcours::http {

class RateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  RateLimiter(double burst, std::chrono::seconds window, std::size_t max_keys = 100000);

  struct Decision {
    bool allowed = true;
    int retry_after_seconds = 0;  // when refused: whole seconds until a token is back
  };
  // Takes one token of `key`'s bucket; `burst` overrides the bucket size
  // for this key (a partner key raises it), 0 = the default.
  Decision Take(std::string_view key, TimePoint now, double burst = 0);

  std::size_t size() const;

 private:
  struct Bucket {
    double tokens = 0;
    TimePoint last;
  };
  void Prune(TimePoint now) REQUIRES(mu_);

  const double burst_;
  const std::chrono::seconds window_;
  const std::size_t max_keys_;
  mutable core::Mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_ GUARDED_BY(mu_);
};

}  // namespace parcours::http
