#include "domain/calendar/holidays.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>

#include "domain/common/json_document.h"

namespace parcours::domain {
namespace {

namespace json = boost::json;

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

std::optional<int> Digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

Status Bad(const std::string& field, const std::string& why) {
  return Status::InvalidArgument(field, field + ": " + why);
}

Result<ClosedDays> ParseRules(const json::value* v, const std::string& path) {
  if (v == nullptr || !v->is_array()) return Bad(path, "must be a list of closed days");
  ClosedDays days;
  for (std::size_t i = 0; i < v->as_array().size(); ++i) {
    auto r = ParseClosedDayRule(v->as_array()[i]);
    if (!r.ok()) {
      const std::string p = path + "[" + std::to_string(i) + "]." + r.status().field();
      return Bad(p, r.status().message());
    }
    days.Add(std::move(*r));
  }
  return days;
}

}  // namespace

// Howard Hinnant's days_from_civil / civil_from_days.
long DaysFromCivil(const LocalDate& d) {
  const int y = d.month <= 2 ? d.year - 1 : d.year;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

LocalDate CivilFromDays(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  return LocalDate{y, m, d};
}

// Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
LocalDate EasterSunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return LocalDate{year, month, day};
}

std::optional<LocalDate> ParseIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = Digits(s.substr(0, 4));
  auto m = Digits(s.substr(5, 2));
  auto d = Digits(s.substr(8, 2));
  if (!y || !m || !d || *y < 1900 || *m < 1 || *m > 12) return std::nullopt;
  if (*d < 1 || *d > DaysInMonth(*y, *m)) return std::nullopt;
  return LocalDate{*y, *m, *d};
}

std::string ToIsoDate(const LocalDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

bool ClosedDayRule::Matches(const LocalDate& d) const {
  if (date) return *date == d;
  if (month && day) return *month == d.month && *day == d.day;
  if (easter_offset) {
    const LocalDate easter = EasterSunday(d.year);
    return DaysFromCivil(easter) + *easter_offset == DaysFromCivil(d);
  }
  return false;
}

Result<ClosedDayRule> ParseClosedDayRule(const json::value& v) {
  if (!v.is_object()) return Status::InvalidArgument("date", "must be an object");
  const auto& o = v.as_object();
  ClosedDayRule r;
  const json::value* name = o.if_contains("name");
  if (name == nullptr || !name->is_string() || name->as_string().empty()) {
    return Status::InvalidArgument("name", "missing");
  }
  r.name = std::string(name->as_string());
  const json::value* date = o.if_contains("date");
  const json::value* easter = o.if_contains("easter_offset");
  if ((date == nullptr) == (easter == nullptr)) {
    return Status::InvalidArgument("date",
                                   "give either date (MM-DD or YYYY-MM-DD) or easter_offset");
  }
  if (easter != nullptr) {
    if (!easter->is_int64() || easter->as_int64() < -60 || easter->as_int64() > 70) {
      return Status::InvalidArgument("easter_offset",
                                     "must be days from Easter Sunday (-60 to 70)");
    }
    r.easter_offset = static_cast<int>(easter->as_int64());
    return r;
  }
  if (!date->is_string()) return Status::InvalidArgument("date", "must be MM-DD or YYYY-MM-DD");
  const std::string_view s = date->as_string();
  if (s.size() == 5 && s[2] == '-') {
    auto m = Digits(s.substr(0, 2));
    auto d = Digits(s.substr(3, 2));
    // 2000 is a leap year: 02-29 is accepted as a yearly day.
    if (!m || !d || *m < 1 || *m > 12 || *d < 1 || *d > DaysInMonth(2000, *m)) {
      return Status::InvalidArgument("date", "not a day of the year (MM-DD)");
    }
    r.month = *m;
    r.day = *d;
    return r;
  }
  auto once = ParseIsoDate(s);
  if (!once) return Status::InvalidArgument("date", "must be MM-DD or YYYY-MM-DD");
  r.date = *once;
  return r;
}

void ClosedDays::AddAll(const ClosedDays& other) {
  rules_.insert(rules_.end(), other.rules_.begin(), other.rules_.end());
}

const ClosedDayRule* ClosedDays::Find(const LocalDate& d) const {
  for (const auto& r : rules_) {
    if (r.Matches(d)) return &r;
  }
  return nullptr;
}

std::vector<std::pair<LocalDate, std::string>> ClosedDays::InYear(int year) const {
  std::vector<std::pair<LocalDate, std::string>> out;
  const long first = DaysFromCivil(LocalDate{year, 1, 1});
  const long last = DaysFromCivil(LocalDate{year, 12, 31});
  for (long z = first; z <= last; ++z) {
    const LocalDate d = CivilFromDays(z);
    if (const ClosedDayRule* r = Find(d)) out.emplace_back(d, r->name);
  }
  return out;
}

Result<HolidayTable> HolidayTable::Parse(std::string_view text) {
  auto root = ParseJsonDocument(text, "holidays");
  if (!root.ok()) return root.status();
  HolidayTable t;
  auto national = ParseRules(root->if_contains("national"), "national");
  if (!national.ok()) return national.status();
  t.national = std::move(*national);
  if (const json::value* regional = root->if_contains("regional")) {
    if (!regional->is_object()) return Bad("regional", "must map territory codes to lists");
    for (const auto& [code, list] : regional->as_object()) {
      auto days = ParseRules(&list, "regional." + std::string(code));
      if (!days.ok()) return days.status();
      t.regional[std::string(code)] = std::move(*days);
    }
  }
  return t;
}

ClosedDays HolidayTable::For(const std::string& territory_code) const {
  ClosedDays out = national;
  auto it = regional.find(territory_code);
  if (it != regional.end()) out.AddAll(it->second);
  return out;
}

}  // namespace parcours::domain
