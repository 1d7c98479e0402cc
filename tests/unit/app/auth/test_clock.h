// A clock the test moves by hand (test builds only: the program has no
// switch to use it).
#pragma once

#include <atomic>

#include "app/clock.h"

namespace parcours::app::testing {

class TestClock : public Clock {
 public:
  explicit TestClock(domain::TimestampMs start) : now_(start) {}
  domain::TimestampMs NowMs() const override { return now_.load(); }
  void Advance(domain::TimestampMs ms) { now_ += ms; }
  void Set(domain::TimestampMs ms) { now_ = ms; }

 private:
  std::atomic<domain::TimestampMs> now_;
};

inline constexpr domain::TimestampMs kMinute = 60 * 1000;
inline constexpr domain::TimestampMs kHour = 60 * kMinute;

}  // namespace parcours::app::testing
