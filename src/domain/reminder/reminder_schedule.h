// When a parent's reminder to screen again is due, and when it may be sent.
//
// Due date (issue 12; DESIGN.md "Timing"): the second peak, week
// `second_peak_week` (6) after birth; for a `watch` result, the later of
// the result + the band's re-screen delay (14 days) and week
// `validated_from_week` (4) after birth, since the EPDS is validated from
// week 4. Birth = screening time - child_age_weeks weeks (postnatal only).
//
// What cannot be computed is never offered: a prenatal screening has no
// child age and no expected birth date (the self-screening does not ask for
// one), so it gets no reminder; nor does a result whose due date is not
// at least one day after the screening (the second peak already passed).
//
// Send time: the due instant moved forward into a decent local window of
// the territory's time zone (10:00 to 19:00, Monday to Saturday, not on the
// territory's public holidays). Pure: the zone arithmetic is ICU's
// (opening_hours.h), deterministic for a given tz database.
#pragma once

#include <optional>
#include <string_view>

#include "domain/calendar/holidays.h"
#include "domain/common/types.h"

namespace parcours::domain {

struct TimingRules;

struct ReminderInput {
  Period period = Period::kPostnatal;
  std::optional<int> child_age_weeks;
  Band band = Band::kLow;
  // The band's re-screen delay from the pathway rules (watch: 14 days).
  std::optional<int> rescreen_days;
  TimestampMs screened_at = 0;
};

// The instant the reminder is due, or nullopt when none can be offered.
std::optional<TimestampMs> ReminderDueAt(const ReminderInput& in, const TimingRules& timing);

// Local hours and days a message to a parent may be sent.
struct SendWindow {
  int from_minute = 10 * 60;  // local time of day, inclusive
  int to_minute = 19 * 60;    // exclusive
  int last_weekday = 6;       // 1 = Monday … 7 = Sunday: Monday to Saturday
};

// The first instant at or after `due` inside `window` in `time_zone`, on a
// day not in `closed`. Looks at most 14 days ahead (a window that never
// opens returns `due`).
TimestampMs DecentSendTime(TimestampMs due, std::string_view time_zone, const ClosedDays& closed,
                           const SendWindow& window = {});

}  // namespace parcours::domain
