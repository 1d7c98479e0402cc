// The vulnerability factor list, consultation contexts, and the orientation
// with vulnerability factors (tests/cases/orientation_vulnerability.json),
// through the one rule source (PathwayRules::Assess).
#include "domain/pathway/consultation.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "../support.h"
#include "domain/pathway/pathway_rules.h"

namespace parcours::domain {
namespace {

using testing::ReadProjectFile;

VulnerabilityFactors Shipped() {
  auto f = VulnerabilityFactors::Parse(ReadProjectFile("data/pathway/vulnerability.json"));
  EXPECT_TRUE(f.ok()) << f.status().message();
  return std::move(*f);
}

TEST(VulnerabilityFactors, ShipsTheEightHasCodesWithFrenchAndEnglishLabels) {
  VulnerabilityFactors f = Shipped();
  std::vector<std::string> codes;
  for (const auto& x : f.all()) {
    codes.push_back(x.code);
    EXPECT_TRUE(x.labels.contains("fr")) << x.code;
    EXPECT_TRUE(x.labels.contains("en")) << x.code;
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"young_parent", "obstetric_complication", "isolation",
                                             "violence", "addiction", "psychiatric_history",
                                             "premature_or_hospitalised_baby", "precarity"}));
  EXPECT_EQ(f.Label("isolation", "fr"), "Isolement social");
  EXPECT_EQ(f.Label("isolation", "en"), "Social isolation");
  EXPECT_EQ(f.Label("isolation", "de"), "Isolement social");
}

TEST(VulnerabilityFactors, CheckNamesEveryUnknownCodeAndFoldsDuplicates) {
  VulnerabilityFactors f = Shipped();
  auto bad = f.Check({"violence", "bad_luck", "isolation", "VIOLENCE"});
  ASSERT_FALSE(bad.ok());
  auto errors = bad.status().field_errors();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "vulnerability[1]");
  EXPECT_EQ(errors[0].reason, "unknown");
  EXPECT_EQ(errors[1].field, "vulnerability[3]");
  auto good = f.Check({"violence", "isolation", "violence"});
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, (std::vector<std::string>{"isolation", "violence"}));
  auto none = f.Check({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(VulnerabilityFactors, RefusesMalformedFiles) {
  for (
      const char* text : {
          R"({})",
          R"({"factors": []})",
          R"({"factors": [{"code": "Bad Code", "label": {"fr": "x"}}]})",
          R"({"factors": [{"code": "a", "label": {"en": "x"}}]})",
          R"({"factors": [{"code": "a", "label": {"fr": ""}}]})",
          R"({"factors": [{"code": "a", "label": {"fr": "x"}}, {"code": "a", "label": {"fr": "y"}}]})",
      }) {
    EXPECT_FALSE(VulnerabilityFactors::Parse(text).ok()) << text;
  }
}

TEST(ConsultationContext, IdentifiersRoundTrip) {
  std::vector<std::string> names;
  for (ConsultationContext c : AllConsultationContexts()) {
    names.emplace_back(ToString(c));
    EXPECT_EQ(ParseConsultationContext(ToString(c)), c);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"epp", "epnp", "referent_midwife", "paediatric", "gp",
                                             "other"}));
  EXPECT_FALSE(ParseConsultationContext("EPP"));
  EXPECT_FALSE(ParseConsultationContext(""));
}

TEST(ConsultationOrientation, VulnerabilityCases) {
  auto rules = PathwayRules::Parse(ReadProjectFile("data/pathway/defaults.json"));
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  VulnerabilityFactors factors = Shipped();
  auto doc = boost::json::parse(ReadProjectFile("tests/cases/orientation_vulnerability.json"));
  const auto& cases = doc.as_object().at("cases").as_array();
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    const auto& o = c.as_object();
    const std::string name(o.at("name").as_string());
    std::vector<std::string> codes;
    for (const auto& v : o.at("vulnerability").as_array()) codes.emplace_back(v.as_string());
    auto checked = factors.Check(codes);
    ASSERT_TRUE(checked.ok()) << name << ": " << checked.status().message();
    AssessmentInput in;
    in.respondent = *ParseRespondent(o.at("respondent").as_string());
    in.score = static_cast<int>(o.at("score").as_int64());
    in.item10_positive = o.at("item10").as_bool();
    in.vulnerability = !checked->empty();
    Orientation got = rules->Assess(in);
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

}  // namespace
}  // namespace parcours::domain
