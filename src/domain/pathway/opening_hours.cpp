#include "domain/pathway/opening_hours.h"

#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <boost/json.hpp>
#include <memory>

#include "domain/territory/territory.h"

namespace parcours::domain {
namespace {

constexpr TimestampMs kMinute = 60'000;
constexpr TimestampMs kHour = 60 * kMinute;

std::unique_ptr<icu::TimeZone> Zone(std::string_view iana) {
  return std::unique_ptr<icu::TimeZone>(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(
      icu::StringPiece(iana.data(), static_cast<int32_t>(iana.size())))));
}

std::optional<int> ParseHhMm(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4}) {
    if (s[static_cast<std::size_t>(i)] < '0' || s[static_cast<std::size_t>(i)] > '9') {
      return std::nullopt;
    }
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

// Local midnight of the day containing `at`, that day's weekday and date.
struct LocalDay {
  TimestampMs midnight_utc = 0;
  int weekday = 0;
  LocalDate date;
};

LocalDay DayOf(icu::Calendar& cal, TimestampMs at) {
  UErrorCode err = U_ZERO_ERROR;
  cal.setTime(static_cast<UDate>(at), err);
  cal.set(UCAL_HOUR_OF_DAY, 0);
  cal.set(UCAL_MINUTE, 0);
  cal.set(UCAL_SECOND, 0);
  cal.set(UCAL_MILLISECOND, 0);
  LocalDay d;
  d.midnight_utc = static_cast<TimestampMs>(cal.getTime(err));
  const int icu_day = cal.get(UCAL_DAY_OF_WEEK, err);  // 1 = Sunday
  d.weekday = icu_day == UCAL_SUNDAY ? 7 : icu_day - 1;
  d.date =
      LocalDate{cal.get(UCAL_YEAR, err), cal.get(UCAL_MONTH, err) + 1, cal.get(UCAL_DATE, err)};
  return d;
}

// UTC instant of local time (day of `midnight`, minute m), DST-safe.
TimestampMs AtMinute(icu::Calendar& cal, TimestampMs midnight, int minute) {
  UErrorCode err = U_ZERO_ERROR;
  cal.setTime(static_cast<UDate>(midnight), err);
  cal.set(UCAL_HOUR_OF_DAY, minute / 60);
  cal.set(UCAL_MINUTE, minute % 60);
  return static_cast<TimestampMs>(cal.getTime(err));
}

std::unique_ptr<icu::Calendar> CalendarFor(std::string_view tz) {
  UErrorCode err = U_ZERO_ERROR;
  auto cal = std::make_unique<icu::GregorianCalendar>(Zone(tz).release(), err);
  return cal;
}

}  // namespace

bool IsKnownTimeZone(std::string_view iana) {
  if (iana.empty()) return false;
  auto z = Zone(iana);
  icu::UnicodeString id;
  z->getID(id);
  return id != icu::UnicodeString("Etc/Unknown");
}

Result<OpeningSlot> ParseOpeningSlot(const boost::json::value& v) {
  if (!v.is_object()) return Status::InvalidArgument("hours", "must be an object");
  const auto& o = v.as_object();
  OpeningSlot s;
  const auto* days = o.if_contains("days");
  if (days == nullptr || !days->is_array() || days->as_array().empty()) {
    return Status::InvalidArgument("days", "days: a list of 1 (Monday) to 7 (Sunday)");
  }
  for (const auto& d : days->as_array()) {
    if (!d.is_int64() || d.as_int64() < 1 || d.as_int64() > 7) {
      return Status::InvalidArgument("days", "days: a list of 1 (Monday) to 7 (Sunday)");
    }
    s.days.push_back(static_cast<int>(d.as_int64()));
  }
  const auto* from = o.if_contains("from");
  const auto* to = o.if_contains("to");
  auto f = (from != nullptr && from->is_string()) ? ParseHhMm(from->as_string()) : std::nullopt;
  auto t = (to != nullptr && to->is_string()) ? ParseHhMm(to->as_string()) : std::nullopt;
  if (!f || !t || *f >= *t) {
    return Status::InvalidArgument("from", "from/to: HH:MM local times with from < to");
  }
  s.from_minute = *f;
  s.to_minute = *t;
  return s;
}

