// Clang thread-safety annotations (-Wthread-safety), as in LevelDB and Abseil:
// the compiler checks that state marked GUARDED_BY(mu) is touched only with
// mu held. They expand to nothing on compilers without the analysis (GCC).
//
// std::mutex carries no capability attribute in libstdc++, so annotated state
// is guarded by core::Mutex (below), a std::mutex that clang can reason
// about; core::MutexLock is its scoped lock, and Mutex::native() hands the
// underlying std::mutex to std::condition_variable (wait through a
// std::unique_lock adopted from a held MutexLock; see sqlite_storage.cpp).
#pragma once

#include <mutex>

#if defined(__clang__)
#define PARCOURS_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define PARCOURS_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) PARCOURS_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY PARCOURS_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) PARCOURS_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) PARCOURS_THREAD_ANNOTATION(pt_guarded_by(x))
#define REQUIRES(...) PARCOURS_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) PARCOURS_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
#define EXCLUDES(...) PARCOURS_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) PARCOURS_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) PARCOURS_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) PARCOURS_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) PARCOURS_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) PARCOURS_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
#define RELEASE_GENERIC(...) PARCOURS_THREAD_ANNOTATION(release_generic_capability(__VA_ARGS__))
#define NO_THREAD_SAFETY_ANALYSIS PARCOURS_THREAD_ANNOTATION(no_thread_safety_analysis)

namespace parcours::core {

class CAPABILITY("mutex") Mutex {
 public:
  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }
  // Locks only when free: true when it did.
  bool TryLock() TRY_ACQUIRE(true) { return mu_.try_lock(); }
  // For std::condition_variable only; the caller holds this Mutex.
  std::mutex& native() { return mu_; }

 private:
  std::mutex mu_;
};

// Holds a Mutex for its scope.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  // Takes over a Mutex the caller already holds (after Mutex::TryLock).
  MutexLock(Mutex& mu, std::adopt_lock_t) REQUIRES(mu) : mu_(mu) {}
  ~MutexLock() RELEASE() { mu_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  // Waits on cv with the Mutex held on return (as cv.wait(lock, pred)).
  template <typename Cv, typename Pred>
  void Wait(Cv& cv, Pred pred) {
    std::unique_lock<std::mutex> lock(mu_.native(), std::adopt_lock);
    cv.wait(lock, pred);
    lock.release();
  }
  // The same, giving up after `timeout`: pred's value on return (as
  // cv.wait_for(lock, timeout, pred)).
  template <typename Cv, typename Duration, typename Pred>
  bool WaitFor(Cv& cv, const Duration& timeout, Pred pred) {
    std::unique_lock<std::mutex> lock(mu_.native(), std::adopt_lock);
    const bool ok = cv.wait_for(lock, timeout, pred);
    lock.release();
    return ok;
  }

 private:
  Mutex& mu_;
};

}  // namespace parcours::core
