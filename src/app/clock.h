// Time and randomness seams: real implementations for the program, fakes in
// tests (tests/unit/app/fakes.h).
#pragma once

#include <cstdint>
#include <string>

#include "domain/common/types.h"

namespace parcours::app {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual domain::TimestampMs NowMs() const = 0;
};

class SystemClock : public Clock {
 public:
  domain::TimestampMs NowMs() const override;
};

class Random {
 public:
  virtual ~Random() = default;
  // n random bytes from a cryptographic source.
  virtual std::string Bytes(std::size_t n) = 0;
};

// libsodium randombytes.
class SystemRandom : public Random {
 public:
  std::string Bytes(std::size_t n) override;
};

// Random identifier: 26 characters of Crockford base32 (130 bits).
std::string NewId(Random& random);

}  // namespace parcours::app
