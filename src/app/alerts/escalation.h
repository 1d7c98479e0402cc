// The escalation sweep: open alerts past their deadline are recorded as
// `escalated` events, ONE per alert per deadline per level, whichever
// instance of the program sees them first (the event's escalation_key is
// unique in storage). Level 1 goes to the territory's coordinators; level 2,
// when the territory file names a second level (`escalation.second_level`),
// once the alert is still open `after_hours` past its deadline.
//
// The event's fields say who must be told, so the notifications (issue 12)
// can follow the event log (AlertRepository::EventsAfter) and send e-mail or
// SMS without deciding anything: {"level":1,"deadline_at":…,"notify":
// "coordinators","overdue_ms":…} or {"level":2,…,"notify":"second_level"}.
//
// Thread-safe; SweepOnce may run on several instances at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <thread>

#include "app/seams.h"
#include "core/status.h"
#include "core/thread_annotations.h"
#include "domain/common/types.h"

namespace parcours::app {

class Clock;
class Random;
class PathwayConfig;
class AlertNotices;

class AlertEscalation {
 public:
  AlertEscalation(const PathwayConfig& config, storage::Storage& storage, Clock& clock,
                  Random& random)
      : config_(config), storage_(storage), clock_(clock), random_(random) {}

  struct Report {
    int recorded = 0;  // escalated events written by this call
    int already = 0;   // recorded meanwhile by another instance
  };

  // One pass over the overdue alerts (at most `batch` per level).
  Result<Report> SweepOnce(int batch = 500);
  // The same with `now` deciding what is overdue (`parcours jobs run
  // --now`); the events are still stamped with the real clock.
  Result<Report> SweepAt(domain::TimestampMs now, int batch = 500);

  // Runs SweepOnce every `interval` on a thread of its own until Stop()
  // (or destruction); on_recorded is called after a pass that recorded
  // something. Failures are logged, never fatal.
  void StartPeriodic(std::chrono::seconds interval, std::function<void()> on_recorded);
  void Stop();
  // The coordinators' and second level's messages, enqueued in the
  // escalation's transaction (issue 12); nullptr = none. Before Start.
  void SetNotices(const AlertNotices* n) { notices_ = n; }
  ~AlertEscalation() { Stop(); }

 private:
  core::Mutex mu_;
  std::condition_variable cv_;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread thread_;
  const PathwayConfig& config_;
  storage::Storage& storage_;
  Clock& clock_;
  Random& random_;
  const AlertNotices* notices_ = nullptr;
};

}  // namespace parcours::app
