// Runs the clinician-readable cases of tests/cases/ against the default
// rules of data/pathway/defaults.json.
#include "domain/pathway/pathway_rules.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

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
    auto opt = [](const std::optional<int>& x) {
      return x ? boost::json::value(*x) : boost::json::value(nullptr);
    };
    const std::map<std::string, boost::json::value> actual = {
        {"band", boost::json::value(ToString(got.band))},
        {"crisis", boost::json::value(got.crisis)},
        {"level", boost::json::value(ToString(got.level))},
        {"follow_up_level", boost::json::value(ToString(got.follow_up_level))},
        {"urgency", boost::json::value(ToString(got.urgency))},
        {"rescreen_days", opt(got.rescreen_days)},
        {"within_days", opt(got.within_days)},
        {"within_hours", opt(got.within_hours)},
        {"baby_blues_note", boost::json::value(got.baby_blues_note)},
        {"reminder_days", boost::json::value(rules.ReminderDays(in, got))},
    };
    for (const auto& [k, v] : o.at("expect").as_object()) {
      auto it = actual.find(std::string(k));
      if (it == actual.end()) {
        ADD_FAILURE() << name << ": unknown expectation " << k;
        continue;
      }
      EXPECT_EQ(boost::json::serialize(it->second), boost::json::serialize(v)) << name << ": " << k;
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
