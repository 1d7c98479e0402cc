// RPPS / Annuaire Santé extract "PS_LibreAcces_Personne_activite_*.txt":
// '|'-separated, no quoting, one header row, one row per activity (a
// professional at a structure), ~2 million rows. Rows usually end with a '|'
// (an empty last field), with or without the same in the header.
//
// Columns are located by header name (compared folded: case, accents and
// punctuation do not matter), so the parser follows column reorderings and
// additions between ANS releases (52 columns in 2021, 56 with the role and
// activity-kind columns since). Required columns: Identification nationale
// PP, Nom d'exercice, Prénom d'exercice, Code profession, Code savoir-faire,
// Identifiant technique de la structure, Code postal (coord. structure),
// Code commune (coord. structure); the others are read when present.
//
// Only pathway professions are kept (TRE_G15 professions, TRE_R01 / R02
// savoir-faire):
//   10 médecin, with savoir-faire SM26/SM53/SM54 -> general_practitioner,
//      SM42 -> psychiatrist, SM43/SM92 -> child_psychiatrist,
//      SM40 -> paediatrician, SM20/SM51 -> gynaecologist_obstetrician
//   50 sage-femme                          -> midwife
//   60 infirmier, with savoir-faire SI08   -> paediatric_nurse
//   69 infirmier psychiatrique             -> psychiatric_nurse
//   96 psychomotricien                     -> psychomotor_therapist
//   93 psychologue                         -> psychologist
// A doctor with several savoir-faire appears once per savoir-faire, so one
// activity key may come back more than once: the caller merges by key.
//
// Filtering by territory is the caller's: it gets the commune code.
//
// Errors: a malformed row (wrong field count, missing Identification
// nationale PP, malformed commune code) is a LineError; rows outside the
// pathway and pathway rows without an activity site are skipped. Nothing
// throws; any byte sequence is safe (fuzzed).
//
// Thread-safety: a parser/reader reuses buffers between lines: one per
// thread. Performance: no allocation for skipped rows; kept rows reuse the
// capacity of the caller's RppsActivity.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/directory/import_report.h"
#include "domain/directory/record_reader.h"
#include "domain/directory/resource_kind.h"
#include "domain/text/line_stream.h"

namespace parcours::domain {

struct RppsActivity {
  std::string key;          // national_id + "/" + structure_id
  std::string national_id;  // Identification nationale PP ("8" + RPPS, "0" + ADELI)
  std::string title;        // Libellé civilité d'exercice ("Docteur"), may be empty
  std::string last_name;    // Nom d'exercice
  std::string first_name;   // Prénom d'exercice
  std::string profession_code;
  std::string profession_label;
  std::string specialty_type_code;  // Code type savoir-faire ("S", "CEX", ...)
  std::string specialty_code;       // Code savoir-faire ("SM54", ...), may be empty
  std::string specialty_label;
  std::string practice_mode_code;  // Code mode exercice: "L" liberal, "S" salaried, "B" volunteer
  ResourceKind kind = ResourceKind::kGeneralPractitioner;
  CareLevelSet levels;  // DefaultLevels(kind)

  std::string structure_id;         // Identifiant technique de la structure
  std::string site_siret;           // Numéro SIRET site
  std::string site_finess;          // Numéro FINESS site
  std::string legal_entity_finess;  // Numéro FINESS établissement juridique
  std::string structure_name;       // Raison sociale site, else Enseigne commerciale site
  std::string street_number;
  std::string street_repetition;  // "B", "T" (bis, ter)
  std::string street_type;        // Libellé type de voie ("Rue")
  std::string street_name;
  std::string distribution_mention;  // "CS 10329", "BP 12"
  // The commune's postcode; empty for a CEDEX address, whose code is in
  // cedex_postcode instead (a CEDEX code names a sorting office, not a
  // commune: find the commune by commune_code).
  std::string postcode;
  std::string cedex_postcode;
  std::string commune_code;  // INSEE, arrondissements mapped to their commune
  std::string commune_name;
  std::string phone;
  std::string email;

  bool operator==(const RppsActivity&) const = default;
};

// The kind of a pathway professional, nullopt for anyone else.
std::optional<ResourceKind> RppsResourceKind(std::string_view profession_code,
                                             std::string_view specialty_code);

class RppsParser {
 public:
  // InvalidArgument (field "header") naming the first missing column.
  static Result<RppsParser> Create(std::string_view header_line);

  // Parses one UTF-8 data line. kRecord fills *activity (its strings keep
  // their capacity across calls), kError fills *error.
  LineOutcome ParseLine(std::string_view line, std::int64_t line_number, RppsActivity* activity,
                        LineError* error);

  // Fields per row, not counting a trailing empty one.
  std::size_t column_count() const { return columns_; }

  enum Column : int {
    kNationalId,
    kTitle,
    kLastName,
    kFirstName,
    kProfessionCode,
    kProfessionLabel,
    kSpecialtyTypeCode,
    kSpecialtyCode,
    kSpecialtyLabel,
    kPracticeMode,
    kSiteSiret,
    kSiteFiness,
    kLegalEntityFiness,
    kStructureId,
    kStructureName,
    kBrandName,
    kStreetNumber,
    kStreetRepetition,
    kStreetType,
    kStreetName,
    kDistributionMention,
    kCedexOffice,
    kPostcode,
    kCommuneCode,
    kCommuneName,
    kPhone,
    kEmail,
    kColumnCount,
  };

 private:
  RppsParser() = default;
  std::string_view Field(Column c) const;

  std::array<int, kColumnCount> index_{};  // -1: column absent
  std::size_t columns_ = 0;
  std::vector<std::string_view> fields_;
};

// Reads a whole RPPS extract (header line, then records): see RecordReader.
class RppsReader final : public RecordReader<RppsParser, RppsActivity> {
 public:
  using ActivityFn = RecordFn;
  RppsReader(ActivityFn on_record, ErrorFn on_error)
      : RecordReader(std::move(on_record), std::move(on_error), "RPPS extract", "RPPS") {}
};

// Reads an extract held in memory (encoding detected, lines decoded): for
// tests, fuzzing and small files. Returns the reader's status; *counts, if
// given, receives its counts.
Status ReadRppsExtract(std::string_view bytes, RppsReader::ActivityFn on_activity,
                       RppsReader::ErrorFn on_error, ImportCounts* counts = nullptr);

}  // namespace parcours::domain
