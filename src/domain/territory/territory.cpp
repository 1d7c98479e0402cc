#include "domain/territory/territory.h"

#include <boost/json.hpp>

#include "domain/common/json_document.h"
#include "domain/pathway/opening_hours.h"

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
                                 const PathwayRules& defaults) {
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

  const json::value* rc = o.if_contains("recontact");
  if (rc == nullptr || !rc->is_object()) return Bad(file, "recontact", "missing");
  const auto& ro = rc->as_object();
  const json::value* open = ro.if_contains("open");
  if (open == nullptr || !open->is_bool())
    return Bad(file, "recontact.open", "must be true or false");
  t.recontact.open = open->as_bool();
  if (t.recontact.open) {
    auto team = LanguageMap(ro, "team", file, true);
    if (!team.ok()) return team.status();
    t.recontact.team = std::move(*team);
    const json::value* hours = ro.if_contains("hours");
    if (hours == nullptr || !hours->is_array() || hours->as_array().empty()) {
      return Bad(file, "recontact.hours", "an open territory needs opening hours");
    }
    for (std::size_t i = 0; i < hours->as_array().size(); ++i) {
      const std::string p = "recontact.hours[" + std::to_string(i) + "]";
      auto slot = ParseOpeningSlot(hours->as_array()[i]);
      if (!slot.ok()) return Bad(file, p, slot.status().message());
      t.recontact.hours.push_back(std::move(*slot));
    }
  }
  auto rules = defaults.WithOverrides(o, file);
  if (!rules.ok()) return rules.status();
  t.rules = std::move(*rules);
  return t;
}

}  // namespace

const std::string& Territory::Name(const std::string& lang) const {
  auto it = names.find(lang);
  return it != names.end() ? it->second : names.at("fr");
}

const std::string& Territory::Team(const std::string& lang) const {
  static const std::string kNone;
  auto it = recontact.team.find(lang);
  if (it != recontact.team.end()) return it->second;
  it = recontact.team.find("fr");
  return it != recontact.team.end() ? it->second : kNone;
}

Result<TerritoryCatalog> TerritoryCatalog::Load(const std::map<std::string, std::string>& files,
                                                const PathwayRules& defaults) {
  TerritoryCatalog c;
  std::map<std::string, std::string> department_owner;
  for (const auto& [file, text] : files) {
    auto t = ParseTerritory(file, text, defaults);
    if (!t.ok()) return t.status();
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
