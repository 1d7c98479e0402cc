// FINESS geolocated extract (etalab "cs1100507", data.gouv.fr):
// ';'-separated, Latin-1 (UTF-8 tolerated), fields may be double-quoted
// ("LIEU DE VIE ""X"""), no header but a one-line preamble
// "finess;etalab;<n>;<date>", then
//   structureet;nofinesset;nofinessej;rs;rslongue;complrs;compldistrib;
//     numvoie;typvoie;voie;compvoie;lieuditbp;commune;departement;
//     libdepartement;ligneacheminement;telephone;telecopie;categetab;
//     libcategetab;categagretab;libcategagretab;siret;codeape;codemft;libmft;
//     codesph;libsph;dateouv;dateautor;datemaj;numuai            (32 fields)
// rows, then
//   geolocalisation;nofinesset;coordxet;coordyet;sourcecoordet;datemaj
// rows. Other record types are skipped.
//
// - Commune: FINESS writes the department ("01", "2A", and 9A-9F, 9J
//   overseas) and a 3-digit commune; see CommuneCodeFromFiness.
// - Postcode: the first five characters of ligneacheminement; a CEDEX line
//   ("97306 CAYENNE CEDEX") gives cedex_postcode instead, never postcode.
// - Coordinates: metres, in the system named in sourcecoordet (5th token
//   since 2023: "1,ATLASANTE,96,BAN,EPSG:2154 RGF93 / Lambert-93 (Métropole)",
//   "...,WGS84/UTM zone 21N (...)"; last token before: "...,LAMBERT_93",
//   "...,UTM_N20"); when it names none, by department
//   (DefaultEpsgForDepartment).
//   Rows geocoded by ADMIN-EXPRESS sit on the commune's centroid, not the
//   building: flagged. Conversion to WGS84 is geo::CoordinateConverter's.
//
// Categories kept (categetab, TRE_R66) and their kinds:
//   156 CMP -> adult_cmp, or perinatal_psychiatry / child_cmp when its name
//       says so (périnatalité, bébé / enfant, infanto-juvénile, ado, ...)
//   189 CMPP -> cmpp          425 CATTP -> cattp
//   444 centre de crise et d'accueil permanent -> crisis_centre
//   223 PMI, 224 consultation pré et post-natale, 230 consultation de
//       protection infantile -> pmi_centre
//   292 CHS (psychiatric hospital) -> psychiatric_hospital
//   161 maison de santé pour maladies mentales -> psychiatric_clinic
//   101 CHR/CHU, 355 CH -> general_hospital
// Everything else is skipped. Maternities, mother–baby units and perinatal
// mobile teams are not FINESS categories: they are entered by hand.
//
// Errors (LineError): wrong field count, unterminated quote, malformed
// nofinesset, department/commune or coordinates. Nothing throws; any byte
// sequence is safe (fuzzed). Not thread-safe (buffers reused): one per
// thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "domain/directory/import_report.h"
#include "domain/directory/resource_kind.h"
#include "domain/geo/projected_point.h"
#include "domain/text/field_splitter.h"
#include "domain/text/line_stream.h"

namespace parcours::domain {

struct FinessEstablishment {
  std::string finess_id;                // nofinesset (9 characters)
  std::string legal_entity_id;          // nofinessej
  std::string name;                     // rs
  std::string long_name;                // rslongue
  std::string name_complement;          // complrs
  std::string distribution_complement;  // compldistrib
  std::string street_number;            // numvoie
  std::string street_type;              // typvoie ("R", "AV", "BD")
  std::string street_name;              // voie
  std::string street_complement;        // compvoie ("B" bis, "T" ter)
  std::string locality;                 // lieuditbp: lieu-dit or PO box
  std::string department_code;          // INSEE ("01", "2A", "972")
  std::string department_name;          // libdepartement
  std::string commune_code;             // INSEE, normalised (CommuneCodeFromFiness)
  std::string routing_line;             // ligneacheminement ("97224 DUCOS")
  std::string postcode;                 // commune postcode; empty for a CEDEX line
  std::string cedex_postcode;           // set instead of postcode for a CEDEX line
  std::string phone;
  std::string fax;
  std::string category_code;   // categetab
  std::string category_label;  // libcategetab
  std::string siret;
  std::string opened_on;   // dateouv, YYYY-MM-DD
  std::string updated_on;  // datemaj
  ResourceKind kind = ResourceKind::kAdultCmp;
  CareLevelSet levels;  // DefaultLevels(kind)

