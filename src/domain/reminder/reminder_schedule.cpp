#include "domain/reminder/reminder_schedule.h"

#include <algorithm>

#include "domain/pathway/opening_hours.h"
#include "domain/pathway/pathway_rules.h"

namespace parcours::domain {
namespace {

constexpr TimestampMs kMinute = 60'000;
constexpr TimestampMs kDay = 24 * 60 * kMinute;
constexpr TimestampMs kWeek = 7 * kDay;

}  // namespace

std::optional<TimestampMs> ReminderDueAt(const ReminderInput& in, const TimingRules& timing) {
  if (in.period != Period::kPostnatal || !in.child_age_weeks || *in.child_age_weeks < 0) {
    return std::nullopt;
  }
  const TimestampMs birth = in.screened_at - *in.child_age_weeks * kWeek;
  TimestampMs due = birth + timing.second_peak_week * kWeek;
  if (in.band == Band::kWatch) {
    const TimestampMs after_result = in.screened_at + in.rescreen_days.value_or(14) * kDay;
    due = std::max(after_result, birth + timing.validated_from_week * kWeek);
  }
  if (due < in.screened_at + kDay) return std::nullopt;
  return due;
}

TimestampMs DecentSendTime(TimestampMs due, std::string_view time_zone, const ClosedDays& closed,
                           const SendWindow& window) {
  if (window.from_minute >= window.to_minute) return due;
  LocalTime t = ToLocal(time_zone, due);
  for (int i = 0; i < 15; ++i) {
    const LocalDate date{t.year, t.month, t.day};
    const int minute = t.hour * 60 + t.minute;
    const bool open_day = t.weekday <= window.last_weekday && !closed.Contains(date);
    if (open_day && minute < window.to_minute) {
      if (minute >= window.from_minute) return due;  // already inside the window
      LocalTime start = t;
      start.hour = window.from_minute / 60;
      start.minute = window.from_minute % 60;
      return FromLocal(time_zone, start);
    }
    // Next local day at midnight.
    const LocalDate next = CivilFromDays(DaysFromCivil(date) + 1);
    LocalTime midnight{next.year, next.month, next.day, 0, 0, 0};
    due = FromLocal(time_zone, midnight);
    t = ToLocal(time_zone, due);
  }
  return due;
}

}  // namespace parcours::domain
