// Runs the registered ScheduledJobs inside `serve`: every job once per
// `interval`, and the jobs marked `on_nudge` (the outbox sender) also as
// soon as Nudge() is called (a message was enqueued in this process), so a
// new alert's e-mail leaves within seconds rather than at the next tick.
// `parcours jobs run` uses RunAllOnce instead. Failures are logged, never
// fatal. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <thread>
#include <vector>

#include "app/notify/scheduled_job.h"
#include "core/thread_annotations.h"

namespace parcours::app {

class Clock;

class Scheduler {
 public:
  Scheduler(const Clock& clock, std::chrono::milliseconds interval)
      : clock_(clock), interval_(interval) {}
  ~Scheduler() { Stop(); }

  // Before Start(). The scheduler owns the job.
  void Add(std::unique_ptr<ScheduledJob> job, bool on_nudge);
  void Start();
  void Stop();
  void Nudge();

  // Runs every job once at `now`, in registration order; returns the first
  // failure (after running all of them).
  Status RunAllOnce(domain::TimestampMs now);

 private:
  struct Entry {
    std::unique_ptr<ScheduledJob> job;
    bool on_nudge = false;
  };
  void Loop();
  static Status RunOne(ScheduledJob& job, domain::TimestampMs now);

  const Clock& clock_;
  std::chrono::milliseconds interval_;
  std::vector<Entry> jobs_;
  core::Mutex mu_;
  std::condition_variable cv_;
  bool stopping_ GUARDED_BY(mu_) = false;
  bool nudged_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace parcours::app
