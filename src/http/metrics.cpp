#include "http/metrics.h"

#include <sstream>
#include <tuple>

namespace parcours::http {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string_view Metrics::MethodLabel(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET",     "HEAD",    "POST",  "PUT",  "DELETE",
                                                "OPTIONS", "CONNECT", "TRACE", "PATCH"};
  for (std::string_view k : kKnown) {
    if (k == method) return k;
  }
  return "other";
}

std::string_view Metrics::StatusClass(int status) {
  static constexpr std::string_view kClasses[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  if (status < 100 || status > 599) return "other";
  return kClasses[status / 100 - 1];
}

std::size_t Metrics::SeriesCount() const {
  core::MutexLock lock(mu_);
  return requests_.size() + latency_.size();
}

void Metrics::Record(const std::string& route, const std::string& method, int status,
                     double seconds) {
  core::MutexLock lock(mu_);
  ++requests_[{route, MethodLabel(method), StatusClass(status)}];
  Histogram& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::Render(const std::string& extra) const {
  std::ostringstream out;
  core::MutexLock lock(mu_);
  out << "# HELP parcours_http_requests_total HTTP requests by route, method and status class.\n"
         "# TYPE parcours_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out << "parcours_http_requests_total{route=\"" << Escape(route) << "\",method=\"" << method
        << "\",status=\"" << status << "\"} " << n << '\n';
  }
  out << "# HELP parcours_http_request_duration_seconds Time from request headers to response "
         "sent.\n# TYPE parcours_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    std::string r = Escape(route);
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out << "parcours_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\""
          << kBuckets[i] << "\"} " << h.counts[i] << '\n';
    }
    out << "parcours_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\"+Inf\"} "
        << h.count << '\n';
    out << "parcours_http_request_duration_seconds_sum{route=\"" << r << "\"} " << h.sum << '\n';
    out << "parcours_http_request_duration_seconds_count{route=\"" << r << "\"} " << h.count
        << '\n';
  }
  out << extra;
  return out.str();
}

}  // namespace parcours::http
