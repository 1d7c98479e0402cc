#include "http/cookie.h"

#include <gtest/gtest.h>

namespace parcours::http {
namespace {

TEST(CookieValueTest, FindsTheNamedCookieAmongOthers) {
  EXPECT_EQ(CookieValue("parcours_session=abc", "parcours_session"), "abc");
  EXPECT_EQ(CookieValue("theme=dark; parcours_session=abc; a=1", "parcours_session"), "abc");
  EXPECT_EQ(CookieValue("theme=dark;parcours_session=abc", "parcours_session"), "abc");
}

TEST(CookieValueTest, FirstOfTwoWins) { EXPECT_EQ(CookieValue("s=first; s=second", "s"), "first"); }

TEST(CookieValueTest, AbsentEmptyOrPrefixOnlyIsEmpty) {
  EXPECT_EQ(CookieValue("", "s"), "");
  EXPECT_EQ(CookieValue("s=", "s"), "");
  EXPECT_EQ(CookieValue("s", "s"), "");
  EXPECT_EQ(CookieValue("ss=1; xs=2", "s"), "");
  EXPECT_EQ(CookieValue(";;; ;", "s"), "");
}

TEST(CookieValueTest, ValueStopsAtTheNextSemicolon) {
  EXPECT_EQ(CookieValue("s=a=b;c=d", "s"), "a=b");
}

}  // namespace
}  // namespace parcours::http
