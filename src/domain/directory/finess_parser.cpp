#include "domain/directory/finess_parser.h"

#include <utility>

#include "domain/directory/commune_code.h"
#include "domain/text/fold.h"
#include "domain/text/numbers.h"

namespace parcours::domain {
namespace {

constexpr std::size_t kEstablishmentFields = 32;
constexpr std::size_t kGeolocationFields = 6;

enum EstablishmentField : std::size_t {
  kFinessId = 1,
  kLegalEntityId = 2,
  kName = 3,
  kLongName = 4,
  kNameComplement = 5,
  kDistributionComplement = 6,
  kStreetNumber = 7,
  kStreetType = 8,
  kStreetName = 9,
  kStreetComplement = 10,
  kLocality = 11,
  kCommune = 12,
  kDepartment = 13,
  kDepartmentName = 14,
  kRoutingLine = 15,
  kPhone = 16,
  kFax = 17,
  kCategory = 18,
  kCategoryLabel = 19,
  kSiret = 22,
  kOpenedOn = 28,
  kUpdatedOn = 30,
};

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

char AsciiUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// `word` (upper-case ASCII) appears in s as a whole word, any case.
bool ContainsWord(std::string_view s, std::string_view word) {
  for (std::size_t i = 0; i + word.size() <= s.size(); ++i) {
    if (i > 0 && IsAsciiAlnum(s[i - 1])) continue;
    std::size_t k = 0;
    while (k < word.size() && AsciiUpper(s[i + k]) == word[k]) ++k;
    if (k < word.size()) continue;
    if (i + k < s.size() && IsAsciiAlnum(s[i + k])) continue;
    return true;
  }
  return false;
}

bool IsFinessId(std::string_view id) {
  if (id.size() != 9) return false;
  for (char c : id) {
    if (!IsAsciiAlnum(c)) return false;
  }
  return true;
}

// A nofinesset (9 characters in [0-9A-Z]) as a base-36 number.
std::uint64_t PackFinessId(std::string_view id) {
  std::uint64_t v = 0;
  for (char c : id) {
    const char u = AsciiUpper(c);
    v = v * 36 + static_cast<std::uint64_t>(u <= '9' ? u - '0' : u - 'A' + 10);
  }
  return v;
}

// Kind of a CMP from its name: perinatal first (a "CMP périnatal parents-
// bébé" is for the parent), then children, else adults.
ResourceKind CmpKind(std::string_view name) {
  const std::string folded = FoldForSearch(name);
  bool child = false;
  std::string_view rest(folded);
  while (!rest.empty()) {
    const std::size_t space = rest.find(' ');
    const std::string_view w = rest.substr(0, space);
    if (StartsWith(w, "perinat") || w == "bebe" || w == "bebes") {
      return ResourceKind::kPerinatalPsychiatry;
    }
    if (w == "enfant" || w == "enfants" || w == "enfance" || StartsWith(w, "infant") ||
        StartsWith(w, "juvenil") || w == "ado" || w == "ados" || StartsWith(w, "adolescen") ||
        StartsWith(w, "pedopsy") || w == "cmpi" || w == "cmpij" || w == "cmpea" || w == "cmpe") {
      child = true;
    }
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return child ? ResourceKind::kChildCmp : ResourceKind::kAdultCmp;
}

}  // namespace

std::optional<ResourceKind> FinessResourceKind(std::string_view category, std::string_view name) {
  if (category == "156") return CmpKind(name);
  if (category == "189") return ResourceKind::kCmpp;
  if (category == "425") return ResourceKind::kCattp;
  if (category == "444") return ResourceKind::kCrisisCentre;
  if (category == "223" || category == "224" || category == "230") return ResourceKind::kPmiCentre;
  if (category == "292") return ResourceKind::kPsychiatricHospital;
  if (category == "161") return ResourceKind::kPsychiatricClinic;
  if (category == "101" || category == "355") return ResourceKind::kGeneralHospital;
  return std::nullopt;
}

namespace {

// The EPSG code a sourcecoordet token names, 0 if none.
int CrsOfToken(std::string_view token) {
  token = TrimAscii(token);
  const std::size_t epsg = token.find("EPSG:");
  if (epsg != std::string_view::npos) {
    const std::string_view digits = token.substr(epsg + 5);
    std::size_t n = 0;
    while (n < digits.size() && n < 5 && digits[n] >= '0' && digits[n] <= '9') ++n;
    const std::optional<std::int64_t> code = ParseInt64(digits.substr(0, n));
    return code && *code > 0 ? static_cast<int>(*code) : 0;
  }
  if (token == "LAMBERT_93") return kEpsgLambert93;
  if (token == "UTM_N20") return kEpsgRraf91Utm20N;
  if (token == "UTM_N21") return kEpsgRgspm06Utm21N;
  if (token == "UTM_N22") return kEpsgRgfg95Utm22N;
  if (token == "UTM_S38") return kEpsgRgm04Utm38S;
  if (token == "UTM_S40") return kEpsgRgr92Utm40S;
  // "WGS84/UTM zone 21N (Saint-Pierre-et-Miquelon)", "WGS84/UTM zone 1S ...".
  const std::size_t zone = token.find("UTM zone ");
  if (zone != std::string_view::npos && StartsWith(token, "WGS84")) {
    const std::string_view rest = token.substr(zone + 9);
    std::size_t n = 0;
    while (n < rest.size() && n < 2 && rest[n] >= '0' && rest[n] <= '9') ++n;
    const std::optional<std::int64_t> z = ParseInt64(rest.substr(0, n));
    if (!z || *z < 1 || *z > 60 || n >= rest.size()) return 0;
    const char hemisphere = AsciiUpper(rest[n]);
    if (hemisphere == 'N') return 32600 + static_cast<int>(*z);
    if (hemisphere == 'S') return 32700 + static_cast<int>(*z);
  }
  return 0;
}

}  // namespace

int ParseFinessCrs(std::string_view source) {
  // The system is the 5th comma-separated token since 2023 ("1,ATLASANTE,96,
  // BAN,EPSG:2154 ..."), the last one before ("1,ATLASANTE,100,IGN,
  // BD_ADRESSE,V2.2,LAMBERT_93"): take the first token that names one.
  while (true) {
    const std::size_t comma = source.find(',');
    const int epsg = CrsOfToken(source.substr(0, comma));
    if (epsg != 0 || comma == std::string_view::npos) return epsg;
    source.remove_prefix(comma + 1);
  }
}

FinessLineOutcome FinessParser::ParseLine(std::string_view line, std::int64_t line_number,
                                          FinessEstablishment* establishment,
                                          FinessGeolocation* geolocation, LineError* error) {
  if (TrimAscii(line).empty()) return FinessLineOutcome::kSkipped;
  if (!splitter_.Split(line, ';')) {
    error->line_number = line_number;
    error->reason = "unterminated quoted field";
    return FinessLineOutcome::kError;
  }
  const std::string_view type = splitter_.fields().front();
  if (type == "structureet") return ParseEstablishment(line_number, establishment, error);
  if (type == "geolocalisation") return ParseGeolocation(line_number, geolocation, error);
  if (type == "finess") {
    const auto& f = splitter_.fields();
    extract_date_.assign(f.size() > 3 ? TrimAscii(f[3]) : std::string_view());
    return FinessLineOutcome::kPreamble;
  }
  return FinessLineOutcome::kSkipped;
}

FinessLineOutcome FinessParser::ParseEstablishment(std::int64_t line_number, FinessEstablishment* e,
                                                   LineError* error) {
  const auto& f = splitter_.fields();
  std::size_t n = f.size();
  if (n > kEstablishmentFields && f.back().empty()) --n;
  const auto fail = [&](std::string reason) {
    error->line_number = line_number;
    error->reason = std::move(reason);
    return FinessLineOutcome::kError;
  };
  if (n != kEstablishmentFields) {
    return fail("structureet: expected " + std::to_string(kEstablishmentFields) +
                " fields, found " + std::to_string(n));
  }
  const auto field = [&](std::size_t i) { return TrimAscii(f[i]); };
  const std::string_view id = field(kFinessId);
  if (!IsFinessId(id)) return fail(DescribeValue("structureet: malformed nofinesset", id));

  const std::string_view category = field(kCategory);
  const std::string_view name = field(kName);
  const std::string_view long_name = field(kLongName);
  std::optional<ResourceKind> kind;
  if (category == "156") {
    std::string names(name);
    names.push_back(' ');
    names.append(long_name);
    kind = FinessResourceKind(category, names);
  } else {
    kind = FinessResourceKind(category, {});
  }
  if (!kind) {
    e->finess_id.assign(id);
    return FinessLineOutcome::kOtherEstablishment;
  }

  const std::string_view department = field(kDepartment);
  const std::string_view commune = field(kCommune);
  const std::optional<std::string> commune_code = CommuneCodeFromFiness(department, commune);
  if (!commune_code) {
    return fail(DescribeValue("structureet: malformed departement/commune",
                              std::string(department) + "/" + std::string(commune)));
  }

  e->finess_id.assign(id);
  e->legal_entity_id.assign(field(kLegalEntityId));
  e->name.assign(name);
  e->long_name.assign(long_name);
  e->name_complement.assign(field(kNameComplement));
  e->distribution_complement.assign(field(kDistributionComplement));
  e->street_number.assign(field(kStreetNumber));
  e->street_type.assign(field(kStreetType));
  e->street_name.assign(field(kStreetName));
  e->street_complement.assign(field(kStreetComplement));
  e->locality.assign(field(kLocality));
  e->department_code.assign(*InseeDepartmentFromFiness(department));
  e->department_name.assign(field(kDepartmentName));
  e->commune_code = *commune_code;
  const std::string_view routing = field(kRoutingLine);
  e->routing_line.assign(routing);
  const std::string_view code = routing.substr(0, 5);
  e->postcode.clear();
  e->cedex_postcode.clear();
  if (code.size() == 5 && IsDigits(code)) {
    if (ContainsWord(routing, "CEDEX")) {
      e->cedex_postcode.assign(code);
    } else {
      e->postcode.assign(code);
    }
  }
  e->phone.assign(field(kPhone));
  e->fax.assign(field(kFax));
  e->category_code.assign(category);
  e->category_label.assign(field(kCategoryLabel));
  e->siret.assign(field(kSiret));
  e->opened_on.assign(field(kOpenedOn));
  e->updated_on.assign(field(kUpdatedOn));
  e->kind = *kind;
  e->levels = DefaultLevels(*kind);
  e->position.reset();
  e->geocoder.clear();
  e->position_is_commune_centroid = false;
  return FinessLineOutcome::kEstablishment;
}

FinessLineOutcome FinessParser::ParseGeolocation(std::int64_t line_number, FinessGeolocation* g,
                                                 LineError* error) {
  const auto& f = splitter_.fields();
  std::size_t n = f.size();
  if (n > kGeolocationFields && f.back().empty()) --n;
  const auto fail = [&](std::string reason) {
    error->line_number = line_number;
    error->reason = std::move(reason);
    return FinessLineOutcome::kError;
  };
  if (n != kGeolocationFields) {
    return fail("geolocalisation: expected " + std::to_string(kGeolocationFields) +
                " fields, found " + std::to_string(n));
  }
  const std::string_view id = TrimAscii(f[1]);
  if (!IsFinessId(id)) return fail(DescribeValue("geolocalisation: malformed nofinesset", id));
  const std::string_view x_text = TrimAscii(f[2]);
  const std::string_view y_text = TrimAscii(f[3]);
  if (x_text.empty() && y_text.empty()) return FinessLineOutcome::kSkipped;  // not geocoded
  const std::optional<double> x = ParseDecimal(x_text);
  const std::optional<double> y = ParseDecimal(y_text);
  if (!x || !y) return fail(DescribeValue("geolocalisation: malformed coordinates", f[2]));
  const std::string_view source = TrimAscii(f[4]);
  g->finess_id.assign(id);
  g->point = ProjectedPoint{*x, *y, ParseFinessCrs(source)};
  // Geocoder: the 4th token of sourcecoordet.
  std::string_view geocoder;
  {
    std::string_view rest = source;
    for (int i = 0; i < 3 && !rest.empty(); ++i) {
      const std::size_t comma = rest.find(',');
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    geocoder = TrimAscii(rest.substr(0, rest.find(',')));
  }
  g->geocoder.assign(geocoder);
  g->commune_centroid = StartsWith(geocoder, "ADMIN-EXPRESS");
  return FinessLineOutcome::kGeolocation;
}

FinessCollector::FinessCollector(ErrorFn on_error) : on_error_(std::move(on_error)) {}

void FinessCollector::Error(std::int64_t line_number, std::string reason) {
  ++counts_.errors;
  if (on_error_) on_error_(LineError{line_number, std::move(reason)});
}

void FinessCollector::Attach(FinessEstablishment* e, const FinessGeolocation& g) {
  ProjectedPoint p = g.point;
  if (p.epsg == 0) p.epsg = DefaultEpsgForDepartment(e->department_code);
  e->position = p;
  e->geocoder = g.geocoder;
  e->position_is_commune_centroid = g.commune_centroid;
}

void FinessCollector::OnLine(std::string_view line, std::int64_t line_number) {
  ++counts_.lines;
  switch (parser_.ParseLine(line, line_number, &establishment_, &geolocation_, &error_)) {
    case FinessLineOutcome::kPreamble: break;
    case FinessLineOutcome::kSkipped: ++counts_.skipped; break;
    case FinessLineOutcome::kError: Error(error_.line_number, std::move(error_.reason)); break;
    case FinessLineOutcome::kOtherEstablishment: {
      ++counts_.skipped;
      others_.insert(PackFinessId(establishment_.finess_id));
      const auto pending = pending_.find(establishment_.finess_id);
      if (pending != pending_.end()) pending_.erase(pending);  // already counted skipped
      break;
    }
    case FinessLineOutcome::kEstablishment: {
      if (index_.count(establishment_.finess_id) != 0) {
        Error(line_number,
              DescribeValue("structureet: duplicate nofinesset", establishment_.finess_id));
        break;
      }
      ++counts_.records;
      index_.emplace(establishment_.finess_id, kept_.size());
      kept_.push_back(establishment_);
      const auto pending = pending_.find(establishment_.finess_id);
      if (pending != pending_.end()) {
        Attach(&kept_.back(), pending->second);
        ++counts_.records;
        --counts_.skipped;  // counted as skipped while unmatched
        pending_.erase(pending);
      }
      break;
    }
    case FinessLineOutcome::kGeolocation: {
      const auto it = index_.find(geolocation_.finess_id);
      if (it != index_.end()) {
        if (kept_[it->second].position) {
          Error(line_number,
                DescribeValue("geolocalisation: duplicate nofinesset", geolocation_.finess_id));
          break;
        }
        Attach(&kept_[it->second], geolocation_);
        ++counts_.records;
      } else {
        ++counts_.skipped;
        // Its structureet may come later (not in the etalab order).
        if (others_.count(PackFinessId(geolocation_.finess_id)) == 0) {
          pending_.insert_or_assign(geolocation_.finess_id, geolocation_);
        }
      }
      break;
    }
  }
}

void FinessCollector::OnOverlongLine(std::int64_t line_number) {
  ++counts_.lines;
  Error(line_number, "line too long");
}

std::vector<FinessEstablishment> FinessCollector::TakeEstablishments() {
  pending_.clear();
  others_.clear();
  index_.clear();
  return std::move(kept_);
}

std::vector<FinessEstablishment> ReadFinessExtract(std::string_view bytes,
                                                   FinessCollector::ErrorFn on_error,
                                                   ImportCounts* counts) {
  FinessCollector collector(std::move(on_error));
  StreamLines(bytes, &collector);
  if (counts != nullptr) *counts = collector.counts();
  return collector.TakeEstablishments();
}

}  // namespace parcours::domain
