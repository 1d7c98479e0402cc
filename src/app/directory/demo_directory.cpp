#include "app/directory/demo_directory.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numbers>

#include "app/directory/directory_import.h"
#include "domain/directory/commune_code.h"
#include "domain/directory/commune_parser.h"
#include "domain/directory/experiment_territories.h"
#include "domain/directory/resource.h"
#include "domain/text/line_stream.h"

namespace parcours::app {
namespace {

using domain::ResourceKind;

// A small deterministic generator (SplitMix64), seeded per town, so the demo
// is the same on every machine.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Next() % n); }

 private:
  std::uint64_t s_;
};

std::uint64_t Seed(const std::string& s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

constexpr std::array<const char*, 16> kFirstNames = {
    "Camille", "Louise", "Inès",  "Manon",   "Chloé", "Léa",    "Sarah",   "Julie",
    "Thomas",  "Hugo",   "Karim", "Nicolas", "Éric",  "Mathis", "Yasmine", "Maëlle"};
constexpr std::array<const char*, 16> kLastNames = {
    "Martin",  "Bernard", "Petit",  "Durand", "Leroy",    "Moreau", "Simon",   "Laurent",
    "Lefèvre", "Michel",  "Garcia", "David",  "Bertrand", "Roux",   "Vincent", "Fournier"};
constexpr std::array<const char*, 8> kStreets = {
    "rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Pasteur",
    "rue des Tilleuls",     "place de la Mairie", "rue du Marché",   "avenue de la Gare"};

struct Slot {
  ResourceKind kind;
  int count;          // per town
  bool prefecture;    // only in the larger towns (population >= 40 000)
  const char* label;  // structure name pattern; nullptr for a person
};

constexpr std::array<Slot, 12> kSlots = {{
    {ResourceKind::kMidwife, 3, false, nullptr},
    {ResourceKind::kGeneralPractitioner, 3, false, nullptr},
    {ResourceKind::kPsychologist, 2, false, nullptr},
    {ResourceKind::kPsychiatrist, 1, false, nullptr},
    {ResourceKind::kPmiCentre, 1, false, "Centre de PMI"},
    {ResourceKind::kAdultCmp, 1, false, "CMP adultes"},
    {ResourceKind::kMaternity, 1, true, "Maternité"},
    {ResourceKind::kPerinatalPsychiatry, 1, true, "Unité de psychiatrie périnatale"},
    {ResourceKind::kPerinatalMobileTeam, 1, true, "Équipe mobile périnatalité"},
    {ResourceKind::kMotherBabyUnit, 1, true, "Unité mère-bébé"},
    {ResourceKind::kEmergencyDepartment, 1, true, "Urgences du centre hospitalier"},
    {ResourceKind::kCattg, 1, true, "CATTG"},
}};

const char* Profession(ResourceKind k) {
  switch (k) {
    case ResourceKind::kMidwife: return "Sage-femme";
    case ResourceKind::kPsychologist: return "Psychologue";
    default: return "Dr";
  }
}

std::string Phone(Rng& rng) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "019900%04u", static_cast<unsigned>(rng.Below(10000)));
  return buf;
}

std::string Ascii(const std::string& s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9')) {
      out += c;
    } else if (u >= 'A' && u <= 'Z') {
      out += static_cast<char>(u - 'A' + 'a');
    }
  }
  return out.empty() ? "demo" : out;
}

