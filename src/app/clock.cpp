#include "app/clock.h"

#include <sodium.h>

#include <chrono>

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

std::string NewId(Random& random) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  std::string bytes = random.Bytes(17);
  std::string id;
  id.reserve(26);
  // 26 symbols × 5 bits = 130 bits taken from 136 random bits.
  unsigned int acc = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5 && id.size() < 26) {
      id += kAlphabet[(acc >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return id;
}

}  // namespace parcours::app
