// Request counters and latency histograms in Prometheus text format.
// Thread-safe. Every label comes from a bounded set, so no request can add
// series: the method is a known one or "other", the route is a pattern of
// the router (or a fixed word such as "(not found)"), the status is its
// class ("2xx"...).
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "core/thread_annotations.h"

namespace parcours::http {

class Metrics {
 public:
  void Record(const std::string& route, const std::string& method, int status, double seconds);
  // extra: lines appended verbatim (pool gauges...).
  std::string Render(const std::string& extra) const;

  // "GET", "POST"... for the methods of RFC 9110 and PATCH; "other" for the rest.
  static std::string_view MethodLabel(std::string_view method);
  // "1xx" … "5xx" ("other" outside 100–599).
  static std::string_view StatusClass(int status);
  // Number of request series (for tests).
  std::size_t SeriesCount() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<long long, kBuckets.size()> counts{};
    long long count = 0;
    double sum = 0;
  };
  mutable core::Mutex mu_;
  std::map<std::tuple<std::string, std::string_view, std::string_view>, long long> requests_
      GUARDED_BY(mu_);
  std::map<std::string, Histogram> latency_ GUARDED_BY(mu_);
};

}  // namespace parcours::http