// The fictional resources of one town, in a stable order.
std::vector<std::pair<std::string, domain::Resource>> Generate(const storage::CommuneRecord& town) {
  std::vector<std::pair<std::string, domain::Resource>> out;
  Rng rng(Seed(town.insee_code));
  const bool large = town.population.value_or(0) >= 40000;
  int n = 0;
  for (const Slot& slot : kSlots) {
    if (slot.prefecture && !large) continue;
    for (int i = 0; i < slot.count; ++i) {
      domain::Resource r;
      r.kind = slot.kind;
      r.levels = domain::DefaultLevels(slot.kind);
      if (slot.kind == ResourceKind::kMaternity) r.levels.Add(domain::CareLevel::kHospital);
      if (slot.label) {
        r.name = std::string(slot.label) + " de " + town.name + " (démo)";
      } else {
        r.name = std::string(Profession(slot.kind)) + " " + kFirstNames[rng.Below(16)] + " " +
                 kLastNames[rng.Below(16)] + " (démo)";
        r.organisation = "Cabinet " + std::string(kStreets[rng.Below(8)]);
      }
      r.address = std::to_string(1 + rng.Below(120)) + " " + kStreets[rng.Below(8)];
      r.postcode =
          town.postcodes.empty() ? std::string() : town.postcodes[rng.Below(town.postcodes.size())];
      r.commune_code = town.insee_code;
      // Within ~6 km of the centre: 0.054 degrees of latitude.
      const double angle = rng.Unit() * 2 * std::numbers::pi;
      const double radius = 0.003 + rng.Unit() * 0.05;
      r.position = domain::LatLon{
          town.centroid->lat + radius * std::sin(angle),
          town.centroid->lon +
              radius * std::cos(angle) / std::cos(town.centroid->lat * std::numbers::pi / 180)};
      r.phone = Phone(rng);
      r.email = Ascii(slot.label ? std::string(ToString(slot.kind)) : r.name.substr(0, 12)) + "." +
                Ascii(town.name) + "@example.org";
      r.accepts_fathers = rng.Below(10) < 7;
      r.teleconsultation = rng.Below(10) < 3;
      r.mon_soutien_psy = slot.kind == ResourceKind::kPsychologist && rng.Below(2) == 0;
      r.languages =
          rng.Below(4) == 0 ? std::vector<std::string>{"en", "fr"} : std::vector<std::string>{"fr"};
      if (town.department_code == "972" && rng.Below(2) == 0) r.languages.emplace_back("ht");
      r.opening_notes = slot.kind == ResourceKind::kEmergencyDepartment
                            ? "24 h/24, 7 j/7"
                            : "Du lundi au vendredi, sur rendez-vous";
      out.emplace_back("demo:" + town.insee_code + ":" + std::to_string(++n), std::move(r));
    }
  }
  return out;
}

Result<std::vector<storage::CommuneRecord>> ReadTowns(const std::string& path) {
  std::vector<storage::CommuneRecord> towns;
  std::vector<std::string> errors;
  domain::CommuneReader reader(
      [&](const domain::Commune& c) {
        towns.push_back({c.insee_code, c.name, c.postcodes, c.department_code, c.region_code,
                         c.centroid, c.population});
      },
      [&](const domain::LineError& e) {
        errors.push_back("line " + std::to_string(e.line_number) + ": " + e.reason);
      });
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Status::NotFound("demo towns not found: " + path);
  std::string bytes;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.append(buf, n);
  std::fclose(f);
  domain::StreamLines(bytes, &reader);
  PARCOURS_RETURN_IF_ERROR(reader.status());
  if (!errors.empty()) return Status::Internal("bad demo towns file: " + errors.front());
  return towns;
}

}  // namespace

