// Time and randomness seams: real implementations for the program, fakes in
// tests (tests/unit/app/fakes.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

// Time-ordered identifier in the ULID layout, 26 characters of lower-case
// Crockford base32: the first 10 encode clock.NowMs() (48 bits, big-endian,
// so ids sort by creation time across milliseconds, as text and as bytes),
// the last 16 encode 80 bits from `random` (unguessable; no ordering within
// one millisecond). New rows then land at the right edge of a primary-key
// B-tree instead of at a random place (docs/decisions.md).
std::string NewId(const Clock& clock, Random& random);

// The creation time an id of NewId's layout encodes; nullopt when `id` is
// not in that layout.
std::optional<domain::TimestampMs> IdTime(std::string_view id);

}  // namespace parcours::app
