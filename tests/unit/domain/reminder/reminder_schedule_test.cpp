#include "domain/reminder/reminder_schedule.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <string>

#include "../support.h"
#include "domain/pathway/opening_hours.h"
#include "domain/pathway/pathway_rules.h"

namespace parcours::domain {
namespace {

using testing::ReadProjectFile;

// "YYYY-MM-DDTHH:MM:SSZ" → UTC milliseconds.
TimestampMs ParseUtc(const std::string& s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  EXPECT_EQ(std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &se), 6) << s;
  return ((DaysFromCivil(LocalDate{y, mo, d}) * 24 + h) * 60 + mi) * 60'000LL + se * 1000LL;
}

TEST(ReminderSchedule, CasesFromData) {
  const auto doc = boost::json::parse(ReadProjectFile("tests/cases/reminders.json"));
  auto holidays = HolidayTable::Parse(ReadProjectFile("data/pathway/holidays.json"));
  ASSERT_TRUE(holidays.ok());
  auto rules = PathwayRules::Parse(ReadProjectFile("data/pathway/defaults.json"));
  ASSERT_TRUE(rules.ok());
  const auto& cases = doc.at("cases").as_array();
  ASSERT_GE(cases.size(), 15u);
  for (const auto& cv : cases) {
    const auto& c = cv.as_object();
    const std::string name(c.at("name").as_string());
    SCOPED_TRACE(name);
    ReminderInput in;
    in.period = *ParsePeriod(c.at("period").as_string());
    in.band = *ParseBand(c.at("band").as_string());
    if (const auto* age = c.if_contains("child_age_weeks")) {
      in.child_age_weeks = static_cast<int>(age->as_int64());
    }
    AssessmentInput assess;
    assess.period = in.period;
    assess.child_age_weeks = in.child_age_weeks;
    assess.score = in.band == Band::kWatch ? 9 : 0;
    in.rescreen_days = rules->Assess(assess).rescreen_days;
    in.screened_at = ParseUtc(std::string(c.at("screened_at").as_string()));

    const auto due = ReminderDueAt(in, rules->timing());
    if (c.at("due_at").is_null()) {
      EXPECT_FALSE(due.has_value());
      continue;
    }
    ASSERT_TRUE(due.has_value());
    EXPECT_EQ(*due, ParseUtc(std::string(c.at("due_at").as_string())));
    const std::string territory(c.at("territory").as_string());
    const auto send =
        DecentSendTime(*due, std::string(c.at("time_zone").as_string()), holidays->For(territory));
    EXPECT_EQ(send, ParseUtc(std::string(c.at("send_at").as_string())))
        << "got " << send << " (" << ToLocal(std::string(c.at("time_zone").as_string()), send).hour
        << "h local)";
  }
}

TEST(ReminderSchedule, WatchUsesTheBandsRescreenDelay) {
  TimingRules timing;
  ReminderInput in;
  in.child_age_weeks = 10;
  in.band = Band::kWatch;
  in.rescreen_days = 21;
  in.screened_at = 1'000'000'000'000;
  EXPECT_EQ(ReminderDueAt(in, timing), in.screened_at + 21LL * 24 * 3'600'000);
}

TEST(ReminderSchedule, AnEmptyWindowLeavesTheTimeAlone) {
  SendWindow never{10 * 60, 10 * 60, 6};
  EXPECT_EQ(DecentSendTime(1'000'000'000'000, "Europe/Paris", ClosedDays{}, never),
            1'000'000'000'000);
}

}  // namespace
}  // namespace parcours::domain
