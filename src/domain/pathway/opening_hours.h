// Opening hours and alert deadlines in a territory's local time (ICU time
// zones, so Martinique's UTC−4 and France's summer time are right). Closed
// days (public holidays of the territory, extra days of its file) have no
// opening hours.
//
// Deadline rule (PTSM 69 fiche 5.2): "immediate" = within 1 hour of the
// team's opening hours (a request made at night is due one hour after the
// next opening); 24h / 72h / 7d are elapsed time from the request, and a
// deadline falling while the team is closed (night, weekend, holiday) moves
// to the next opening. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "core/status.h"
#include "domain/common/types.h"

namespace boost::json {
class value;
}

namespace parcours::domain {

struct OpeningSlot;
struct RecontactConfig;

bool IsKnownTimeZone(std::string_view iana);

// {"days": [1..7], "from": "HH:MM", "to": "HH:MM"}, from < to.
Result<OpeningSlot> ParseOpeningSlot(const boost::json::value& v);

// True when `at` falls inside one of the slots (local time of `time_zone`).
bool IsOpenAt(const RecontactConfig& config, std::string_view time_zone, TimestampMs at);

// `at` when the team is open then, else the start of its next opening;
// nullopt when it does not open within three weeks.
std::optional<TimestampMs> NextOpening(const RecontactConfig& config, std::string_view time_zone,
                                       TimestampMs at);

// The instant `minutes` of opening time after `from` have elapsed; `from` if
// minutes is 0. Looks at most three weeks ahead; without any opening hours the
// result is from + minutes (elapsed time).
TimestampMs AddOpeningMinutes(const RecontactConfig& config, std::string_view time_zone,
                              TimestampMs from, int minutes);

// Deadline of an alert raised at `raised` with `urgency`.
TimestampMs AlertDeadline(const RecontactConfig& config, std::string_view time_zone,
                          Urgency urgency, TimestampMs raised);

// Local wall-clock parts of an instant, for display.
struct LocalTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  int weekday = 0;  // 1 = Monday … 7 = Sunday
};
LocalTime ToLocal(std::string_view time_zone, TimestampMs at);
// The instant of a local wall-clock time (year, month, day, hour, minute;
// weekday ignored). A time skipped by a DST change counts as after it.
TimestampMs FromLocal(std::string_view time_zone, const LocalTime& t);

}  // namespace parcours::domain
