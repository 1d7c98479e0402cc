// Instants as text, in UTC (strftime formats), for pages.
#pragma once

#include <string>

#include "core/utc_time.h"
#include "domain/common/types.h"

namespace parcours::http {

// `ms` (milliseconds since the epoch) formatted in UTC with strftime's
// `format` (at most 63 characters of output).
inline std::string FormatUtc(domain::TimestampMs ms, const char* format) {
  return core::UtcText(ms, format);
}

// "2026-11-29 14:05 UTC", for lists and histories on pages.
inline std::string UtcMinute(domain::TimestampMs ms) { return FormatUtc(ms, "%Y-%m-%d %H:%M UTC"); }

}  // namespace parcours::http