namespace {

// Open intervals [from, to) of one local day, in order; none on a closed day.
std::vector<std::pair<TimestampMs, TimestampMs>> OpenIntervals(icu::Calendar& cal,
                                                               const RecontactConfig& config,
                                                               const LocalDay& day) {
  std::vector<std::pair<TimestampMs, TimestampMs>> open;
  if (config.closed_days.Contains(day.date)) return open;
  for (const auto& slot : config.hours) {
    if (std::find(slot.days.begin(), slot.days.end(), day.weekday) == slot.days.end()) continue;
    open.emplace_back(AtMinute(cal, day.midnight_utc, slot.from_minute),
                      AtMinute(cal, day.midnight_utc, slot.to_minute));
  }
  std::sort(open.begin(), open.end());
  return open;
}

// Next local day: midnight + 26 h lands on the next day even across DST.
LocalDay NextDay(icu::Calendar& cal, const LocalDay& day) {
  return DayOf(cal, day.midnight_utc + 26 * kHour);
}

// Days looked at before giving up (weekends, holidays and a long closure).
constexpr int kSearchDays = 22;

}  // namespace

bool IsOpenAt(const RecontactConfig& config, std::string_view time_zone, TimestampMs at) {
  auto cal = CalendarFor(time_zone);
  for (const auto& [a, b] : OpenIntervals(*cal, config, DayOf(*cal, at))) {
    if (at >= a && at < b) return true;
  }
  return false;
}

std::optional<TimestampMs> NextOpening(const RecontactConfig& config, std::string_view time_zone,
                                       TimestampMs at) {
  auto cal = CalendarFor(time_zone);
  LocalDay day = DayOf(*cal, at);
  for (int i = 0; i < kSearchDays; ++i) {
    for (const auto& [a, b] : OpenIntervals(*cal, config, day)) {
      if (at < b) return std::max(a, at);
    }
    day = NextDay(*cal, day);
  }
  return std::nullopt;
}

TimestampMs AddOpeningMinutes(const RecontactConfig& config, std::string_view time_zone,
                              TimestampMs from, int minutes) {
  if (config.hours.empty()) return from + minutes * kMinute;
  auto cal = CalendarFor(time_zone);
  TimestampMs remaining = minutes * kMinute;
  TimestampMs cursor = from;
  LocalDay day = DayOf(*cal, from);
  for (int i = 0; i < kSearchDays && remaining > 0; ++i) {
    for (const auto& [a, b] : OpenIntervals(*cal, config, day)) {
      const TimestampMs start = std::max(a, cursor);
      if (start >= b) continue;
      const TimestampMs take = std::min(remaining, b - start);
      remaining -= take;
      cursor = start + take;
      if (remaining == 0) return cursor;
    }
    day = NextDay(*cal, day);
    cursor = std::max(cursor, day.midnight_utc);
  }
  // No opening within three weeks: fall back to elapsed time from the request.
  return from + minutes * kMinute;
}

TimestampMs AlertDeadline(const RecontactConfig& config, std::string_view time_zone,
                          Urgency urgency, TimestampMs raised) {
  TimestampMs elapsed = raised;
  switch (urgency) {
    case Urgency::kImmediate: return AddOpeningMinutes(config, time_zone, raised, 60);
    case Urgency::kWithin24h: elapsed = raised + 24 * kHour; break;
    case Urgency::kWithin72h: elapsed = raised + 72 * kHour; break;
    case Urgency::kWithin7d: elapsed = raised + 7 * 24 * kHour; break;
  }
  // Nobody answers outside opening hours: a deadline that falls then (a
  // night, a weekend, a public holiday) moves to the next opening.
  if (config.hours.empty()) return elapsed;
  return NextOpening(config, time_zone, elapsed).value_or(elapsed);
}

LocalTime ToLocal(std::string_view time_zone, TimestampMs at) {
  auto cal = CalendarFor(time_zone);
  UErrorCode err = U_ZERO_ERROR;
  cal->setTime(static_cast<UDate>(at), err);
  LocalTime t;
  t.year = cal->get(UCAL_YEAR, err);
  t.month = cal->get(UCAL_MONTH, err) + 1;
  t.day = cal->get(UCAL_DATE, err);
  t.hour = cal->get(UCAL_HOUR_OF_DAY, err);
  t.minute = cal->get(UCAL_MINUTE, err);
  const int d = cal->get(UCAL_DAY_OF_WEEK, err);
  t.weekday = d == UCAL_SUNDAY ? 7 : d - 1;
  return t;
}

TimestampMs FromLocal(std::string_view time_zone, const LocalTime& t) {
  auto cal = CalendarFor(time_zone);
  cal->clear();
  cal->set(t.year, t.month - 1, t.day, t.hour, t.minute, 0);
  UErrorCode err = U_ZERO_ERROR;
  return static_cast<TimestampMs>(cal->getTime(err));
}

}  // namespace parcours::domain
