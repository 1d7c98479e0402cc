#include "app/notify/scheduler.h"

#include "app/clock.h"
#include "core/log.h"

namespace parcours::app {

void Scheduler::Add(std::unique_ptr<ScheduledJob> job, bool on_nudge) {
  jobs_.push_back(Entry{std::move(job), on_nudge});
}

Status Scheduler::RunOne(ScheduledJob& job, domain::TimestampMs now) {
  auto r = job.RunDue(now);
  if (!r.ok()) {
    log::Warn("job failed", {{"job", job.Name()}, {"error", r.status().ToString()}});
    return r.status();
  }
  if (*r > 0)
    log::Info("job done", {{"job", job.Name()}, {"count", static_cast<std::int64_t>(*r)}});
  return Status::Ok();
}

Status Scheduler::RunAllOnce(domain::TimestampMs now) {
  Status first;
  for (auto& e : jobs_) {
    Status st = RunOne(*e.job, now);
    if (!st.ok() && first.ok()) first = st;
  }
  return first;
}

void Scheduler::Start() {
  {
    core::MutexLock lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void Scheduler::Loop() {
  auto next_tick = std::chrono::steady_clock::now();
  for (;;) {
    bool tick = false;
    {
      core::MutexLock lock(mu_);
      const auto wait = next_tick - std::chrono::steady_clock::now();
      if (wait > std::chrono::steady_clock::duration::zero()) {
        (void)lock.WaitFor(cv_, wait,
                           [this]() NO_THREAD_SAFETY_ANALYSIS { return stopping_ || nudged_; });
      }
      if (stopping_) return;
      nudged_ = false;
      tick = std::chrono::steady_clock::now() >= next_tick;
    }
    const domain::TimestampMs now = clock_.NowMs();
    for (auto& e : jobs_) {
      if (tick || e.on_nudge) (void)RunOne(*e.job, now);
    }
    if (tick) next_tick = std::chrono::steady_clock::now() + interval_;
  }
}

void Scheduler::Nudge() {
  {
    core::MutexLock lock(mu_);
    nudged_ = true;
  }
  cv_.notify_all();
}

void Scheduler::Stop() {
  {
    core::MutexLock lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace parcours::app
