#include "domain/text/numbers.h"

#include <charconv>
#include <cmath>
#include <system_error>

#include "domain/text/field_splitter.h"

namespace parcours::domain {

std::optional<double> ParseDecimal(std::string_view s) {
  s = TrimAscii(s);
  if (s.empty()) return std::nullopt;
  // from_chars rejects a leading '+'; accept it as the files never use it
  // but people do.
  if (s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  const char c = s.front();
  if (!(c == '-' || c == '.' || (c >= '0' && c <= '9'))) return std::nullopt;  // no inf/nan
  double value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> ParseInt64(std::string_view s) {
  s = TrimAscii(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace parcours::domain
