// Territories of the experiment (data/territories/<code>.json): geography
// (INSEE region, departments), time zone, whether a team answers recontact
// requests and when, and the pathway rules in force there (defaults with the
// territory's overrides). The "outside" territory (code "") is the queue of
// parents living elsewhere.
//
// Immutable after Load: safe to share between threads.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/calendar/holidays.h"
#include "domain/common/types.h"
#include "domain/pathway/pathway_rules.h"

namespace boost::json {
class value;
}

namespace parcours::domain {

// Opening hours in the territory's local time: days 1 = Monday … 7 = Sunday.
struct OpeningSlot {
  std::vector<int> days;
  int from_minute = 0;  // minutes after local midnight
  int to_minute = 0;
};

struct RecontactConfig {
  bool open = false;                        // a team really answers: only then is the offer shown
  std::map<std::string, std::string> team;  // language → who calls back
  std::vector<OpeningSlot> hours;
  // Days without opening hours: the national and regional public holidays
  // (data/pathway/holidays.json) plus the file's own `closed_days`.
  ClosedDays closed_days;
};

// Who calls back, in `lang` (French fallback; "" when nobody).
const std::string& TeamName(const RecontactConfig& c, const std::string& lang);

// Parses a `recontact` block ({"open", "team", "hours", "closed_days"}) on
// top of `closed_days` (the territory's holidays). field: the JSON path
// under "recontact" ("recontact.hours[0]"); message without the file name.
Result<RecontactConfig> ParseRecontact(const boost::json::value* v, ClosedDays closed_days);

// Who hears of an overdue alert beyond the territory's coordinators (level
// 1, always): an optional second level named by the territory file, told
// once the alert is still open `after_hours` past its deadline.
struct SecondLevel {
  std::map<std::string, std::string> names;  // language → who (e.g. the DSRP on call)
  std::string email;                         // optional: where issue 12 will write
  int after_hours = 24;                      // 1 … 168
};
struct EscalationConfig {
  std::optional<SecondLevel> second_level;
};
// Parses an optional `escalation` block ({"second_level": {"names",
// "email"?, "after_hours"}}); absent → no second level. field: the JSON path.
Result<EscalationConfig> ParseEscalation(const boost::json::value* v);

struct Territory {
  std::string code;                          // "" = outside the territories
  std::map<std::string, std::string> names;  // language → name
  std::string region_code;
  std::vector<std::string> departments;
  std::string time_zone;  // IANA
  RecontactConfig recontact;
  EscalationConfig escalation;
  PathwayRules rules;

  bool outside() const { return code.empty(); }
  // Name in `lang`, French fallback.
  const std::string& Name(const std::string& lang) const;
  const std::string& Team(const std::string& lang) const;
};

class TerritoryCatalog {
 public:
  // files: file name → JSON text, as read from data/territories (README.md
  // and other non-JSON names are the caller's to skip). defaults: the
  // national pathway rules. holidays: closed days of each territory (a
  // regional entry for an unknown territory is an error). Errors name the
  // file and the field. Needs an "outside" entry (code ""). Every file, open
  // or closed, must keep the safety floors (safety_floors.h), and a
  // threshold set id/version names one set of values only.
  static Result<TerritoryCatalog> Load(const std::map<std::string, std::string>& files,
                                       const PathwayRules& defaults, const HolidayTable& holidays);

  const std::vector<Territory>& all() const { return territories_; }
  // nullptr when unknown.
  const Territory* Find(std::string_view code) const;
  // Territory of a department ("59", "2A", "972"); the outside one otherwise.
  const Territory& ForDepartment(std::string_view department) const;
  const Territory& outside() const;

 private:
  std::vector<Territory> territories_;
};

}  // namespace parcours::domain
