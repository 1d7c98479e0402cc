// Enum <-> stored name through a table of (value, name) pairs: the one way
// the domain writes its enums as text and reads them back (an unknown name
// is nullopt, never a default).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace parcours::domain {

template <typename E, std::size_t N>
std::string_view EnumName(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [e, name] : table) {
    if (e == v) return name;
  }
  return {};
}

template <typename E, std::size_t N>
std::optional<E> ParseEnum(const std::array<std::pair<E, std::string_view>, N>& table,
                           std::string_view s) {
  for (const auto& [e, name] : table) {
    if (name == s) return e;
  }
  return std::nullopt;
}

}  // namespace parcours::domain
