// Request counters and latency histograms in Prometheus text format.
// Thread-safe.
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>

namespace parcours::http {

class Metrics {
 public:
  void Record(const std::string& route, const std::string& method, int status, double seconds);
  // extra: lines appended verbatim (pool gauges...).
  std::string Render(const std::string& extra) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<long long, kBuckets.size()> counts{};
    long long count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, long long> requests_;  // GUARDED_BY(mu_)
  std::map<std::string, Histogram> latency_;                                 // GUARDED_BY(mu_)
};

}  // namespace parcours::http
