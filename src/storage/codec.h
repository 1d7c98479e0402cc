// Small encodings shared by the backends.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parcours::storage {

// "0,1,3" <-> {0,1,3}. Decode returns nullopt on malformed text.
std::string EncodeIntList(const std::vector<int>& v);
std::optional<std::vector<int>> DecodeIntList(std::string_view s);

}  // namespace parcours::storage
