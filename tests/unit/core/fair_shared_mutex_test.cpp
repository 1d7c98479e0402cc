// A writer gets the lock while readers keep overlapping (glibc's
// std::shared_mutex, reader-preferring, lets such readers starve it).
#include "core/fair_shared_mutex.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

namespace parcours {
namespace {

// Seconds a writer waited while `readers` threads held the lock in turns
// that always overlap; capped at `limit` (then the readers stop).
template <class Mutex>
double WriterWait(int readers, std::chrono::milliseconds limit) {
  Mutex mu;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < readers; ++i) {
    threads.emplace_back([&, i] {
      std::this_thread::sleep_for(std::chrono::microseconds(300 * i));  // staggered
      while (!stop) {
        std::shared_lock lock(mu);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::atomic<bool> got{false};
  const auto t0 = std::chrono::steady_clock::now();
  std::thread writer([&] {
    std::unique_lock lock(mu);
    got = true;
  });
  while (!got && std::chrono::steady_clock::now() - t0 < limit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  stop = true;
  writer.join();
  for (auto& t : threads) t.join();
  return waited;
}

TEST(FairSharedMutexTest, WriterIsNotStarvedByOverlappingReaders) {
  const double waited = WriterWait<FairSharedMutex>(6, std::chrono::milliseconds(2000));
  EXPECT_LT(waited, 0.5) << "the writer waited behind a stream of readers";
}

TEST(FairSharedMutexTest, ReadersShareAndExcludeTheWriter) {
  FairSharedMutex mu;
  std::shared_lock a(mu);
  std::shared_lock b(mu);  // two readers at once
  std::atomic<bool> wrote{false};
  std::thread w([&] {
    std::unique_lock lock(mu);
    wrote = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(wrote);
  a.unlock();
  b.unlock();
  w.join();
  EXPECT_TRUE(wrote);
}

}  // namespace
}  // namespace parcours
