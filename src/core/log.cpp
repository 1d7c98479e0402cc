#include "core/log.h"

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/thread_annotations.h"

namespace parcours::log {
namespace {

std::atomic<Level> g_min{Level::kInfo};
// One writer at a time on stderr, so that lines do not interleave.
core::Mutex g_mu;

const char* LevelName(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

std::string NowIso() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(now);
  int ms =
      static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(now - secs).count());
  std::time_t t = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

}  // namespace

void SetMinLevel(Level level) { g_min = level; }

void Write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  if (level < g_min.load()) return;
  boost::json::object o;
  o["time"] = NowIso();
  o["level"] = LevelName(level);
  o["msg"] = message;
  for (const Field& f : fields) {
    const std::string_view key = f.first;
    std::visit([&o, key](const auto& x) { o[key] = x; }, f.second);
  }
  std::string line = boost::json::serialize(o);
  line += '\n';
  core::MutexLock lock(g_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace parcours::log
