#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app/clock.h"

namespace parcours::app {
namespace {

constexpr std::string_view kAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";

class FixedClock : public Clock {
 public:
  explicit FixedClock(domain::TimestampMs ms) : ms_(ms) {}
  domain::TimestampMs NowMs() const override { return ms_.load(); }
  void Set(domain::TimestampMs ms) { ms_ = ms; }

 private:
  std::atomic<domain::TimestampMs> ms_;
};

class ConstantRandom : public Random {
 public:
  explicit ConstantRandom(unsigned char byte) : byte_(byte) {}
  std::string Bytes(std::size_t n) override { return std::string(n, static_cast<char>(byte_)); }

 private:
  unsigned char byte_;
};

// The 48-bit timestamp of the first 10 characters.
std::uint64_t TimeOf(const std::string& id) {
  std::uint64_t ms = 0;
  for (std::size_t i = 0; i < 10; ++i) ms = (ms << 5) | kAlphabet.find(id[i]);
  return ms;
}

TEST(IdsTest, NewIdIs26LowerCaseCrockfordBase32Characters) {
  SystemClock clock;
  SystemRandom random;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewId(clock, random);
    ASSERT_EQ(id.size(), 26u);
    for (char c : id) ASSERT_NE(kAlphabet.find(c), std::string_view::npos) << id;
  }
}

TEST(IdsTest, FirstTenCharactersAreTheMillisecondTimestampBigEndian) {
  ConstantRandom zeros(0);
  EXPECT_EQ(NewId(FixedClock(0), zeros), std::string(26, '0'));
  // 1 ms: the last time character; all-ones random bytes: 16 × 'z'.
  ConstantRandom ones(0xff);
  EXPECT_EQ(NewId(FixedClock(1), ones), "0000000001zzzzzzzzzzzzzzzz");
  // ULID spec example: 1469918176385 ms encodes as 01ARYZ6S41.
  EXPECT_EQ(NewId(FixedClock(1469918176385), zeros).substr(0, 10), "01aryz6s41");
  EXPECT_EQ(TimeOf(NewId(FixedClock(1754300000123), zeros)), 1754300000123u);
  // Largest 48-bit time.
  EXPECT_EQ(NewId(FixedClock((std::int64_t{1} << 48) - 1), zeros).substr(0, 10), "7zzzzzzzzz");
}

TEST(IdsTest, IdsSortByTimeAcrossMilliseconds) {
  SystemRandom random;
  FixedClock clock(1754300000000);
  std::vector<std::string> ids;
  // Random parts vary: a later millisecond still sorts after, whatever they are.
  for (std::int64_t ms : {1754300000000LL, 1754300000001LL, 1754300000031LL, 1754300000032LL,
                          1754300001000LL, 1754386400000LL, 1785836000000LL}) {
    clock.Set(ms);
    for (int i = 0; i < 50; ++i) ids.push_back(NewId(clock, random));
  }
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end(), [](const auto& a, const auto& b) {
    return a.substr(0, 10) < b.substr(0, 10);
  }));
  for (std::size_t i = 50; i < ids.size(); i += 50) EXPECT_LT(ids[i - 1], ids[i]);
  // And with the real clock, over a few milliseconds.
  SystemClock real;
  std::string first = NewId(real, random);
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  EXPECT_LT(first, NewId(real, random));
}

TEST(IdsTest, UniqueUnderConcurrencyWithinTheSameMillisecond) {
  FixedClock clock(1754300000000);  // every id in one millisecond: only the random part differs
  SystemRandom random;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 5000;
  std::mutex mu;
  std::set<std::string> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < kPerThread; ++i) mine.push_back(NewId(clock, random));
      std::lock_guard lock(mu);
      seen.insert(mine.begin(), mine.end());
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST(IdsTest, RandomPartCarriesEightyBitsFromTheRandomSource) {
  FixedClock clock(1754300000000);
  SystemRandom random;
  // Every symbol of the random part takes all 32 values over 4000 ids, and
  // each value about 1/32 of the time (expected 125, far from 0 or 4000).
  std::vector<std::vector<int>> counts(16, std::vector<int>(32, 0));
  for (int i = 0; i < 4000; ++i) {
    std::string id = NewId(clock, random);
    for (std::size_t k = 0; k < 16; ++k) ++counts[k][kAlphabet.find(id[10 + k])];
  }
  for (std::size_t k = 0; k < 16; ++k) {
    for (int v = 0; v < 32; ++v) {
      EXPECT_GT(counts[k][v], 50) << "position " << 10 + k << " symbol " << kAlphabet[v];
      EXPECT_LT(counts[k][v], 250) << "position " << 10 + k << " symbol " << kAlphabet[v];
    }
  }
  // The random part is exactly the source's 10 bytes, in order (no bits dropped).
  class Counting : public Random {
   public:
    std::string Bytes(std::size_t n) override {
      EXPECT_EQ(n, 10u);
      std::string s(n, '\0');
      for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>(0x10 * i + 1);
      return s;
    }
  } counting;
  // Bytes 01 11 21 … 91 read as 80 bits, 5 at a time (checked with Python).
  EXPECT_EQ(NewId(clock, counting).substr(10), "048j2ca1a5gq30ch");
}

}  // namespace
}  // namespace parcours::app
