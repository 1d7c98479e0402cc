#include "domain/territory/territory.h"

#include <boost/json.hpp>

#include "domain/common/json_document.h"
#include "domain/pathway/opening_hours.h"
#include "domain/pathway/safety_floors.h"

namespace parcours::domain {
namespace {

namespace json = boost::json;

Status Bad(const std::string& file, const std::string& path, const std::string& why) {
  return Status::InvalidArgument(path, "territory file " + file + ": " + path + ": " + why);
}

Result<std::map<std::string, std::string>> LanguageMap(const json::object& o, const char* key,
                                                       const std::string& file, bool required) {
  std::map<std::string, std::string> out;
  const json::value* v = o.if_contains(key);
  if (v == nullptr) {
    if (required) return Bad(file, key, "missing");
    return out;
  }
  if (!v->is_object()) return Bad(file, key, "must be an object language → text");
  for (const auto& [lang, text] : v->as_object()) {
    if (!text.is_string()) return Bad(file, std::string(key) + "." + std::string(lang), "not text");
    out[std::string(lang)] = std::string(text.as_string());
  }
  if (required && out.find("fr") == out.end())
    return Bad(file, std::string(key) + ".fr", "missing");
  return out;
}

Result<Territory> ParseTerritory(const std::string& file, std::string_view text,
                                 const PathwayRules& defaults, const HolidayTable& holidays) {
  auto root = ParseJsonDocument(text, "territory file " + file);
  if (!root.ok()) return root.status();
  const json::object& o = *root;
  Territory t;
  const json::value* code = o.if_contains("code");
  if (code == nullptr || !code->is_string()) return Bad(file, "code", "missing");
  t.code = std::string(code->as_string());
  auto names = LanguageMap(o, "names", file, true);
  if (!names.ok()) return names.status();
  t.names = std::move(*names);
  if (const json::value* r = o.if_contains("region_code"); r != nullptr && r->is_string()) {
    t.region_code = std::string(r->as_string());
  }
  if (const json::value* d = o.if_contains("departments")) {
    if (!d->is_array()) return Bad(file, "departments", "must be a list");
    for (const auto& dep : d->as_array()) {
      if (!dep.is_string() || dep.as_string().empty()) {
        return Bad(file, "departments", "must be department codes");
      }
      t.departments.emplace_back(dep.as_string());
    }
  }
  if (!t.code.empty() && t.departments.empty()) return Bad(file, "departments", "empty");
  const json::value* tz = o.if_contains("time_zone");
  if (tz == nullptr || !tz->is_string() || !IsKnownTimeZone(tz->as_string())) {
    return Bad(file, "time_zone", "missing or not an IANA time zone");
  }
  t.time_zone = std::string(tz->as_string());

  auto recontact = ParseRecontact(o.if_contains("recontact"), holidays.For(t.code));
  if (!recontact.ok()) {
    return Bad(file, recontact.status().field(), recontact.status().message());
  }
  t.recontact = std::move(*recontact);
  auto escalation = ParseEscalation(o.if_contains("escalation"));
  if (!escalation.ok()) {
    return Bad(file, escalation.status().field(), escalation.status().message());
  }
  t.escalation = std::move(*escalation);
  auto rules = defaults.WithOverrides(o, file);
  if (!rules.ok()) return rules.status();
  t.rules = std::move(*rules);
  // Open or closed, a file may not weaken the safety floors.
  PARCOURS_RETURN_IF_ERROR(CheckSafetyFloors(t.rules, "territory file " + file));
  return t;
}

// The "team" language map of a recontact block.
Result<std::map<std::string, std::string>> Team(const json::object& ro) {
  std::map<std::string, std::string> out;
  const json::value* v = ro.if_contains("team");
  if (v == nullptr || !v->is_object()) {
    return Status::InvalidArgument("recontact.team", "an open territory names who calls back");
  }
  for (const auto& [lang, text] : v->as_object()) {
    if (!text.is_string() || text.as_string().empty()) {
      return Status::InvalidArgument("recontact.team." + std::string(lang), "not text");
    }
    out[std::string(lang)] = std::string(text.as_string());
  }
  if (out.find("fr") == out.end()) return Status::InvalidArgument("recontact.team.fr", "missing");
  return out;
}

}  // namespace

Result<EscalationConfig> ParseEscalation(const json::value* v) {
  EscalationConfig out;
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_object()) return Status::InvalidArgument("escalation", "must be an object");
  const json::value* sl = v->as_object().if_contains("second_level");
  if (sl == nullptr || sl->is_null()) return out;
  if (!sl->is_object()) {
    return Status::InvalidArgument("escalation.second_level", "must be an object");
  }
  const json::object& o = sl->as_object();
  SecondLevel second;
  const json::value* names = o.if_contains("names");
  if (names == nullptr || !names->is_object()) {
    return Status::InvalidArgument("escalation.second_level.names", "missing");
  }
  for (const auto& [lang, text] : names->as_object()) {
    if (!text.is_string() || text.as_string().empty()) {
      return Status::InvalidArgument("escalation.second_level.names." + std::string(lang),
                                     "not text");
    }
    second.names[std::string(lang)] = std::string(text.as_string());
  }
  if (second.names.find("fr") == second.names.end()) {
    return Status::InvalidArgument("escalation.second_level.names.fr", "missing");
  }
  if (const json::value* e = o.if_contains("email"); e != nullptr && !e->is_null()) {
    const std::string email = e->is_string() ? std::string(e->as_string()) : std::string();
    const auto at = email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= email.size() ||
        email.find_first_of(" \t\r\n") != std::string::npos) {
      return Status::InvalidArgument("escalation.second_level.email", "not an e-mail address");
    }
    second.email = email;
  }
  const json::value* h = o.if_contains("after_hours");
  if (h == nullptr || !h->is_int64() || h->as_int64() < 1 || h->as_int64() > 168) {
    return Status::InvalidArgument("escalation.second_level.after_hours",
                                   "a whole number of hours from 1 to 168");
  }
  second.after_hours = static_cast<int>(h->as_int64());
  out.second_level = std::move(second);
  return out;
}