Result<DemoSummary> LoadDemoDirectory(storage::Storage& storage, const Clock& clock,
                                      const std::string& share_dir) {
  DemoSummary s;
  const std::string list =
      share_dir + "/node_modules/@etalab/decoupage-administratif/data/communes.json";
  std::error_code ec;
  if (std::filesystem::exists(list, ec)) {
    s.commune_list_found = true;
    auto r = ImportCommunes(storage, list, "etalab-json", ImportOptions());
    if (!r.ok()) return r.status();
    s.communes_loaded = r->counts.records;
  }
  auto towns = ReadTowns(share_dir + "/data/demo/towns.csv");
  if (!towns.ok()) return towns.status();
  const auto now = clock.NowMs();
  Status st = storage.Transact([&](storage::Transaction& tx) -> Status {
    auto& d = tx.directory();
    s.towns = 0;
    s.resources_inserted = 0;
    s.resources_present = 0;
    for (const auto& town : *towns) {
      auto existing = d.FindCommune(town.insee_code);
      if (!existing.ok()) return existing.status();
      storage::CommuneRecord c = *existing ? **existing : town;
      if (!c.centroid) c.centroid = town.centroid;  // a real centroid is kept
      auto changed = d.UpsertCommune(c);
      if (!changed.ok()) return changed.status();
      ++s.towns;
      for (auto& [key, resource] : Generate(c)) {
        auto found = d.FindResourceBySourceKey(key);
        if (!found.ok()) return found.status();
        if (*found) {
          ++s.resources_present;
          continue;
        }
        storage::ResourceRecord rec;
        rec.source = "demo";
        rec.source_key = key;
        rec.resource = std::move(resource);
        rec.published = true;
        rec.import_hash = domain::ImportFingerprint(rec.resource);
        rec.created_at = rec.updated_at = now;
        rec.verified_at = now;
        auto errors = domain::Validate(rec.resource);
        if (!errors.empty()) {
          return Status::Internal("demo resource " + key + ": " + errors.front().field + " " +
                                  errors.front().reason);
        }
        auto id = d.InsertResource(rec);
        if (!id.ok()) return id.status();
        ++s.resources_inserted;
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return s;
}

std::string FormatDemoSummary(const DemoSummary& s) {
  std::string out = "demo directory (fictional, marked \"(démo)\")\n";
  out += s.commune_list_found
             ? "  communes (official list)  " + std::to_string(s.communes_loaded) + "\n"
             : "  communes (official list)  not installed: only the demo towns\n";
  out += "  towns with a centroid     " + std::to_string(s.towns) + "\n";
  out += "  resources added           " + std::to_string(s.resources_inserted) + "\n";
  out += "  resources already there   " + std::to_string(s.resources_present) + "\n";
  return out;
}

Status ValidateSubTerritory(storage::SubTerritoryRecord* s) {
  if (s->code.empty() || s->code.size() > 64 ||
      !std::all_of(s->code.begin(), s->code.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      })) {
    return Status::InvalidArgument("code", "lower-case letters, digits and '-', at most 64");
  }
  const auto* t = domain::FindExperimentTerritory(s->territory_code);
  if (!t)
    return Status::InvalidArgument("territory", "unknown territory '" + s->territory_code + "'");
  if (s->name.empty() || s->name.size() > 200) {
    return Status::InvalidArgument("name", "is required (at most 200 characters)");
  }
  if (s->kind != "department" && s->kind != "ptsm" && s->kind != "communes") {
    return Status::InvalidArgument("kind", "kind must be department, ptsm or communes");
  }
  if (s->members.empty()) return Status::InvalidArgument("members", "at least one member");
  for (const auto& m : s->members) {
    const bool is_dept =
        std::find(t->departments.begin(), t->departments.end(), m) != t->departments.end();
    const bool is_commune = domain::IsWellFormedCommuneCode(m);
    if (s->kind == "department" && !is_dept) {
      return Status::InvalidArgument("members",
                                     "'" + m + "' is not a department of " + s->territory_code);
    }
    if (s->kind == "communes" && !is_commune) {
      return Status::InvalidArgument("members", "'" + m + "' is not an INSEE commune code");
    }
    if (s->kind == "ptsm" && !is_dept && !is_commune) {
      return Status::InvalidArgument("members",
                                     "'" + m + "' is neither a department nor a commune");
    }
    if (is_commune && !is_dept) {
      auto dept = domain::DepartmentOfCommune(m);
      if (std::find(t->departments.begin(), t->departments.end(), dept) == t->departments.end()) {
        return Status::InvalidArgument("members",
                                       "commune " + m + " is outside " + s->territory_code);
      }
    }
  }
  std::sort(s->members.begin(), s->members.end());
  s->members.erase(std::unique(s->members.begin(), s->members.end()), s->members.end());
  return Status::Ok();
}

}  // namespace parcours::app
