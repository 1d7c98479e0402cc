// Share codes: what a parent reads to their professional so that one
// self-screening (answers and score) is attached to a follow-up record.
// "K7M2Q-9QXDA": 10 symbols of Crockford base32 (50 random bits) in two
// groups; typed in any case, with or without spaces and dashes, O read as
// 0 and I / L as 1. Pure; the app layer draws the random bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parcours::domain {

inline constexpr int kShareCodeSymbols = 10;  // × 5 bits = 50 bits of entropy

// The code made of the first 50 bits of `random_bytes` (at least 7 bytes).
std::string ShareCodeFromBytes(std::string_view random_bytes);
// The canonical form ("K7M2Q-9QXDA") of a typed code, or nullopt when it is
// not 10 symbols of the alphabet.
std::optional<std::string> NormaliseShareCode(std::string_view typed);

}  // namespace parcours::domain