Result<RecontactConfig> ParseRecontact(const json::value* rc, ClosedDays closed_days) {
  if (rc == nullptr || !rc->is_object()) return Status::InvalidArgument("recontact", "missing");
  const auto& ro = rc->as_object();
  RecontactConfig r;
  r.closed_days = std::move(closed_days);
  const json::value* open = ro.if_contains("open");
  if (open == nullptr || !open->is_bool()) {
    return Status::InvalidArgument("recontact.open", "must be true or false");
  }
  r.open = open->as_bool();
  if (const json::value* extra = ro.if_contains("closed_days")) {
    if (!extra->is_array()) {
      return Status::InvalidArgument("recontact.closed_days", "must be a list of closed days");
    }
    for (std::size_t i = 0; i < extra->as_array().size(); ++i) {
      auto rule = ParseClosedDayRule(extra->as_array()[i]);
      if (!rule.ok()) {
        return Status::InvalidArgument(
            "recontact.closed_days[" + std::to_string(i) + "]." + rule.status().field(),
            rule.status().message());
      }
      r.closed_days.Add(std::move(*rule));
    }
  }
  if (!r.open) {
    // A closed territory promises nothing: no team name, no hours to show.
    for (const char* key : {"team", "hours"}) {
      if (ro.contains(key)) {
        return Status::InvalidArgument(std::string("recontact.") + key,
                                       "only an open territory names a team and hours");
      }
    }
    return r;
  }
  auto team = Team(ro);
  if (!team.ok()) return team.status();
  r.team = std::move(*team);
  const json::value* hours = ro.if_contains("hours");
  if (hours == nullptr || !hours->is_array() || hours->as_array().empty()) {
    return Status::InvalidArgument("recontact.hours", "an open territory needs opening hours");
  }
  for (std::size_t i = 0; i < hours->as_array().size(); ++i) {
    auto slot = ParseOpeningSlot(hours->as_array()[i]);
    if (!slot.ok()) {
      return Status::InvalidArgument("recontact.hours[" + std::to_string(i) + "]",
                                     slot.status().message());
    }
    r.hours.push_back(std::move(*slot));
  }
  return r;
}

const std::string& Territory::Name(const std::string& lang) const {
  auto it = names.find(lang);
  return it != names.end() ? it->second : names.at("fr");
}

const std::string& TeamName(const RecontactConfig& c, const std::string& lang) {
  static const std::string kNone;
  auto it = c.team.find(lang);
  if (it != c.team.end()) return it->second;
  it = c.team.find("fr");
  return it != c.team.end() ? it->second : kNone;
}

const std::string& Territory::Team(const std::string& lang) const {
  return TeamName(recontact, lang);
}

Result<TerritoryCatalog> TerritoryCatalog::Load(const std::map<std::string, std::string>& files,
                                                const PathwayRules& defaults,
                                                const HolidayTable& holidays) {
  TerritoryCatalog c;
  std::map<std::string, std::string> department_owner;
  // Threshold sets seen so far, for "one id/version, one set of values".
  std::vector<std::pair<ThresholdSet, std::string>> sets = {
      {defaults.thresholds(), "data/pathway/defaults.json"}};
  for (const auto& [file, text] : files) {
    auto t = ParseTerritory(file, text, defaults, holidays);
    if (!t.ok()) return t.status();
    for (const auto& [known, where] : sets) {
      PARCOURS_RETURN_IF_ERROR(CheckSameThresholdIdentity(t->rules.thresholds(), known,
                                                          "territory file " + file, where));
    }
    sets.emplace_back(t->rules.thresholds(), "territory file " + file);
    if (c.Find(t->code) != nullptr) return Bad(file, "code", "duplicate code " + t->code);
    for (const auto& d : t->departments) {
      auto [it, inserted] = department_owner.emplace(d, t->code);
      if (!inserted) return Bad(file, "departments", d + " already belongs to " + it->second);
    }
    c.territories_.push_back(std::move(*t));
  }
  if (c.Find("") == nullptr) {
    return Status::InvalidArgument("territories", "no outside territory (code \"\") defined");
  }
  for (const auto& [code, days] : holidays.regional) {
    if (c.Find(code) == nullptr || code.empty()) {
      return Status::InvalidArgument("regional." + code,
                                     "holidays.json: regional." + code + ": no such territory");
    }
  }
  return c;
}

const Territory* TerritoryCatalog::Find(std::string_view code) const {
  for (const auto& t : territories_) {
    if (t.code == code) return &t;
  }
  return nullptr;
}

const Territory& TerritoryCatalog::ForDepartment(std::string_view department) const {
  for (const auto& t : territories_) {
    for (const auto& d : t.departments) {
      if (d == department) return t;
    }
  }
  return outside();
}

const Territory& TerritoryCatalog::outside() const { return *Find(""); }

}  // namespace parcours::domain
