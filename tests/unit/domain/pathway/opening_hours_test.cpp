#include "domain/pathway/opening_hours.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "../support.h"
#include "domain/territory/territory.h"

namespace parcours::domain {
namespace {

using testing::ReadProjectFile;

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

TEST(OpeningHours, ElapsedUrgenciesFallingInOpeningHoursStay) {
  // Monday 10:00 Paris: +24 h = Tuesday 10:00, +72 h = Thursday 10:00, +7 d = Monday 10:00.
  const TimestampMs at = kMonday2026_11_23Utc + 9 * kHour;
  EXPECT_EQ(AlertDeadline(WeekdaysNineToFive(), "Europe/Paris", Urgency::kWithin24h, at),
            at + 24 * kHour);
  EXPECT_EQ(AlertDeadline(WeekdaysNineToFive(), "Europe/Paris", Urgency::kWithin72h, at),
            at + 72 * kHour);
  EXPECT_EQ(AlertDeadline(WeekdaysNineToFive(), "Europe/Paris", Urgency::kWithin7d, at),
            at + 7 * 24 * kHour);
}

TEST(OpeningHours, ElapsedDeadlineFallingAtNightMovesToTheNextOpening) {
  // Monday 22:00 Paris + 24 h = Tuesday 22:00: closed → Wednesday 09:00 Paris (08:00 UTC).
  const TimestampMs at = kMonday2026_11_23Utc + 21 * kHour;
  EXPECT_EQ(AlertDeadline(WeekdaysNineToFive(), "Europe/Paris", Urgency::kWithin24h, at),
            kMonday2026_11_23Utc + 2 * 24 * kHour + 8 * kHour);
  // Without opening hours (no team): elapsed time.
  EXPECT_EQ(AlertDeadline(RecontactConfig{}, "Europe/Paris", Urgency::kWithin24h, at),
            at + 24 * kHour);
}

// Martinique, weekdays 08:00–16:00 local (UTC−4, no summer time), with the
// shipped holidays: 22 May (abolition of slavery) and, in 2026, Whit Monday 25 May.
RecontactConfig Martinique() {
  RecontactConfig c;
  c.open = true;
  c.hours.push_back(OpeningSlot{{1, 2, 3, 4, 5}, 8 * 60, 16 * 60});
  auto table = HolidayTable::Parse(ReadProjectFile("data/pathway/holidays.json"));
  EXPECT_TRUE(table.ok());
  c.closed_days = table->For("martinique");
  return c;
}

constexpr TimestampMs kThursday2026_05_21Utc = 1779321600000;

TEST(OpeningHours, ADeadlineFallingOn22MayInMartiniqueMovesToTheNextOpeningHour) {
  // Thursday 21 May 10:00 local (14:00 UTC) + 24 h = Friday 22 May 10:00: a
  // holiday, then the weekend, then Whit Monday → Tuesday 26 May 08:00 local.
  const TimestampMs raised = kThursday2026_05_21Utc + 14 * kHour;
  const TimestampMs tuesday_0800_local = kThursday2026_05_21Utc + 5 * 24 * kHour + 12 * kHour;
  EXPECT_EQ(AlertDeadline(Martinique(), "America/Martinique", Urgency::kWithin24h, raised),
            tuesday_0800_local);
  EXPECT_FALSE(IsOpenAt(Martinique(), "America/Martinique", raised + 24 * kHour));
  // Immediate, Thursday 15:30 local: 30 min on Thursday, 30 min on Tuesday → 08:30.
  const TimestampMs late = kThursday2026_05_21Utc + 19 * kHour + 30 * 60'000;
  EXPECT_EQ(AlertDeadline(Martinique(), "America/Martinique", Urgency::kImmediate, late),
            tuesday_0800_local + 30 * 60'000);
  // Without the holidays it would have been Friday 08:30.
  RecontactConfig no_holidays = Martinique();
  no_holidays.closed_days = ClosedDays();
  EXPECT_EQ(AlertDeadline(no_holidays, "America/Martinique", Urgency::kImmediate, late),
            kThursday2026_05_21Utc + 24 * kHour + 12 * kHour + 30 * 60'000);
  // 22 May is not a holiday in Paris: the same wall-clock time is open there.
  RecontactConfig paris = Martinique();
  auto table = HolidayTable::Parse(ReadProjectFile("data/pathway/holidays.json"));
  paris.closed_days = table->For("normandie");
  EXPECT_TRUE(IsOpenAt(paris, "Europe/Paris", kThursday2026_05_21Utc + 24 * kHour + 8 * kHour));
}

RecontactConfig EveryDayNineToFive() {
  RecontactConfig c;
  c.open = true;
  c.hours.push_back(OpeningSlot{{1, 2, 3, 4, 5, 6, 7}, 9 * 60, 17 * 60});
  return c;
}

TEST(OpeningHours, SpringForwardNight) {
  // Saturday 28 March 2026 16:30 Paris (UTC+1) = 15:30 UTC; clocks go forward
  // on Sunday 29 March: 09:00 Paris is then 07:00 UTC. 30 + 30 min → 07:30 UTC.
  const TimestampMs saturday = 1774656000000;
  EXPECT_EQ(AlertDeadline(EveryDayNineToFive(), "Europe/Paris", Urgency::kImmediate,
                          saturday + 15 * kHour + 30 * 60'000),
            saturday + 24 * kHour + 7 * kHour + 30 * 60'000);
  // Saturday 16:30 + 24 h elapsed = Sunday 15:30 UTC = 17:30 summer time:
  // closed → Monday 09:00 Paris = 07:00 UTC.
  EXPECT_EQ(AlertDeadline(EveryDayNineToFive(), "Europe/Paris", Urgency::kWithin24h,
                          saturday + 15 * kHour + 30 * 60'000),
            saturday + 2 * 24 * kHour + 7 * kHour);
}

TEST(OpeningHours, FallBackNight) {
  // Saturday 24 October 2026 16:30 Paris (UTC+2) = 14:30 UTC; clocks go back
  // on Sunday 25 October: 09:00 Paris is then 08:00 UTC. → 08:30 UTC.
  const TimestampMs saturday = 1792800000000;
  EXPECT_EQ(AlertDeadline(EveryDayNineToFive(), "Europe/Paris", Urgency::kImmediate,
                          saturday + 14 * kHour + 30 * 60'000),
            saturday + 24 * kHour + 8 * kHour + 30 * 60'000);
  EXPECT_TRUE(IsOpenAt(EveryDayNineToFive(), "Europe/Paris", saturday + 24 * kHour + 8 * kHour));
  EXPECT_FALSE(IsOpenAt(EveryDayNineToFive(), "Europe/Paris",
                        saturday + 24 * kHour + 7 * kHour + 59 * 60'000));
}

TEST(OpeningHours, ANationalHolidayIsSkippedInParis) {
  // Tuesday 10 November 2026 16:30 Paris (UTC+1); Wednesday 11 November is
  // Armistice Day → Thursday 12 November 09:30 Paris = 08:30 UTC.
  const TimestampMs tuesday = 1794268800000;
  RecontactConfig c = WeekdaysNineToFive();
  auto table = HolidayTable::Parse(ReadProjectFile("data/pathway/holidays.json"));
  c.closed_days = table->For("hauts-de-france");
  EXPECT_EQ(
      AlertDeadline(c, "Europe/Paris", Urgency::kImmediate, tuesday + 15 * kHour + 30 * 60'000),
      tuesday + 2 * 24 * kHour + 8 * kHour + 30 * 60'000);
  EXPECT_FALSE(IsOpenAt(c, "Europe/Paris", tuesday + 24 * kHour + 10 * kHour));
  EXPECT_EQ(NextOpening(c, "Europe/Paris", tuesday + 24 * kHour + 10 * kHour),
            tuesday + 2 * 24 * kHour + 8 * kHour);
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
