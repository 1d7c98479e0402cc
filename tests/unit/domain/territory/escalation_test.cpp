#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domain/territory/territory.h"

namespace parcours::domain {
namespace {

Result<EscalationConfig> Parse(const char* text) {
  boost::json::value v = boost::json::parse(text);
  return ParseEscalation(&v);
}

TEST(Escalation, AbsentMeansNoSecondLevel) {
  auto r = ParseEscalation(nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->second_level.has_value());
  auto empty = Parse("{}");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->second_level.has_value());
}

TEST(Escalation, SecondLevelIsRead) {
  auto r = Parse(R"({"second_level":{"names":{"fr":"DSRP d'astreinte","en":"DSRP on call"},
                   "email":"astreinte@example.org","after_hours":4}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->second_level.has_value());
  EXPECT_EQ(r->second_level->names.at("fr"), "DSRP d'astreinte");
  EXPECT_EQ(r->second_level->email, "astreinte@example.org");
  EXPECT_EQ(r->second_level->after_hours, 4);
}

TEST(Escalation, MistakesNameTheField) {
  struct Case {
    const char* text;
    const char* field;
  } cases[] = {
      {R"([])", "escalation"},
      {R"({"second_level":3})", "escalation.second_level"},
      {R"({"second_level":{"after_hours":4}})", "escalation.second_level.names"},
      {R"({"second_level":{"names":{"en":"x"},"after_hours":4}})",
       "escalation.second_level.names.fr"},
      {R"({"second_level":{"names":{"fr":"x"},"after_hours":0}})",
       "escalation.second_level.after_hours"},
      {R"({"second_level":{"names":{"fr":"x"},"after_hours":169}})",
       "escalation.second_level.after_hours"},
      {R"({"second_level":{"names":{"fr":"x"}}})", "escalation.second_level.after_hours"},
      {R"({"second_level":{"names":{"fr":"x"},"after_hours":4,"email":"nope"}})",
       "escalation.second_level.email"},
  };
  for (const auto& c : cases) {
    auto r = Parse(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().field(), c.field) << c.text;
  }
}

}  // namespace
}  // namespace parcours::domain
