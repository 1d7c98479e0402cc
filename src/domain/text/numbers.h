// Locale-independent number parsing for imported fields (std::from_chars:
// no locale, no allocation, no exceptions). Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace parcours::domain {

// A finite decimal such as "870262.2", "-61.06863", "1e3"; surrounding ASCII
// spaces allowed. A comma decimal separator, "inf", "nan", or trailing text
// give nullopt.
std::optional<double> ParseDecimal(std::string_view s);

// A base-10 integer with optional sign; surrounding ASCII spaces allowed.
std::optional<std::int64_t> ParseInt64(std::string_view s);

// True when s is non-empty and made only of ASCII digits.
bool IsDigits(std::string_view s);

}  // namespace parcours::domain
