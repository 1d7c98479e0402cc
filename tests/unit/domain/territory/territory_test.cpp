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

HolidayTable Holidays() {
  auto h = HolidayTable::Parse(ReadProjectFile("data/pathway/holidays.json"));
  EXPECT_TRUE(h.ok()) << h.status().message();
  return std::move(*h);
}

TEST(Territories, TheShippedFilesDescribeTheSixTerritoriesAndTheOutsideQueue) {
  auto c = TerritoryCatalog::Load(ShippedFiles(), Defaults(), Holidays());
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
    // Shipped closed: no team answers until an operator opens a territory.
    EXPECT_FALSE(t.recontact.open) << t.code;
    EXPECT_TRUE(t.recontact.team.empty()) << t.code;
    EXPECT_TRUE(t.recontact.hours.empty()) << t.code;
    EXPECT_EQ(t.rules.thresholds().id, "national-default") << t.code;
  }
  // Holidays: national days everywhere, 22 May in Martinique only.
  EXPECT_TRUE(c->Find("martinique")->recontact.closed_days.Contains({2026, 5, 22}));
  EXPECT_FALSE(c->Find("normandie")->recontact.closed_days.Contains({2026, 5, 22}));
  EXPECT_TRUE(c->Find("normandie")->recontact.closed_days.Contains({2026, 5, 25}));  // Whit Monday
  EXPECT_TRUE(c->outside().recontact.closed_days.Contains({2026, 7, 14}));
}

TEST(Territories, AClosedTerritoryMayNotNameATeamOrHours) {
  auto files = ShippedFiles();
  files["martinique.json"] = R"({"code": "martinique", "names": {"fr": "Martinique"},
    "departments": ["972"], "time_zone": "America/Martinique",
    "recontact": {"open": false, "team": {"fr": "une équipe inventée"}}})";
  auto c = TerritoryCatalog::Load(files, Defaults(), Holidays());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().field(), "recontact.team");
  EXPECT_NE(c.status().message().find("martinique.json"), std::string::npos);
}

TEST(Territories, ExtraClosedDaysOfTheFileAddToTheHolidays) {
  auto files = ShippedFiles();
  files["martinique.json"] = R"({"code": "martinique", "names": {"fr": "Martinique"},
    "departments": ["972"], "time_zone": "America/Martinique",
    "recontact": {"open": true, "team": {"fr": "l’équipe"},
      "hours": [{"days": [1, 2, 3, 4, 5], "from": "08:00", "to": "16:00"}],
      "closed_days": [{"name": "Fermeture", "date": "2026-12-24"}, {"name": "Vendredi saint", "easter_offset": -2}]}})";
  auto c = TerritoryCatalog::Load(files, Defaults(), Holidays());
  ASSERT_TRUE(c.ok()) << c.status().message();
  const auto& days = c->Find("martinique")->recontact.closed_days;
  EXPECT_TRUE(days.Contains({2026, 12, 24}));
  EXPECT_TRUE(days.Contains({2026, 4, 3}));   // Good Friday 2026
  EXPECT_TRUE(days.Contains({2026, 5, 22}));  // regional day kept
  EXPECT_FALSE(days.Contains({2027, 12, 24}));
  files["martinique.json"] = R"({"code": "martinique", "names": {"fr": "Martinique"},
    "departments": ["972"], "time_zone": "America/Martinique",
    "recontact": {"open": false, "closed_days": [{"name": "x", "date": "2026-02-30"}]}})";
  auto bad = TerritoryCatalog::Load(files, Defaults(), Holidays());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "recontact.closed_days[0].date");
}

TEST(Territories, RegionalHolidaysOfAnUnknownTerritoryAreRefused) {
  auto holidays = HolidayTable::Parse(R"({"national": [], "regional": {"atlantis": []}})");
  ASSERT_TRUE(holidays.ok());
  auto c = TerritoryCatalog::Load(ShippedFiles(), Defaults(), *holidays);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().field(), "regional.atlantis");
}

TEST(Territories, AnOpenTerritoryWithoutHoursIsRefusedNamingFileAndField) {
  auto files = ShippedFiles();
  files["hauts-de-france.json"] = R"({"code": "hauts-de-france", "names": {"fr": "HdF"},
    "departments": ["59"], "time_zone": "Europe/Paris",
    "recontact": {"open": true, "team": {"fr": "équipe"}}})";
  auto c = TerritoryCatalog::Load(files, Defaults(), Holidays());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().field(), "recontact.hours");
  EXPECT_NE(c.status().message().find("hauts-de-france.json"), std::string::npos);
}

TEST(Territories, ADepartmentInTwoTerritoriesIsRefused) {
  auto files = ShippedFiles();
  files["zz.json"] = R"({"code": "zz", "names": {"fr": "Z"}, "departments": ["59"],
    "time_zone": "Europe/Paris", "recontact": {"open": false}})";
  auto c = TerritoryCatalog::Load(files, Defaults(), Holidays());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().field(), "departments");
}

TEST(Territories, UnknownTimeZoneIsRefused) {
  auto files = ShippedFiles();
  files["zz.json"] = R"({"code": "zz", "names": {"fr": "Z"}, "departments": ["75"],
    "time_zone": "Europe/Atlantis", "recontact": {"open": false}})";
  auto c = TerritoryCatalog::Load(files, Defaults(), Holidays());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().field(), "time_zone");
}

}  // namespace
}  // namespace parcours::domain
