// The referral state machine, from tests/cases/referral_transitions.json.
#include "domain/record/referral.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "../support.h"

namespace parcours::domain {
namespace {

namespace json = boost::json;

std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<std::string> Opt(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

json::object Cases() {
  return json::parse(testing::ReadProjectFile("tests/cases/referral_transitions.json")).as_object();
}

TEST(ReferralTransitions, EveryCaseOfTheDataFile) {
  const auto root = Cases();
  const auto& cases = root.at("cases").as_array();
  ASSERT_GE(cases.size(), 20u);
  for (const auto& c : cases) {
    const auto& o = c.as_object();
    SCOPED_TRACE(Str(o, "name"));
    auto from = ParseReferralStatus(Str(o, "from"));
    auto event = ParseReferralEvent(Str(o, "event"));
    auto by = ParseReferralSide(Str(o, "by"));
    ASSERT_TRUE(from && event && by);
    ReferralEventData data{Opt(o, "reason"), Opt(o, "appointment_date"), Opt(o, "outcome")};
    auto got =
        ApplyReferralEvent(*from, *event, *by, o.at("addressee_has_account").as_bool(), data);
    const std::string expect = Str(o, "expect");
    if (expect == "conflict") {
      EXPECT_EQ(got.status().code(), StatusCode::kConflict);
    } else if (expect == "forbidden") {
      EXPECT_EQ(got.status().code(), StatusCode::kForbidden);
    } else if (expect.rfind("invalid:", 0) == 0) {
      EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(got.status().field(), expect.substr(8));
    } else {
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      EXPECT_EQ(ToString(*got), expect);
    }
  }
}

TEST(ReferralTransitions, AllowedEventsPerSide) {
  const auto root = Cases();
  for (const auto& c : root.at("allowed").as_array()) {
    const auto& o = c.as_object();
    auto from = ParseReferralStatus(Str(o, "from"));
    auto by = ParseReferralSide(Str(o, "by"));
    ASSERT_TRUE(from && by);
    std::vector<std::string> got;
    for (auto e : AllowedReferralEvents(*from, *by, o.at("addressee_has_account").as_bool())) {
      got.emplace_back(ToString(e));
    }
    std::vector<std::string> want;
    for (const auto& e : o.at("events").as_array()) want.emplace_back(e.as_string());
    EXPECT_EQ(got, want) << Str(o, "from") << " by " << Str(o, "by");
  }
}

// Every transition of the table is exercised by at least one case of the
// file, so the file stays the readable version of the table.
TEST(ReferralTransitions, TheFileCoversTheWholeTable) {
  const auto root = Cases();
  std::set<std::pair<std::string, std::string>> covered;
  for (const auto& c : root.at("cases").as_array()) {
    const auto& o = c.as_object();
    const std::string expect = Str(o, "expect");
    if (ParseReferralStatus(expect)) covered.insert({Str(o, "from"), Str(o, "event")});
  }
  for (const auto& t : ReferralTransitions()) {
    EXPECT_TRUE(covered.count({std::string(ToString(t.from)), std::string(ToString(t.event))}))
        << ToString(t.from) << " " << ToString(t.event);
  }
}

TEST(ReferralNames, RoundTrip) {
  for (auto j : {JointCare::kYes, JointCare::kNo, JointCare::kToAssess}) {
    EXPECT_EQ(ParseJointCare(ToString(j)), j);
  }
  EXPECT_FALSE(ParseJointCare(""));
  EXPECT_FALSE(ParseReferralStatus("closed"));
}

}  // namespace
}  // namespace parcours::domain
