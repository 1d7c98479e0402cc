// A reader–writer lock where a waiting writer is never starved by a stream
// of readers. glibc's pthread rwlock (behind std::shared_mutex) prefers
// readers: under steady search load a refresher could wait for ever. Here a
// writer takes a turnstile first, so readers arriving after it queue behind
// it; readers already inside finish, the writer runs, then readers resume.
// Meets SharedMutex (std::unique_lock / std::shared_lock).
#pragma once

#include <mutex>
#include <shared_mutex>

namespace parcours {

class FairSharedMutex {
 public:
  void lock() {
    std::lock_guard turn(turnstile_);
    mu_.lock();
  }
  void unlock() { mu_.unlock(); }
  void lock_shared() {
    { std::lock_guard turn(turnstile_); }
    mu_.lock_shared();
  }
  void unlock_shared() { mu_.unlock_shared(); }

 private:
  std::mutex turnstile_;
  std::shared_mutex mu_;
};

}  // namespace parcours
