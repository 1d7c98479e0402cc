// CareLevelSet: the levels of care (DESIGN.md "Levels of care") a directory
// resource offers, as a value type of one byte. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "domain/common/types.h"

namespace parcours::domain {

// A small set of CareLevel values.
class CareLevelSet {
 public:
  constexpr CareLevelSet() = default;
  constexpr CareLevelSet(std::initializer_list<CareLevel> levels) {
    for (CareLevel l : levels) Add(l);
  }
  constexpr void Add(CareLevel level) { bits_ |= Bit(level); }
  constexpr bool Contains(CareLevel level) const { return (bits_ & Bit(level)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  // In CareLevel declaration order.
  std::vector<CareLevel> ToVector() const;
  constexpr bool operator==(const CareLevelSet&) const = default;

 private:
  static constexpr std::uint8_t Bit(CareLevel level) {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(level));
  }
  std::uint8_t bits_ = 0;
};

}  // namespace parcours::domain
