// Public holidays and other closed days of a recontact team, as rules that
// give the same answer for any year: a fixed day of the year ("05-22"), a
// day counted from Easter Sunday (Easter Monday = +1, Ascension = +39, Whit
// Monday = +50) or one given date ("2026-12-24").
//
// The French national list and each territory's regional days ship in
// data/pathway/holidays.json (HolidayTable::Parse); a territory file may add
// its own closed days. Pure; immutable after parsing; thread-safe.
#pragma once

#include <compare>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace boost::json {
class value;
}

namespace parcours::domain {

// A calendar day in a territory's local time.
struct LocalDate {
  int year = 0;
  int month = 0;  // 1-12
  int day = 0;    // 1-31
  auto operator<=>(const LocalDate&) const = default;
};

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
long DaysFromCivil(const LocalDate& d);
LocalDate CivilFromDays(long days);
// Easter Sunday (Gregorian computus) of `year`.
LocalDate EasterSunday(int year);
// "YYYY-MM-DD" (valid calendar date) or nullopt.
std::optional<LocalDate> ParseIsoDate(std::string_view s);
std::string ToIsoDate(const LocalDate& d);

struct ClosedDayRule {
  std::string name;                  // e.g. "Lundi de Pâques"
  std::optional<int> month, day;     // every year on this day
  std::optional<int> easter_offset;  // days after Easter Sunday
  std::optional<LocalDate> date;     // once
  bool Matches(const LocalDate& d) const;
};

// Parses {"name": "...", "date": "MM-DD" | "YYYY-MM-DD"} or
// {"name": "...", "easter_offset": N}. field "date" / "easter_offset" / "name".
Result<ClosedDayRule> ParseClosedDayRule(const boost::json::value& v);

// A set of closed-day rules.
class ClosedDays {
 public:
  void Add(ClosedDayRule r) { rules_.push_back(std::move(r)); }
  void AddAll(const ClosedDays& other);
  // The rule that closes `d`, or nullptr.
  const ClosedDayRule* Find(const LocalDate& d) const;
  bool Contains(const LocalDate& d) const { return Find(d) != nullptr; }
  // Every closed day of `year` in date order, with its name.
  std::vector<std::pair<LocalDate, std::string>> InYear(int year) const;
  bool empty() const { return rules_.empty(); }

 private:
  std::vector<ClosedDayRule> rules_;
};

// data/pathway/holidays.json: {"national": [rules], "regional": {"<territory
// code>": [rules]}}.
struct HolidayTable {
  ClosedDays national;
  std::map<std::string, ClosedDays> regional;  // territory code → its own days

  // Errors name the field ("national[3].date", "regional.martinique[0].name").
  static Result<HolidayTable> Parse(std::string_view json);
  // National days plus the regional days of `territory_code`.
  ClosedDays For(const std::string& territory_code) const;
};

}  // namespace parcours::domain
