#include "domain/text/fold.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace parcours::domain {
namespace {

TEST(FoldTest, AccentsCaseAndSeparators) {
  EXPECT_EQ(FoldForSearch("Hénin-Beaumont"), "henin beaumont");
  EXPECT_EQ(FoldForSearch("Hénin-Beaumont"), FoldForSearch("henin beaumont"));
  EXPECT_EQ(FoldForSearch("HENIN  BEAUMONT"), "henin beaumont");
  EXPECT_EQ(FoldForSearch("L'Haÿ-les-Roses"), "l hay les roses");
  EXPECT_EQ(FoldForSearch("L’Abergement-Clémenciat"), "l abergement clemenciat");
  EXPECT_EQ(FoldForSearch("  --Saint-Étienne!!  "), "saint etienne");
  EXPECT_EQ(FoldForSearch("Îles Éparses de l'océan Indien"), "iles eparses de l ocean indien");
  EXPECT_EQ(FoldForSearch("ÇA GÈRE À PRÉSENT"), "ca gere a present");
  EXPECT_EQ(FoldForSearch("Nom d'exercice"), "nom d exercice");
  EXPECT_EQ(FoldForSearch(""), "");
  EXPECT_EQ(FoldForSearch(" - ' "), "");
}

TEST(FoldTest, LigaturesAndCompatibilityForms) {
  EXPECT_EQ(FoldForSearch("ŒUVRE Cœur"), "oeuvre coeur");
  EXPECT_EQ(FoldForSearch("Lætitia"), "laetitia");
  EXPECT_EQ(FoldForSearch("Straße"), "strasse");
  EXPECT_EQ(FoldForSearch("ﬁnesse"), "finesse");
  EXPECT_EQ(FoldForSearch("Ｐａｒｉｓ ²"), "paris 2");
}

TEST(FoldTest, InvalidUtf8BytesAreSeparators) {
  EXPECT_EQ(FoldForSearch("H\xE9nin"), "h nin");
  EXPECT_EQ(FoldForSearch("\xFF\xFE"), "");
}

TEST(FoldTest, IntoAReusedBuffer) {
  std::string key = "old content";
  FoldForSearch("Fort-de-France", &key);
  EXPECT_EQ(key, "fort de france");
}

TEST(FoldTest, PlaceNameAbbreviations) {
  EXPECT_EQ(FoldPlaceName("ST DENIS"), "saint denis");
  EXPECT_EQ(FoldPlaceName("97405 ST DENIS CEDEX"), "97405 saint denis cedex");
  EXPECT_EQ(FoldPlaceName("Saint-Denis"), FoldPlaceName("St Denis"));
  EXPECT_EQ(FoldPlaceName("Ste-Anne"), "sainte anne");
  EXPECT_EQ(FoldPlaceName("Stella-Plage"), "stella plage");
  EXPECT_EQ(FoldPlaceName(""), "");
}

TEST(FoldTest, ThreadSafe) {
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &failures] {
      for (int i = 0; i < 2000; ++i) {
        if (FoldForSearch("Hénin-Beaumont Œuvre") != "henin beaumont oeuvre") ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

}  // namespace
}  // namespace parcours::domain
