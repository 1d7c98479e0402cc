// A reader–writer lock where a waiting writer is never starved by a stream
// of readers. glibc's pthread rwlock (behind std::shared_mutex) prefers
// readers: under steady search load a refresher could wait for ever. Here a
// writer takes a turnstile first, so readers arriving after it queue behind
// it; readers already inside finish, the writer runs, then readers resume.
// Meets SharedMutex; held through WriterLock / ReaderLock (below), which
// clang's thread-safety analysis understands (std::unique_lock and
// std::shared_lock carry no annotations).
#pragma once

#include <mutex>
#include <shared_mutex>

#include "core/thread_annotations.h"

namespace parcours {

class CAPABILITY("mutex") FairSharedMutex {
 public:
  void lock() ACQUIRE() {
    std::lock_guard turn(turnstile_);
    mu_.lock();
  }
  void unlock() RELEASE() { mu_.unlock(); }
  void lock_shared() ACQUIRE_SHARED() {
    { std::lock_guard turn(turnstile_); }
    mu_.lock_shared();
  }
  void unlock_shared() RELEASE_SHARED() { mu_.unlock_shared(); }

 private:
  std::mutex turnstile_;
  std::shared_mutex mu_;
};

// Holds a FairSharedMutex exclusively for its scope.
class SCOPED_CAPABILITY WriterLock {
 public:
  explicit WriterLock(FairSharedMutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.lock(); }
  ~WriterLock() RELEASE() { mu_.unlock(); }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  FairSharedMutex& mu_;
};

// Holds a FairSharedMutex shared for its scope.
class SCOPED_CAPABILITY ReaderLock {
 public:
  explicit ReaderLock(FairSharedMutex& mu) ACQUIRE_SHARED(mu) : mu_(mu) { mu_.lock_shared(); }
  ~ReaderLock() RELEASE() { mu_.unlock_shared(); }
  ReaderLock(const ReaderLock&) = delete;
  ReaderLock& operator=(const ReaderLock&) = delete;

 private:
  FairSharedMutex& mu_;
};

}  // namespace parcours
