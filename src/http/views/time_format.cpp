#include "http/views/time_format.h"

#include <ctime>

namespace parcours::http {

std::string FormatUtc(domain::TimestampMs ms, const char* format) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

}  // namespace parcours::http
