#include "domain/pathway/opening_hours.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domain/territory/territory.h"

namespace parcours::domain {
namespace {

// 2026-11-23 is a Monday. UTC instants of wall-clock times.
constexpr TimestampMs kHour = 3'600'000;
constexpr TimestampMs kMonday2026_11_23Utc = 1795392000000;  // 00:00 UTC

RecontactConfig WeekdaysNineToFive() {
  RecontactConfig c;
  c.open = true;
  c.hours.push_back(OpeningSlot{{1, 2, 3, 4, 5}, 9 * 60, 17 * 60});
  return c;
}

TEST(OpeningHours, ImmediateDuringOpeningHoursIsOneHourLater) {
  // Monday 10:00 in Paris (UTC+1 in November) = 09:00 UTC.
  const TimestampMs at = kMonday2026_11_23Utc + 9 * kHour;
  EXPECT_EQ(AlertDeadline(WeekdaysNineToFive(), "Europe/Paris", Urgency::kImmediate, at),
            at + kHour);
}

TEST(OpeningHours, ImmediateAtNightIsOneHourAfterTheNextOpening) {
  // Monday 22:00 Paris → due Tuesday 10:00 Paris = 09:00 UTC.
  const TimestampMs at = kMonday2026_11_23Utc + 21 * kHour;
  EXPECT_EQ(AlertDeadline(WeekdaysNineToFive(), "Europe/Paris", Urgency::kImmediate, at),
            kMonday2026_11_23Utc + 24 * kHour + 9 * kHour);
}

TEST(OpeningHours, ImmediateLateFridayCarriesOverTheWeekend) {
  // Friday 16:30 Paris: 30 min on Friday, 30 min on Monday → Monday 09:30.
  const TimestampMs friday = kMonday2026_11_23Utc + 4 * 24 * kHour;
  const TimestampMs at = friday + 15 * kHour + 30 * 60'000;
  const TimestampMs next_monday = kMonday2026_11_23Utc + 7 * 24 * kHour;
  EXPECT_EQ(AlertDeadline(WeekdaysNineToFive(), "Europe/Paris", Urgency::kImmediate, at),
            next_monday + 8 * kHour + 30 * 60'000);
}

TEST(OpeningHours, MartiniqueIsUtcMinusFour) {
  // Monday 09:00 UTC = 05:00 in Martinique: closed; opens 09:00 local = 13:00 UTC.
  const TimestampMs at = kMonday2026_11_23Utc + 9 * kHour;
  EXPECT_FALSE(IsOpenAt(WeekdaysNineToFive(), "America/Martinique", at));
  EXPECT_EQ(AlertDeadline(WeekdaysNineToFive(), "America/Martinique", Urgency::kImmediate, at),
            kMonday2026_11_23Utc + 14 * kHour);
  LocalTime t = ToLocal("America/Martinique", at);
  EXPECT_EQ(t.hour, 5);
  EXPECT_EQ(t.weekday, 1);
}

TEST(OpeningHours, SummerTimeIsHonoured) {
  // 2026-07-06 (Monday) 10:00 Paris = 08:00 UTC: open.
  const TimestampMs monday_july = 1783296000000;  // 2026-07-06 00:00 UTC
  EXPECT_TRUE(IsOpenAt(WeekdaysNineToFive(), "Europe/Paris", monday_july + 8 * kHour));
  EXPECT_FALSE(IsOpenAt(WeekdaysNineToFive(), "Europe/Paris", monday_july + 6 * kHour));
}

TEST(OpeningHours, ElapsedUrgencies) {
  const TimestampMs at = kMonday2026_11_23Utc + 21 * kHour;
  EXPECT_EQ(AlertDeadline(WeekdaysNineToFive(), "Europe/Paris", Urgency::kWithin24h, at),
            at + 24 * kHour);
  EXPECT_EQ(AlertDeadline(WeekdaysNineToFive(), "Europe/Paris", Urgency::kWithin72h, at),
            at + 72 * kHour);
  EXPECT_EQ(AlertDeadline(WeekdaysNineToFive(), "Europe/Paris", Urgency::kWithin7d, at),
            at + 7 * 24 * kHour);
}

TEST(OpeningHours, SlotParsing) {
  EXPECT_TRUE(
      ParseOpeningSlot(boost::json::parse(R"({"days":[1],"from":"09:00","to":"17:30"})")).ok());
  EXPECT_FALSE(
      ParseOpeningSlot(boost::json::parse(R"({"days":[8],"from":"09:00","to":"17:00"})")).ok());
  EXPECT_FALSE(
      ParseOpeningSlot(boost::json::parse(R"({"days":[1],"from":"17:00","to":"09:00"})")).ok());
  EXPECT_FALSE(
      ParseOpeningSlot(boost::json::parse(R"({"days":[1],"from":"9h","to":"17:00"})")).ok());
  EXPECT_TRUE(IsKnownTimeZone("America/Martinique"));
  EXPECT_FALSE(IsKnownTimeZone("Mars/Olympus"));
}

}  // namespace
}  // namespace parcours::domain
