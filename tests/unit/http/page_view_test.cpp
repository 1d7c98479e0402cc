#include "http/views/page_view.h"

#include <gtest/gtest.h>

#include <string>

namespace parcours::http {
namespace {

std::string Label(const char* key) { return std::string("L:") + key; }

TEST(MainNavigationTest, MarksTheCurrentPageOrSection) {
  auto nav = MainNavigation("", "/", Label);
  ASSERT_EQ(nav.size(), 4U);
  EXPECT_EQ(nav[0].href, "/");
  EXPECT_EQ(nav[0].label, "L:info_nav_home");
  EXPECT_TRUE(nav[0].current_page);
  EXPECT_FALSE(nav[1].current_page || nav[1].current_section);

  nav = MainNavigation("", "/comprendre", Label);
  EXPECT_FALSE(nav[0].current_page || nav[0].current_section);
  EXPECT_TRUE(nav[1].current_page);
  EXPECT_FALSE(nav[1].current_section);

  nav = MainNavigation("", "/comprendre/signes", Label);
  EXPECT_FALSE(nav[1].current_page);
  EXPECT_TRUE(nav[1].current_section);
  EXPECT_FALSE(nav[0].current_section);  // "/" has no pages under it

  nav = MainNavigation("", "/trouver-de-l-aide/resultats", Label);
  EXPECT_TRUE(nav[3].current_section);
}

TEST(MainNavigationTest, UsesTheLanguagePrefix) {
  auto nav = MainNavigation("/en", "/depistage", Label);
  EXPECT_EQ(nav[0].href, "/en");
  EXPECT_EQ(nav[1].href, "/en/comprendre");
  EXPECT_EQ(nav[2].href, "/en/depistage");
  EXPECT_EQ(nav[3].href, "/en/trouver-de-l-aide");
  EXPECT_TRUE(nav[2].current_page);
}

TEST(MainNavigationTest, NothingIsCurrentOutsideTheEntries) {
  for (const char* path :
       {"/accessibilite", "/trouver-de-l-aides", "/comprendre-plus", "/x/comprendre"}) {
    for (const auto& link : MainNavigation("", path, Label)) {
      EXPECT_FALSE(link.current_page || link.current_section) << path << " " << link.href;
    }
  }
}

TEST(InSectionTest, RequiresASegmentBoundary) {
  EXPECT_TRUE(InSection("/trouver-de-l-aide", "/trouver-de-l-aide"));
  EXPECT_TRUE(InSection("/trouver-de-l-aide/x", "/trouver-de-l-aide"));
  EXPECT_FALSE(InSection("/aidez", "/trouver-de-l-aide"));
  EXPECT_FALSE(InSection("/", "/trouver-de-l-aide"));
  EXPECT_TRUE(InSection("/", "/"));
  EXPECT_FALSE(InSection("/trouver-de-l-aide", "/"));
}

}  // namespace
}  // namespace parcours::http
