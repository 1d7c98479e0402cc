#include "http/router.h"

#include <gtest/gtest.h>

namespace parcours::http {
namespace {

Response Named(const char* name) {
  Response r;
  r.body = name;
  return r;
}

TEST(RouterTest, MatchesLiteralsParamsAndRest) {
  Router r;
  r.Add("GET", "/", [](Request&) { return Named("home"); });
  r.Add("GET", "/api/v1/alerts/{id}", [](Request&) { return Named("alert"); });
  r.Add(
      "GET", "/static/{*path}", [](Request&) { return Named("static"); }, true);

  Request a{.method = "GET", .path = "/api/v1/alerts/abc"};
  auto m = r.Find(a);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ((*m.handler)(a).body, "alert");
  EXPECT_EQ(a.path_params["id"], "abc");
  EXPECT_EQ(a.route, "/api/v1/alerts/{id}");

  Request s{.method = "GET", .path = "/static/dsfr/1.0/core/core.css"};
  m = r.Find(s);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_TRUE(m.inline_safe);
  EXPECT_EQ(s.path_params["path"], "dsfr/1.0/core/core.css");

  Request h{.method = "GET", .path = "/"};
  m = r.Find(h);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ((*m.handler)(h).body, "home");
}

TEST(RouterTest, UnknownPathIsNotFoundAndWrongMethodListsAllowed) {
  Router r;
  r.Add("POST", "/api/v1/screenings", [](Request&) { return Named("create"); });
  r.Add("GET", "/api/v1/screenings/{id}", [](Request&) { return Named("get"); });

  Request missing{.method = "GET", .path = "/api/v1/nothing"};
  auto m = r.Find(missing);
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_TRUE(m.allowed.empty());

  Request wrong{.method = "DELETE", .path = "/api/v1/screenings"};
  m = r.Find(wrong);
  EXPECT_EQ(m.handler, nullptr);
  ASSERT_EQ(m.allowed.size(), 1u);
  EXPECT_EQ(m.allowed[0], "POST");
}

TEST(RouterTest, HeadIsServedByGetAndSegmentsMustMatchExactly) {
  Router r;
  r.Add("GET", "/healthz", [](Request&) { return Named("h"); });
  Request head{.method = "HEAD", .path = "/healthz"};
  EXPECT_NE(r.Find(head).handler, nullptr);
  Request longer{.method = "GET", .path = "/healthz/extra"};
  EXPECT_EQ(r.Find(longer).handler, nullptr);
  Request trailing{.method = "GET", .path = "/healthz/"};
  EXPECT_NE(r.Find(trailing).handler, nullptr);
}

}  // namespace
}  // namespace parcours::http

namespace parcours::http {
namespace {

TEST(RouterTest, LiteralRoutesWinOverParameters) {
  Router r;
  r.Add("GET", "/{lang}", [](Request&) { return Named("lang home"); });
  r.Add("GET", "/accessibilite", [](Request&) { return Named("a11y"); });
  Request a{.method = "GET", .path = "/accessibilite"};
  auto m = r.Find(a);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ((*m.handler)(a).body, "a11y");
  Request en{.method = "GET", .path = "/en"};
  m = r.Find(en);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(en.path_params["lang"], "en");
}

// A request read on an I/O thread and served on a worker: Found gives the
// route Find matched, without matching again; Find's answer otherwise.
TEST(RouterTest, FoundReturnsTheRouteFindMatched) {
  Router r;
  r.Add("GET", "/{lang}", [](Request&) { return Named("lang home"); });
  r.Add("GET", "/accessibilite", [](Request&) { return Named("a11y"); });
  r.Add("POST", "/accessibilite", [](Request&) { return Named("post"); });

  Request a{.method = "GET", .path = "/accessibilite"};
  ASSERT_NE(r.Find(a).handler, nullptr);
  EXPECT_EQ(a.route_index, 1);
  // The path changed after Find: Found still answers the route Find chose.
  a.path = "/en";
  auto m = r.Found(a);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ((*m.handler)(a).body, "a11y");

  // Not found by Find yet: Found matches the path itself.
  Request en{.method = "GET", .path = "/en"};
  m = r.Found(en);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ((*m.handler)(en).body, "lang home");
  EXPECT_EQ(en.path_params["lang"], "en");

  // An index that does not name the route recorded is not trusted.
  Request forged{.method = "POST", .path = "/accessibilite"};
  forged.route = "/{lang}";
  forged.route_index = 2;
  m = r.Found(forged);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ((*m.handler)(forged).body, "post");

  // Wrong method: nothing found, the allowed methods listed.
  Request del{.method = "DELETE", .path = "/accessibilite"};
  m = r.Found(del);
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_EQ(m.allowed.size(), 2U);
}

}  // namespace
}  // namespace parcours::http
