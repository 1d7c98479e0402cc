#include "domain/alert/alert_machine.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <utility>

#include "../support.h"

namespace parcours::domain {
namespace {

using testing::ReadProjectFile;

boost::json::object Cases() {
  return boost::json::parse(ReadProjectFile("tests/cases/alert_transitions.json")).as_object();
}

TEST(AlertMachine, EveryStatusEventPairOfTheCasesFile) {
  const auto doc = Cases();
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& v : doc.at("transitions").as_array()) {
    const auto& c = v.as_object();
    SCOPED_TRACE(std::string(c.at("name").as_string()));
    auto from = ParseAlertStatus(c.at("from").as_string());
    auto event = ParseAlertEventType(c.at("event").as_string());
    ASSERT_TRUE(from && event);
    seen.emplace(std::string(c.at("from").as_string()), std::string(c.at("event").as_string()));
    auto next = NextStatus(*from, *event);
    if (c.at("to").is_null()) {
      EXPECT_FALSE(next.has_value()) << "allowed: " << ToString(*next);
    } else {
      ASSERT_TRUE(next.has_value()) << "forbidden";
      EXPECT_EQ(ToString(*next), c.at("to").as_string());
    }
  }
  // Every pair of status × (commands + escalated) is in the file.
  for (AlertStatus s : kAlertStatuses) {
    for (AlertEventType e : kAlertCommands) {
      EXPECT_TRUE(seen.contains({std::string(ToString(s)), std::string(ToString(e))}))
          << ToString(s) << " + " << ToString(e) << " has no case";
    }
    EXPECT_TRUE(seen.contains({std::string(ToString(s)), "escalated"}));
  }
}

TEST(AlertMachine, TheTableHoldsNoRowTheCasesFileDoesNotAllow) {
  const auto doc = Cases();
  std::set<std::pair<std::string, std::string>> allowed;
  for (const auto& v : doc.at("transitions").as_array()) {
    const auto& c = v.as_object();
    if (!c.at("to").is_null()) {
      allowed.emplace(std::string(c.at("from").as_string()),
                      std::string(c.at("event").as_string()));
    }
  }
  for (const auto& t : AlertTransitions()) {
    EXPECT_TRUE(allowed.contains({std::string(ToString(t.from)), std::string(ToString(t.event))}))
        << ToString(t.from) << " + " << ToString(t.event);
  }
  EXPECT_EQ(AlertTransitions().size(), allowed.size());
}

TEST(AlertMachine, CreatedIsNeverATransition) {
  for (AlertStatus s : kAlertStatuses) {
    EXPECT_FALSE(NextStatus(s, AlertEventType::kCreated).has_value());
  }
}

TEST(AlertMachine, UnreachableFloorCases) {
  const auto doc = Cases();
  for (const auto& v : doc.at("unreachable_floor").as_array()) {
    const auto& c = v.as_object();
    SCOPED_TRACE(std::string(c.at("name").as_string()));
    std::vector<std::string> keys;
    for (const auto& k : c.at("attempt_half_days").as_array()) {
      keys.emplace_back(k.as_string());
    }
    Status st = CheckCloseOutcome(CloseOutcome::kUnreachable, c.at("floor").as_bool(), keys);
    if (c.at("allowed").as_bool()) {
      EXPECT_TRUE(st.ok()) << st.message();
    } else {
      EXPECT_EQ(st.code(), StatusCode::kConflict);
      EXPECT_EQ(st.field(), "outcome");
    }
  }
}

TEST(AlertMachine, OtherOutcomesHaveNoFloor) {
  for (auto o : {CloseOutcome::kOriented, CloseOutcome::kTakenInCharge, CloseOutcome::kRefused,
                 CloseOutcome::kDuplicate, CloseOutcome::kWrongNumber}) {
    EXPECT_TRUE(CheckCloseOutcome(o, true, {}).ok()) << ToString(o);
  }
}

TEST(AlertMachine, IdentifiersRoundTrip) {
  for (AlertStatus s : kAlertStatuses) EXPECT_EQ(ParseAlertStatus(ToString(s)), s);
  for (auto o : {CloseOutcome::kOriented, CloseOutcome::kTakenInCharge, CloseOutcome::kUnreachable,
                 CloseOutcome::kRefused, CloseOutcome::kDuplicate, CloseOutcome::kWrongNumber}) {
    EXPECT_EQ(ParseCloseOutcome(ToString(o)), o);
  }
  EXPECT_EQ(ParseAlertSource("third_party"), AlertSource::kThirdParty);
  EXPECT_EQ(ParseAttemptOutcome("no_answer"), AttemptOutcome::kNoAnswer);
  EXPECT_FALSE(ParseAlertStatus("open").has_value());
}

}  // namespace
}  // namespace parcours::domain
