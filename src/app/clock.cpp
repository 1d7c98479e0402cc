#include "app/clock.h"

#include <sodium.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace parcours::app {

domain::TimestampMs SystemClock::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string SystemRandom::Bytes(std::size_t n) {
  static const int init = sodium_init();  // idempotent, thread-safe
  (void)init;
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

namespace {

constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
constexpr int kTimeChars = 10;    // 50 bits, the top 2 always 0
constexpr int kRandomChars = 16;  // 80 bits
constexpr std::uint64_t kTimeMask = (std::uint64_t{1} << 48) - 1;

}  // namespace

std::string NewId(const Clock& clock, Random& random) {
  const std::int64_t now = clock.NowMs();
  const std::uint64_t ms = now < 0 ? 0 : static_cast<std::uint64_t>(now) & kTimeMask;
  std::string id(kTimeChars + kRandomChars, '0');
  for (int i = kTimeChars - 1, shift = 0; i >= 0; --i, shift += 5) {
    id[static_cast<std::size_t>(i)] = kAlphabet[(ms >> shift) & 31];
  }
  const std::string bytes = random.Bytes(kRandomChars * 5 / 8);  // 10 bytes = 80 bits
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t out = kTimeChars;
  for (unsigned char b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      id[out++] = kAlphabet[(acc >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return id;
}

std::optional<domain::TimestampMs> IdTime(std::string_view id) {
  if (id.size() != kTimeChars + kRandomChars) return std::nullopt;
  std::uint64_t ms = 0;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char* at = std::char_traits<char>::find(kAlphabet, 32, id[i]);
    if (at == nullptr) return std::nullopt;
    if (i < static_cast<std::size_t>(kTimeChars))
      ms = (ms << 5) | static_cast<std::uint64_t>(at - kAlphabet);
  }
  if (ms > kTimeMask) return std::nullopt;
  return static_cast<domain::TimestampMs>(ms);
}

}  // namespace parcours::app
