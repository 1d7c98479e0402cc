// The callers waiting for a group commit, for both backends: Transact queues
// a job and blocks until the backend's executor thread(s) set its outcome;
// an executor takes the queued jobs in batches.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/thread_annotations.h"

namespace parcours::storage {

class Transaction;

// Job: a type with a std::promise<Status> member `promise`, which the
// executor sets once for every job it takes. Thread-safe.
template <class Job>
class WriteQueue {
 public:
  // Queues `job` and waits for its outcome; kUnavailable once closed.
  Status Submit(std::shared_ptr<Job> job) {
    std::future<Status> done = job->promise.get_future();
    {
      core::MutexLock lock(mu_);
      if (closed_) return Status::Unavailable("storage is closing");
      queue_.push_back(std::move(job));
    }
    cv_.notify_one();
    return done.get();
  }

  // Submit of a job running the transaction callback `fn` (Job::fn).
  Status SubmitTransaction(const std::function<Status(Transaction&)>& fn) {
    auto job = std::make_shared<Job>();
    job->fn = &fn;
    return Submit(std::move(job));
  }

  // Waits for queued jobs and takes, from the front, the first one and then
  // the next ones as long as `joins(first, next)` holds, `max` at the most.
  // Empty once the queue is closed and drained.
  template <class Joins>
  std::vector<std::shared_ptr<Job>> TakeBatch(std::size_t max, Joins&& joins) {
    std::vector<std::shared_ptr<Job>> batch;
    core::MutexLock lock(mu_);
    lock.Wait(cv_, [this]() REQUIRES(mu_) { return closed_ || !queue_.empty(); });
    while (!queue_.empty() && batch.size() < max &&
           (batch.empty() || joins(*batch.front(), *queue_.front()))) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    return batch;
  }

  // Refuses new jobs and wakes the executors; the jobs queued are still taken.
  void Close() {
    {
      core::MutexLock lock(mu_);
      closed_ = true;
    }
    cv_.notify_all();
  }

 private:
  core::Mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Job>> queue_ GUARDED_BY(mu_);
  bool closed_ GUARDED_BY(mu_) = false;
};

}  // namespace parcours::storage
