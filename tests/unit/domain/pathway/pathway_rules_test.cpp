// Runs the clinician-readable cases of tests/cases/ against the default
// rules of data/pathway/defaults.json.
#include "domain/pathway/pathway_rules.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "../support.h"

namespace parcours::domain {
namespace {

using testing::ReadProjectFile;

PathwayRules Defaults() {
  auto r = PathwayRules::Parse(ReadProjectFile("data/pathway/defaults.json"));
  EXPECT_TRUE(r.ok()) << r.status().message();
  return std::move(*r);
}

boost::json::array Cases(const std::string& file) {
  auto doc = boost::json::parse(ReadProjectFile("tests/cases/" + file));
  return doc.as_object()["cases"].as_array();
}

TEST(PathwayRules, EpdsBandCases) {
  PathwayRules rules = Defaults();
  auto cases = Cases("epds_bands.json");
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    const auto& o = c.as_object();
    auto r = ParseRespondent(o.at("respondent").as_string());
    ASSERT_TRUE(r);
    EXPECT_EQ(ToString(rules.BandFor(*r, static_cast<int>(o.at("score").as_int64()))),
              o.at("band").as_string())
        << o.at("name").as_string();
  }
}

TEST(PathwayRules, OrientationCases) {
  PathwayRules rules = Defaults();
  auto cases = Cases("orientation.json");
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    const auto& o = c.as_object();
    const std::string name(o.at("name").as_string());
    AssessmentInput in;
    in.respondent = *ParseRespondent(o.at("respondent").as_string());
    in.score = static_cast<int>(o.at("score").as_int64());
    in.item10_positive = o.at("item10").as_bool();
    in.vulnerability = o.at("vulnerability").as_bool();
    if (o.contains("period")) in.period = *ParsePeriod(o.at("period").as_string());
    if (o.contains("child_age_weeks")) {
      in.child_age_weeks = static_cast<int>(o.at("child_age_weeks").as_int64());
    }
    Orientation got = rules.Assess(in);
    for (const auto& [k, v] : o.at("expect").as_object()) {
      if (k == "band")
        EXPECT_EQ(ToString(got.band), v.as_string()) << name;
      else if (k == "crisis")
        EXPECT_EQ(got.crisis, v.as_bool()) << name;
      else if (k == "level")
        EXPECT_EQ(ToString(got.level), v.as_string()) << name;
      else if (k == "follow_up_level")
        EXPECT_EQ(ToString(got.follow_up_level), v.as_string()) << name;
      else if (k == "urgency")
        EXPECT_EQ(ToString(got.urgency), v.as_string()) << name;
      else if (k == "rescreen_days")
        EXPECT_EQ(got.rescreen_days, v.as_int64()) << name;
      else if (k == "within_days")
        EXPECT_EQ(got.within_days, v.as_int64()) << name;
      else if (k == "within_hours")
        EXPECT_EQ(got.within_hours, v.as_int64()) << name;
      else if (k == "baby_blues_note")
        EXPECT_EQ(got.baby_blues_note, v.as_bool()) << name;
      else
        ADD_FAILURE() << name << ": unknown expectation " << k;
    }
  }
}

TEST(PathwayRules, ItemTenAlwaysMeansCrisisWhateverTheScoreAndRespondent) {
  PathwayRules rules = Defaults();
  for (Respondent r : {Respondent::kMother, Respondent::kFather, Respondent::kCoparent}) {
    for (int score = 1; score <= 30; ++score) {
      AssessmentInput in;
      in.respondent = r;
      in.score = score;
      in.item10_positive = true;
      Orientation o = rules.Assess(in);
      EXPECT_TRUE(o.crisis);
      EXPECT_EQ(o.level, CareLevel::kEmergency);
      EXPECT_EQ(o.urgency, Urgency::kImmediate);
      EXPECT_NE(o.follow_up_level, CareLevel::kInformation);
    }
  }
}

TEST(PathwayRules, TerritoryOverridesReplaceThresholdsWithANewVersion) {
  PathwayRules rules = Defaults();
  auto over = boost::json::parse(R"({"thresholds": {"id": "hdf-2026", "version": 2,
      "mother": {"watch": 8, "possible": 10, "probable": 12},
      "father": {"watch": 6, "possible": 8, "probable": 10},
      "coparent": {"watch": 6, "possible": 8, "probable": 10}}})");
  auto r = rules.WithOverrides(over.as_object(), "hdf.json");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->thresholds().version, 2);
  EXPECT_EQ(r->BandFor(Respondent::kMother, 12), Band::kProbable);
  EXPECT_EQ(rules.BandFor(Respondent::kMother, 12), Band::kPossible);
}

TEST(PathwayRules, InconsistentOverridesAreRefusedWithThePath) {
  PathwayRules rules = Defaults();
  auto over = boost::json::parse(R"({"thresholds": {"id": "x", "version": 2,
      "mother": {"watch": 12, "possible": 10, "probable": 13},
      "father": {"watch": 6, "possible": 8, "probable": 10},
      "coparent": {"watch": 6, "possible": 8, "probable": 10}}})");
  auto r = rules.WithOverrides(over.as_object(), "t.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "t.json.thresholds.mother");
  auto bad_level = boost::json::parse(R"({"urgency": {"item10": "later"}})");
  EXPECT_FALSE(rules.WithOverrides(bad_level.as_object(), "t.json").ok());
}

}  // namespace
}  // namespace parcours::domain
