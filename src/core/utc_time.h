// Times as text in UTC, for logs, command output and professional pages.
#pragma once

#include <cstdint>
#include <string>

namespace parcours::core {

// `ms` (milliseconds since the epoch) formatted by strftime's `format` in UTC,
// e.g. "%Y-%m-%dT%H:%M:%SZ".
std::string UtcText(std::int64_t ms, const char* format);

}  // namespace parcours::core
