#include "domain/directory/resource.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "domain/common/contact.h"
#include "domain/directory/commune_code.h"

namespace parcours::domain {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string_view> SplitComma(std::string_view s) {
  std::vector<std::string_view> out;
  while (true) {
    auto comma = s.find(',');
    std::string_view part = Trim(s.substr(0, comma));
    if (!part.empty()) out.push_back(part);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

std::optional<bool> ParseBool(std::string_view v) {
  std::string s;
  for (char c : v) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "yes" || s == "true" || s == "1" || s == "oui") return true;
  if (s == "no" || s == "false" || s == "0" || s == "non" || s.empty()) return false;
  return std::nullopt;
}

std::optional<double> ParseDouble(std::string_view v) {
  double d = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  if (ec != std::errc() || p != v.data() + v.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

bool ValidUrl(std::string_view u) {
  std::string_view rest;
  if (u.starts_with("https://")) {
    rest = u.substr(8);
  } else if (u.starts_with("http://")) {
    rest = u.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest.front() == '/' || rest.front() == '.') return false;
  return std::none_of(u.begin(), u.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '<' || c == '>' || c == '"' ||
           static_cast<unsigned char>(c) < 0x20;
  });
}

std::string FormatDouble(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.7f", d);
  return buf;
}

std::string JoinLevels(const CareLevelSet& levels) {
  std::string out;
  for (CareLevel l : levels.ToVector()) {
    if (!out.empty()) out += ',';
    out += ToString(l);
  }
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

// "text 'value' rest" without `const char* + std::string` temporaries (GCC 12
// -O3 reports a false -Wrestrict on those).
std::string Quoted(std::string_view before, std::string_view value, std::string_view after) {
  std::string s;
  s.reserve(before.size() + value.size() + after.size() + 2);
  s.append(before).append("'").append(value).append("'").append(after);
  return s;
}

constexpr std::size_t kMaxText = 300;
constexpr std::size_t kMaxNotes = 2000;

}  // namespace

const std::vector<std::string_view>& FieldNames() {
  static const std::vector<std::string_view> kNames = {"kind",
                                                       "levels",
                                                       "name",
                                                       "organisation",
                                                       "address",
                                                       "postcode",
                                                       "commune",
                                                       "position",
                                                       "phone",
                                                       "email",
                                                       "website",
                                                       "opening_notes",
                                                       "accepts_fathers",
                                                       "teleconsultation",
                                                       "mon_soutien_psy",
                                                       "languages",
                                                       "rpps",
                                                       "finess",
                                                       "siret"};
  return kNames;
}

const std::vector<std::string_view>& ImportedFields() {
  static const std::vector<std::string_view> kNames = {
      "kind",     "levels", "name",  "organisation", "address", "postcode", "commune",
      "position", "phone",  "email", "rpps",         "finess",  "siret"};
  return kNames;
}

bool IsImportedField(std::string_view field) {
  const auto& f = ImportedFields();
  return std::find(f.begin(), f.end(), field) != f.end();
}

std::optional<FieldError> SetField(Resource* r, std::string_view field, std::string_view raw,
                                   std::optional<double>* partial_lat,
                                   std::optional<double>* partial_lon) {
  const std::string_view v = Trim(raw);
  auto err = [&](std::string reason) {
    return std::optional<FieldError>(FieldError{std::string(field), std::move(reason)});
  };
  auto text = [&](std::string* out, std::size_t max) -> std::optional<FieldError> {
    if (v.size() > max) return err("longer than " + std::to_string(max) + " characters");
    if (std::any_of(v.begin(), v.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\n'; })) {
      return err("contains control characters");
    }
    *out = std::string(v);
    return std::nullopt;
  };
  auto flag = [&](bool* out) -> std::optional<FieldError> {
    auto b = ParseBool(v);
    if (!b) return err("must be yes or no");
    *out = *b;
    return std::nullopt;
  };

  if (field == "kind") {
    auto k = ParseResourceKind(v);
    if (!k) return err(Quoted("unknown kind ", v.substr(0, 40), ""));
    r->kind = *k;
    return std::nullopt;
  }
  if (field == "levels") {
    CareLevelSet set;
    for (std::string_view part : SplitComma(v)) {
      auto l = ParseCareLevel(part);
      if (!l) {
        return err(Quoted("unknown level ", part.substr(0, 40),
                          " (information, first_line, specialised, hospital, emergency)"));
      }
      set.Add(*l);
    }
    if (set.empty()) return err("at least one level of care is required");
    r->levels = set;
    return std::nullopt;
  }
  if (field == "name") {
    if (v.empty()) return err("is required");
    return text(&r->name, kMaxText);
  }
  if (field == "organisation") return text(&r->organisation, kMaxText);
  if (field == "address") return text(&r->address, kMaxText);
  if (field == "opening_notes") return text(&r->opening_notes, kMaxNotes);
  if (field == "postcode") {
    if (v.size() != 5 || !AllDigits(v)) return err("must be 5 digits");
    r->postcode = std::string(v);
    return std::nullopt;
  }
  if (field == "commune") {
    if (!IsWellFormedCommuneCode(v)) return err("must be an INSEE commune code (5 characters)");
    r->commune_code = std::string(NormaliseCommuneCode(v));
    return std::nullopt;
  }
  if (field == "latitude" || field == "longitude") {
    const bool is_lat = field == "latitude";
    std::optional<double>* mine = is_lat ? partial_lat : partial_lon;
    std::optional<double>* other = is_lat ? partial_lon : partial_lat;
    if (v.empty()) {
      mine->reset();
      other->reset();
      r->position.reset();
      return std::nullopt;
    }
    auto d = ParseDouble(v);
    if (!d) return err("must be a decimal number (WGS84 degrees, '.' as separator)");
    if (is_lat ? std::fabs(*d) > 90 : std::fabs(*d) > 180) {
      return err(is_lat ? "must be between -90 and 90" : "must be between -180 and 180");
    }
    *mine = *d;
    if (!other->has_value() && r->position) {
      *other = is_lat ? r->position->lon : r->position->lat;
    }
    if (other->has_value()) {
      r->position = is_lat ? LatLon{**mine, **other} : LatLon{**other, **mine};
    }
    return std::nullopt;
  }
  if (field == "phone") {
    if (v.empty()) {
      r->phone.clear();
      return std::nullopt;
    }
    auto p = NormalisePhone(v);
    if (!p) return err("must be a French phone number (10 digits) or a short number");
    r->phone = *p;
    return std::nullopt;
  }
  if (field == "email") {
    if (!v.empty() && (!IsEmail(v) || v.size() > kMaxText)) return err("is not an e-mail address");
    r->email = std::string(v);
    return std::nullopt;
  }
  if (field == "website") {
    if (!v.empty() && (!ValidUrl(v) || v.size() > kMaxText)) {
      return err("must start with https:// or http://");
    }
    r->website = std::string(v);
    return std::nullopt;
  }
  if (field == "accepts_fathers") return flag(&r->accepts_fathers);
  if (field == "teleconsultation") return flag(&r->teleconsultation);
  if (field == "mon_soutien_psy") return flag(&r->mon_soutien_psy);
  if (field == "languages") {
    std::vector<std::string> langs;
    for (std::string_view part : SplitComma(v)) {
      std::string l;
      for (char c : part) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (l.size() != 2 || !std::isalpha(static_cast<unsigned char>(l[0])) ||
          !std::isalpha(static_cast<unsigned char>(l[1]))) {
        return err(
            Quoted("", part.substr(0, 20), " is not a two-letter language code (ISO 639-1)"));
      }
      langs.push_back(std::move(l));
    }
    std::sort(langs.begin(), langs.end());
    langs.erase(std::unique(langs.begin(), langs.end()), langs.end());
    r->languages = std::move(langs);
    return std::nullopt;
  }
  if (field == "rpps") {
    if (!v.empty() && (!AllDigits(v) || (v.size() != 11 && v.size() != 12))) {
      return err("must be 11 or 12 digits (Identification nationale PP)");
    }
    r->rpps = std::string(v);
    return std::nullopt;
  }
  if (field == "finess") {
    if (!v.empty() && (v.size() != 9 || !std::all_of(v.begin(), v.end(), [](char c) {
                         return std::isalnum(static_cast<unsigned char>(c));
                       }))) {
      return err("must be 9 characters");
    }
    r->finess = std::string(v);
    return std::nullopt;
  }
  if (field == "siret") {
    if (!v.empty() && (v.size() != 14 || !AllDigits(v))) return err("must be 14 digits");
    r->siret = std::string(v);
    return std::nullopt;
  }
  return err("unknown field");
}

std::vector<FieldError> Validate(const Resource& r) {
  std::vector<FieldError> errors;
  if (Trim(r.name).empty()) errors.push_back({"name", "is required"});
  if (r.levels.empty()) errors.push_back({"levels", "at least one level of care is required"});
  if (!IsWellFormedCommuneCode(r.commune_code)) {
    errors.push_back({"commune", "is required (INSEE commune code)"});
  }
  if (r.postcode.size() != 5 || !AllDigits(r.postcode)) {
    errors.push_back({"postcode", "is required (5 digits)"});
  } else if (IsWellFormedCommuneCode(r.commune_code)) {
    std::string_view dept = DepartmentOfCommune(r.commune_code);
    const bool overseas = dept.size() == 3;
    const bool corsica = dept == "2A" || dept == "2B";
    const bool agree = overseas  ? r.postcode.starts_with(dept)
                       : corsica ? r.postcode.starts_with("20")
                                 : r.postcode.starts_with(dept);
    if (!agree) {
      errors.push_back({"postcode", "does not match the department of commune " + r.commune_code});
    }
  }
  if (r.position && !IsValid(*r.position)) {
    errors.push_back({"position", "latitude/longitude out of range"});
  }
  return errors;
}

std::string FieldValue(const Resource& r, std::string_view field) {
  if (field == "kind") return std::string(ToString(r.kind));
  if (field == "levels") return JoinLevels(r.levels);
  if (field == "name") return r.name;
  if (field == "organisation") return r.organisation;
  if (field == "address") return r.address;
  if (field == "postcode") return r.postcode;
  if (field == "commune") return r.commune_code;
  if (field == "position") {
    return r.position ? FormatDouble(r.position->lat) + "," + FormatDouble(r.position->lon) : "";
  }
  if (field == "latitude") return r.position ? FormatDouble(r.position->lat) : "";
  if (field == "longitude") return r.position ? FormatDouble(r.position->lon) : "";
  if (field == "phone") return r.phone;
  if (field == "email") return r.email;
  if (field == "website") return r.website;
  if (field == "opening_notes") return r.opening_notes;
  if (field == "accepts_fathers") return r.accepts_fathers ? "yes" : "no";
  if (field == "teleconsultation") return r.teleconsultation ? "yes" : "no";
  if (field == "mon_soutien_psy") return r.mon_soutien_psy ? "yes" : "no";
  if (field == "languages") return Join(r.languages);
  if (field == "rpps") return r.rpps;
  if (field == "finess") return r.finess;
  if (field == "siret") return r.siret;
  return {};
}

std::vector<std::string> ChangedFields(const Resource& a, const Resource& b) {
  std::vector<std::string> out;
  for (std::string_view f : FieldNames()) {
    if (FieldValue(a, f) != FieldValue(b, f)) out.emplace_back(f);
  }
  return out;
}

Resource MergeImport(const Resource& existing, const Resource& imported,
                     const std::vector<std::string>& manual_fields) {
  auto manual = [&](std::string_view f) {
    return std::find(manual_fields.begin(), manual_fields.end(), f) != manual_fields.end();
  };
  Resource r = existing;
  if (!manual("kind")) r.kind = imported.kind;
  if (!manual("levels")) r.levels = imported.levels;
  if (!manual("name")) r.name = imported.name;
  if (!manual("organisation")) r.organisation = imported.organisation;
  if (!manual("address")) r.address = imported.address;
  if (!manual("postcode")) r.postcode = imported.postcode;
  if (!manual("commune")) r.commune_code = imported.commune_code;
  if (!manual("position")) r.position = imported.position;
  if (!manual("phone")) r.phone = imported.phone;
  if (!manual("email")) r.email = imported.email;
  if (!manual("rpps")) r.rpps = imported.rpps;
  if (!manual("finess")) r.finess = imported.finess;
  if (!manual("siret")) r.siret = imported.siret;
  return r;
}

std::string ImportFingerprint(const Resource& r) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::string_view s) {
    for (char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
    h ^= 0x1f;  // field separator
    h *= 1099511628211ULL;
  };
  for (std::string_view f : ImportedFields()) mix(FieldValue(r, f));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace parcours::domain
