#include "http/i18n.h"

#include <gtest/gtest.h>

namespace parcours::http {
namespace {

TEST(CatalogsTest, FallsBackToFrenchAndListsFrenchFirst) {
  auto c = Catalogs::FromJson(
      {{"fr", R"({"a":"Bonjour","b":"Au revoir"})"}, {"en", R"({"a":"Hello"})"}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ((*c)->Get("en", "a"), "Hello");
  EXPECT_EQ((*c)->Get("en", "b"), "Au revoir");
  EXPECT_EQ((*c)->Get("de", "a"), "Bonjour");
  EXPECT_EQ((*c)->Get("fr", "missing"), "missing");
  ASSERT_EQ((*c)->languages().size(), 2u);
  EXPECT_EQ((*c)->languages()[0], "fr");
  EXPECT_EQ((*c)->All("en").size(), 2u);
}

TEST(CatalogsTest, RejectsBadCatalogs) {
  EXPECT_FALSE(Catalogs::FromJson({{"en", R"({"a":"Hello"})"}}).ok());  // no French
  EXPECT_FALSE(Catalogs::FromJson({{"fr", R"([1])"}}).ok());
  EXPECT_FALSE(Catalogs::FromJson({{"fr", R"({"a":1})"}}).ok());
}

TEST(CatalogsTest, ShippedCatalogsHaveTheSameKeys) {
  auto c = Catalogs::Load(std::string(PARCOURS_SOURCE_DIR) + "/data/i18n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto raw = Catalogs::FromJson({{"fr", "{}"}});
  for (const auto& lang : (*c)->languages()) {
    EXPECT_EQ((*c)->All(lang).size(), (*c)->All("fr").size()) << lang;
  }
}

}  // namespace
}  // namespace parcours::http