  // Filled by FinessCollector from the geolocalisation row, if any; its epsg
  // is never 0 when the department is known.
  std::optional<ProjectedPoint> position;
  std::string geocoder;                       // "BAN", "BDADRESSE", "ADMIN-EXPRESS-2023", ...
  bool position_is_commune_centroid = false;  // geocoded to the commune only

  bool operator==(const FinessEstablishment&) const = default;
};

struct FinessGeolocation {
  std::string finess_id;
  ProjectedPoint point;  // epsg 0 when sourcecoordet names no known system
  std::string geocoder;
  bool commune_centroid = false;

  bool operator==(const FinessGeolocation&) const = default;
};

// The kind of a FINESS category, nullopt for categories outside the
// pathway. `name` (rs and rslongue) refines category 156.
std::optional<ResourceKind> FinessResourceKind(std::string_view category_code,
                                               std::string_view name);

// The EPSG code named by a sourcecoordet field, 0 if none is recognised.
int ParseFinessCrs(std::string_view sourcecoordet);

enum class FinessLineOutcome {
  kPreamble,
  kEstablishment,       // a pathway structureet row: *establishment filled
  kOtherEstablishment,  // a well-formed structureet row of another category:
                        // only establishment->finess_id is set
  kGeolocation,         // *geolocation filled
  kSkipped,             // blank line, other record type, row without coordinates
  kError,               // *error filled
};

class FinessParser {
 public:
  // Parses one UTF-8 line; fills *establishment, *geolocation or *error
  // according to the outcome (their strings keep capacity across calls).
  FinessLineOutcome ParseLine(std::string_view line, std::int64_t line_number,
                              FinessEstablishment* establishment, FinessGeolocation* geolocation,
                              LineError* error);

  // From the preamble ("finess;etalab;111;2026-05-12" -> "2026-05-12").
  const std::string& extract_date() const { return extract_date_; }

 private:
  FinessLineOutcome ParseEstablishment(std::int64_t line_number, FinessEstablishment* e,
                                       LineError* error);
  FinessLineOutcome ParseGeolocation(std::int64_t line_number, FinessGeolocation* g,
                                     LineError* error);

  QuotedFieldSplitter splitter_;
  std::string extract_date_;
};

// A LineSink that reads a whole extract and keeps the pathway
// establishments with their position: structureet and geolocalisation rows
// are joined on nofinesset whatever their order. Memory: the kept
// establishments, 8 bytes per other establishment, and the geolocalisation
// rows seen before their establishment (none in the etalab order).
//
// Counts: a structureet row kept, and a geolocalisation row attached to a
// kept establishment, are records; rows of other categories and unmatched
// geolocalisation rows are skipped.
class FinessCollector final : public LineSink {
 public:
  using ErrorFn = std::function<void(const LineError&)>;

  explicit FinessCollector(ErrorFn on_error = {});

  void OnLine(std::string_view line, std::int64_t line_number) override;
  void OnOverlongLine(std::int64_t line_number) override;

  // The kept establishments in file order, moved out (call once, at the end).
  std::vector<FinessEstablishment> TakeEstablishments();

  const ImportCounts& counts() const { return counts_; }
  const std::string& extract_date() const { return parser_.extract_date(); }

 private:
  void Attach(FinessEstablishment* e, const FinessGeolocation& g);
  void Error(std::int64_t line_number, std::string reason);

  ErrorFn on_error_;
  FinessParser parser_;
  std::vector<FinessEstablishment> kept_;
  std::unordered_map<std::string, std::size_t> index_;  // finess_id -> kept_
  std::unordered_set<std::uint64_t> others_;            // packed ids of other categories
  std::unordered_map<std::string, FinessGeolocation> pending_;
  ImportCounts counts_;
  FinessEstablishment establishment_;
  FinessGeolocation geolocation_;
  LineError error_;
};

// Reads an extract held in memory (tests, fuzzing, small files).
std::vector<FinessEstablishment> ReadFinessExtract(std::string_view bytes,
                                                   FinessCollector::ErrorFn on_error,
                                                   ImportCounts* counts = nullptr);

}  // namespace parcours::domain
