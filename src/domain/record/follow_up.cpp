#include "domain/record/follow_up.h"

#include <boost/json.hpp>

#include "domain/common/json_document.h"
#include "domain/pathway/pathway_rules.h"

namespace parcours::domain {
namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// Counts UTF-8 code points (continuation bytes excluded).
std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

Result<RecordIdentity> ValidateIdentity(const RecordIdentity& in, const LocalDate& today) {
  RecordIdentity out = in;
  std::vector<FieldError> errors;
  out.name = Trim(in.name);
  if (out.name.empty()) {
    errors.push_back({"name", "required"});
  } else if (CodePoints(out.name) > 40) {
    errors.push_back({"name", "at most 40 characters (initials or first name)"});
  } else {
    for (unsigned char c : out.name) {
      if (c < 0x20 || c == 0x7F) {
        errors.push_back({"name", "control character"});
        break;
      }
    }
  }
  if (in.birth_year < today.year - 70 || in.birth_year > today.year - 11) {
    errors.push_back({"birth_year", "not a plausible year of birth"});
  }
  auto birth = ParseIsoDate(Trim(in.child_birth_date));
  if (!birth) {
    errors.push_back({"child_birth_date", "not a date (YYYY-MM-DD)"});
  } else {
    out.child_birth_date = ToIsoDate(*birth);
    const long days = DaysFromCivil(*birth) - DaysFromCivil(today);
    if (in.birth_expected && (days < -31 || days > 305)) {
      errors.push_back({"child_birth_date", "an expected date within the next 10 months"});
    }
    if (!in.birth_expected && (days > 0 || days < -3 * 366)) {
      errors.push_back({"child_birth_date", "an actual date in the last three years"});
    }
  }
  std::string phone;
  for (char c : in.phone) {
    if (c == ' ' || c == '.' || c == '-') continue;
    phone += c;
  }
  if (!phone.empty()) {
    bool ok = phone.size() >= 6 && phone.size() <= 16;
    for (std::size_t i = 0; i < phone.size() && ok; ++i) {
      ok = (phone[i] >= '0' && phone[i] <= '9') || (i == 0 && phone[i] == '+');
    }
    if (!ok) errors.push_back({"phone", "not a phone number"});
  }
  out.phone = phone;
  if (!errors.empty()) return Status::InvalidArguments(std::move(errors));
  return out;
}

std::string IdentityToJson(const RecordIdentity& id) {
  boost::json::object o;
  o["name"] = id.name;
  o["birth_year"] = id.birth_year;
  o["child_birth_date"] = id.child_birth_date;
  o["birth_expected"] = id.birth_expected;
  o["phone"] = id.phone;
  return boost::json::serialize(o);
}

Result<RecordIdentity> IdentityFromJson(std::string_view json) {
  auto o = ParseStoredObject(json, "sealed identity is not a JSON object");
  if (!o.ok()) return o.status();
  RecordIdentity id;
  const auto* name = o->if_contains("name");
  const auto* year = o->if_contains("birth_year");
  const auto* date = o->if_contains("child_birth_date");
  const auto* expected = o->if_contains("birth_expected");
  const auto* phone = o->if_contains("phone");
  if (!name || !name->is_string() || !year || !year->is_int64() || !date || !date->is_string() ||
      !expected || !expected->is_bool() || !phone || !phone->is_string()) {
    return Status::Internal("sealed identity misses a field");
  }
  id.name = std::string(name->as_string());
  id.birth_year = static_cast<int>(year->as_int64());
  id.child_birth_date = std::string(date->as_string());
  id.birth_expected = expected->as_bool();
  id.phone = std::string(phone->as_string());
  return id;
}

NextScreenings NextScreeningDates(const LocalDate& birth, const TimingRules& timing) {
  const long b = DaysFromCivil(birth);
  return NextScreenings{CivilFromDays(b + 7L * timing.second_peak_week),
                        CivilFromDays(b + 7L * timing.epnp_from_week),
                        CivilFromDays(b + 7L * timing.epnp_until_week)};
}

}  // namespace parcours::domain
