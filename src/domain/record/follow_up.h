// A follow-up record: the minimal, pseudonymous identity a professional
// keeps of one parent (initials or first name, year of birth, the child's
// expected or actual birth date, an optional phone), its validation, and
// the next screening dates the pathway suggests from the birth date. Pure:
// the app layer seals the identity (app::Sealer) and passes "today" in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/calendar/holidays.h"

namespace parcours::domain {

struct TimingRules;

struct RecordIdentity {
  std::string name;  // initials or first name, 1 to 40 characters
  int birth_year = 0;
  std::string child_birth_date;  // YYYY-MM-DD
  bool birth_expected = true;    // expected (before birth) or actual date
  std::string phone;             // optional, digits and + only once normalised

  bool operator==(const RecordIdentity&) const = default;
};

// Every field error at once (fields: name, birth_year, child_birth_date,
// birth_date_kind, phone), checked against `today` (a birth year between
// today's year - 70 and today's year - 11; an expected birth date at most
// 10 months ahead; an actual one not in the future). Returns the identity
// normalised (name trimmed, phone without spaces, dots or dashes).
Result<RecordIdentity> ValidateIdentity(const RecordIdentity& in, const LocalDate& today);

// identity <-> the JSON sealed at rest.
std::string IdentityToJson(const RecordIdentity& id);
Result<RecordIdentity> IdentityFromJson(std::string_view json);

// Dates the pathway suggests screening again, from the birth date (expected
// or actual) and the timing rules: the second peak (week 6 after birth)
// and the postnatal interview window (EPNP, weeks epnp_from_week to
// epnp_until_week).
struct NextScreenings {
  LocalDate second_peak;
  LocalDate epnp_from;
  LocalDate epnp_until;
};
NextScreenings NextScreeningDates(const LocalDate& birth, const TimingRules& timing);

}  // namespace parcours::domain
