// Rate limiter buckets, origin rules and client addresses (the server-level
// behaviour is in tests/hostile).
#include "http/request_guard.h"

#include <gtest/gtest.h>

#include "http/metrics.h"
#include "http/rate_limiter.h"

namespace parcours::http {
namespace {

using std::chrono::seconds;

TEST(RateLimiterTest, BurstThenRefusedWithRetryAfterThenRefilled) {
  RateLimiter rl(5, seconds(3600));
  const auto t0 = std::chrono::steady_clock::time_point{} + seconds(100000);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(rl.Take("1.2.3.4", t0).allowed) << i;
  auto sixth = rl.Take("1.2.3.4", t0);
  EXPECT_FALSE(sixth.allowed);
  EXPECT_EQ(sixth.retry_after_seconds, 720) << "one token per window/5";
  EXPECT_TRUE(rl.Take("5.6.7.8", t0).allowed) << "other addresses have their own bucket";
  EXPECT_TRUE(rl.Take("1.2.3.4", t0 + seconds(720)).allowed);
  EXPECT_FALSE(rl.Take("1.2.3.4", t0 + seconds(721)).allowed);
  EXPECT_TRUE(rl.Take("p:1.2.3.4", t0, 1000).allowed) << "a partner's larger bucket";
}

TEST(RateLimiterTest, MemoryStaysBoundedUnderDistinctAddresses) {
  RateLimiter rl(5, seconds(60), 1000);
  const auto t0 = std::chrono::steady_clock::time_point{} + seconds(100000);
  for (int i = 0; i < 100000; ++i) (void)rl.Take("10.0." + std::to_string(i), t0);
  EXPECT_LE(rl.size(), 1000u);
}

Request Post(std::string origin, std::string host = "parcours.example") {
  Request r;
  r.method = "POST";
  r.headers = {{"host", std::move(host)}};
  if (!origin.empty()) r.headers.emplace_back("origin", std::move(origin));
  return r;
}

TEST(RequestGuardTest, CrossSiteRules) {
  EXPECT_FALSE(RequestGuard::CrossSite(Post(""))) << "no Origin: a server";
  EXPECT_FALSE(RequestGuard::CrossSite(Post("https://parcours.example")));
  EXPECT_FALSE(RequestGuard::CrossSite(Post("https://parcours.example:443")));
  EXPECT_FALSE(RequestGuard::CrossSite(Post("http://127.0.0.1:8080", "127.0.0.1:8080")));
  EXPECT_TRUE(RequestGuard::CrossSite(Post("https://evil.example")));
  EXPECT_TRUE(RequestGuard::CrossSite(Post("https://parcours.example.evil.example")));
  EXPECT_TRUE(RequestGuard::CrossSite(Post("null")));
  EXPECT_TRUE(RequestGuard::CrossSite(Post("http://127.0.0.1:9999", "127.0.0.1:8080")));
  Request fetch_site = Post("");
  fetch_site.headers.emplace_back("sec-fetch-site", "cross-site");
  EXPECT_TRUE(RequestGuard::CrossSite(fetch_site));
  Request own_form = Post("null");
  EXPECT_TRUE(RequestGuard::CrossSite(own_form)) << "null without Sec-Fetch-Site";
  own_form.headers.emplace_back("sec-fetch-site", "same-origin");
  EXPECT_FALSE(RequestGuard::CrossSite(own_form)) << "our form under no-referrer";
  Request get = Post("https://evil.example");
  get.method = "GET";
  EXPECT_FALSE(RequestGuard::CrossSite(get)) << "only state-changing requests";
}

TEST(RequestGuardTest, ForwardedForOnlyFromTrustedProxies) {
  GuardOptions o;
  o.trusted_proxies = {"127.0.0.1", "10.0.0.2"};
  RequestGuard g(o);
  Request r;
  r.remote_address = "127.0.0.1";
  r.headers = {{"x-forwarded-for", "6.6.6.6, 203.0.113.9, 10.0.0.2"}};
  EXPECT_EQ(g.ClientAddress(r), "203.0.113.9") << "right-most address not added by a proxy";
  r.remote_address = "198.51.100.7";
  EXPECT_EQ(g.ClientAddress(r), "198.51.100.7") << "untrusted peer: header ignored";
}

TEST(RequestGuardTest, FamiliesFromRoutePatterns) {
  Request r;
  r.method = "POST";
  r.route = "/{lang}/rappel";
  EXPECT_EQ(RequestGuard::FamilyOf(r), RequestGuard::Family::kRecontact);
  r.route = "/depistage";
  r.body = "step=about&respondent=mother";
  EXPECT_EQ(RequestGuard::FamilyOf(r), RequestGuard::Family::kNone);
  r.body = "step=questions&q1=0&q2=1";
  EXPECT_EQ(RequestGuard::FamilyOf(r), RequestGuard::Family::kScreening);
  r.method = "GET";
  r.route = "/api/v1/recontact-requests/{reference}";
  EXPECT_EQ(RequestGuard::FamilyOf(r), RequestGuard::Family::kLookup);
}

TEST(MetricsTest, LabelsComeFromBoundedSets) {
  Metrics m;
  for (int i = 0; i < 1000; ++i) m.Record("(not found)", "X" + std::to_string(i), 400 + i % 100, 0);
  m.Record("/healthz", "GET", 200, 0);
  EXPECT_EQ(m.SeriesCount(), 4u) << "2 request series + 2 latency series";
  EXPECT_EQ(Metrics::MethodLabel("PROPFIND"), "other");
  EXPECT_EQ(Metrics::StatusClass(503), "5xx");
  EXPECT_EQ(Metrics::StatusClass(42), "other");
}

}  // namespace
}  // namespace parcours::http
