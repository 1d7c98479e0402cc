#include "domain/territory/territory.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "../support.h"

namespace parcours::domain {
namespace {

using testing::ReadProjectFile;

std::map<std::string, std::string> ShippedFiles() {
  std::map<std::string, std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(std::string(PARCOURS_SOURCE_DIR) +
                                                           "/data/territories")) {
    if (e.path().extension() != ".json") continue;
    files[e.path().filename().string()] =
        ReadProjectFile("data/territories/" + e.path().filename().string());
  }
  return files;
}

PathwayRules Defaults() {
  return *PathwayRules::Parse(ReadProjectFile("data/pathway/defaults.json"));
}

TEST(Territories, TheShippedFilesDescribeTheSixTerritoriesAndTheOutsideQueue) {
  auto c = TerritoryCatalog::Load(ShippedFiles(), Defaults());
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->all().size(), 7u);
  EXPECT_EQ(c->ForDepartment("59").code, "hauts-de-france");
  EXPECT_EQ(c->ForDepartment("972").code, "martinique");
  EXPECT_EQ(c->ForDepartment("972").time_zone, "America/Martinique");
  EXPECT_EQ(c->ForDepartment("13").code, "paca");
  EXPECT_EQ(c->ForDepartment("34").code, "occitanie");
  EXPECT_EQ(c->ForDepartment("76").code, "normandie");
  EXPECT_EQ(c->ForDepartment("45").code, "centre-val-de-loire");
  EXPECT_TRUE(c->ForDepartment("75").outside());
  EXPECT_TRUE(c->ForDepartment("2A").outside());
  EXPECT_FALSE(c->outside().recontact.open);
  for (const auto& t : c->all()) {
    if (t.recontact.open) {
      EXPECT_FALSE(t.Team("fr").empty()) << t.code;
    }
    EXPECT_EQ(t.rules.thresholds().id, "national-default") << t.code;
  }
}

TEST(Territories, AnOpenTerritoryWithoutHoursIsRefusedNamingFileAndField) {
  auto files = ShippedFiles();
  files["hauts-de-france.json"] = R"({"code": "hauts-de-france", "names": {"fr": "HdF"},
    "departments": ["59"], "time_zone": "Europe/Paris",
    "recontact": {"open": true, "team": {"fr": "équipe"}}})";
  auto c = TerritoryCatalog::Load(files, Defaults());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().field(), "recontact.hours");
  EXPECT_NE(c.status().message().find("hauts-de-france.json"), std::string::npos);
}

TEST(Territories, ADepartmentInTwoTerritoriesIsRefused) {
  auto files = ShippedFiles();
  files["zz.json"] = R"({"code": "zz", "names": {"fr": "Z"}, "departments": ["59"],
    "time_zone": "Europe/Paris", "recontact": {"open": false}})";
  auto c = TerritoryCatalog::Load(files, Defaults());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().field(), "departments");
}

TEST(Territories, UnknownTimeZoneIsRefused) {
  auto files = ShippedFiles();
  files["zz.json"] = R"({"code": "zz", "names": {"fr": "Z"}, "departments": ["75"],
    "time_zone": "Europe/Atlantis", "recontact": {"open": false}})";
  auto c = TerritoryCatalog::Load(files, Defaults());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().field(), "time_zone");
}

}  // namespace
}  // namespace parcours::domain
