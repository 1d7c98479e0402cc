#include "storage/codec.h"

#include <charconv>

namespace parcours::storage {

std::string EncodeIntList(const std::vector<int>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(v[i]);
  }
  return out;
}

std::optional<std::vector<int>> DecodeIntList(std::string_view s) {
  std::vector<int> out;
  if (s.empty()) return out;
  const char* p = s.data();
  const char* end = s.data() + s.size();
  while (p < end) {
    int value = 0;
    auto [next, ec] = std::from_chars(p, end, value);
    if (ec != std::errc()) return std::nullopt;
    out.push_back(value);
    p = next;
    if (p < end) {
      if (*p != ',') return std::nullopt;
      ++p;
    }
  }
  return out;
}

}  // namespace parcours::storage
