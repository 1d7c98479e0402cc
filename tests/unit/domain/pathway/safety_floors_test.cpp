// The safety floors, from the readable cases of tests/cases/safety_floors.json:
// each patch is applied as the defaults file or as a territory file, and
// must be refused naming its field (or load when no field is given).
#include "domain/pathway/safety_floors.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "../support.h"
#include "domain/territory/territory.h"

namespace parcours::domain {
namespace {

using testing::ReadProjectFile;

std::map<std::string, std::string> ShippedTerritories() {
  std::map<std::string, std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(std::string(PARCOURS_SOURCE_DIR) +
                                                           "/data/territories")) {
    if (e.path().extension() != ".json") continue;
    files[e.path().filename().string()] =
        ReadProjectFile("data/territories/" + e.path().filename().string());
  }
  return files;
}

// The field a refusal names, or "" when the configuration loads.
std::string Outcome(const std::string& which, const boost::json::object& patch) {
  auto defaults_doc = boost::json::parse(ReadProjectFile("data/pathway/defaults.json")).as_object();
  auto holidays = HolidayTable::Parse(ReadProjectFile("data/pathway/holidays.json"));
  EXPECT_TRUE(holidays.ok());
  auto files = ShippedTerritories();
  if (which == "defaults") {
    for (const auto& [k, v] : patch) defaults_doc[k] = v;
  } else {
    auto t = boost::json::parse(files["martinique.json"]).as_object();
    for (const auto& [k, v] : patch) t[k] = v;
    files["martinique.json"] = boost::json::serialize(t);
  }
  auto rules = PathwayRules::Parse(boost::json::serialize(defaults_doc));
  EXPECT_TRUE(rules.ok()) << rules.status().message();
  Status st = CheckSafetyFloors(*rules, "defaults.json");
  if (!st.ok()) {
    EXPECT_NE(st.message().find("defaults.json: " + st.field()), std::string::npos) << st.message();
    return st.field();
  }
  auto catalog = TerritoryCatalog::Load(files, *rules, *holidays);
  if (!catalog.ok()) {
    EXPECT_NE(catalog.status().message().find("martinique.json"), std::string::npos)
        << catalog.status().message();
    return catalog.status().field();
  }
  return "";
}

TEST(SafetyFloors, ShippedConfigurationKeepsThem) {
  EXPECT_EQ(Outcome("territory", boost::json::object()), "");
}

TEST(SafetyFloors, ReadableCases) {
  auto doc = boost::json::parse(ReadProjectFile("tests/cases/safety_floors.json"));
  const auto& cases = doc.as_object().at("cases").as_array();
  ASSERT_GE(cases.size(), 8u);
  for (const auto& c : cases) {
    const auto& o = c.as_object();
    const std::string expected =
        o.contains("refused_field") ? std::string(o.at("refused_field").as_string()) : "";
    EXPECT_EQ(Outcome(std::string(o.at("file").as_string()), o.at("patch").as_object()), expected)
        << o.at("name").as_string();
  }
}

TEST(SafetyFloors, ItemTenFollowUpIsAtMost24HoursWhateverTheBand) {
  auto rules = PathwayRules::Parse(ReadProjectFile("data/pathway/defaults.json"));
  ASSERT_TRUE(rules.ok());
  for (Respondent r : {Respondent::kMother, Respondent::kFather, Respondent::kCoparent}) {
    for (int score = 0; score <= 30; ++score) {
      for (bool vulnerability : {false, true}) {
        AssessmentInput in;
        in.respondent = r;
        in.score = score;
        in.item10_positive = true;
        in.vulnerability = vulnerability;
        Orientation o = rules->Assess(in);
        ASSERT_TRUE(o.within_hours.has_value()) << score;
        EXPECT_LE(*o.within_hours, kItem10MaxFollowUpHours) << score;
        EXPECT_FALSE(o.within_days.has_value()) << score;
      }
    }
  }
}

}  // namespace
}  // namespace parcours::domain
