#include "domain/directory/rpps_parser.h"

#include <utility>

#include "domain/directory/commune_code.h"
#include "domain/text/field_splitter.h"
#include "domain/text/fold.h"

namespace parcours::domain {
namespace {

struct ColumnSpec {
  RppsParser::Column column;
  std::string_view header;  // as ANS writes it
  bool required;
};

constexpr std::array<ColumnSpec, RppsParser::kColumnCount> kColumns{{
    {RppsParser::kNationalId, "Identification nationale PP", true},
    {RppsParser::kTitle, "Libellé civilité d'exercice", false},
    {RppsParser::kLastName, "Nom d'exercice", true},
    {RppsParser::kFirstName, "Prénom d'exercice", true},
    {RppsParser::kProfessionCode, "Code profession", true},
    {RppsParser::kProfessionLabel, "Libellé profession", false},
    {RppsParser::kSpecialtyTypeCode, "Code type savoir-faire", false},
    {RppsParser::kSpecialtyCode, "Code savoir-faire", true},
    {RppsParser::kSpecialtyLabel, "Libellé savoir-faire", false},
    {RppsParser::kPracticeMode, "Code mode exercice", false},
    {RppsParser::kSiteSiret, "Numéro SIRET site", false},
    {RppsParser::kSiteFiness, "Numéro FINESS site", false},
    {RppsParser::kLegalEntityFiness, "Numéro FINESS établissement juridique", false},
    {RppsParser::kStructureId, "Identifiant technique de la structure", true},
    {RppsParser::kStructureName, "Raison sociale site", false},
    {RppsParser::kBrandName, "Enseigne commerciale site", false},
    {RppsParser::kStreetNumber, "Numéro Voie (coord. structure)", false},
    {RppsParser::kStreetRepetition, "Indice répétition voie (coord. structure)", false},
    {RppsParser::kStreetType, "Libellé type de voie (coord. structure)", false},
    {RppsParser::kStreetName, "Libellé Voie (coord. structure)", false},
    {RppsParser::kDistributionMention, "Mention distribution (coord. structure)", false},
    {RppsParser::kCedexOffice, "Bureau cedex (coord. structure)", false},
    {RppsParser::kPostcode, "Code postal (coord. structure)", true},
    {RppsParser::kCommuneCode, "Code commune (coord. structure)", true},
    {RppsParser::kCommuneName, "Libellé commune (coord. structure)", false},
    {RppsParser::kPhone, "Téléphone (coord. structure)", false},
    {RppsParser::kEmail, "Adresse e-mail (coord. structure)", false},
}};

}  // namespace

std::optional<ResourceKind> RppsResourceKind(std::string_view profession,
                                             std::string_view specialty) {
  if (profession == "10") {
    if (specialty == "SM26" || specialty == "SM53" || specialty == "SM54") {
      return ResourceKind::kGeneralPractitioner;
    }
    if (specialty == "SM42") return ResourceKind::kPsychiatrist;
    if (specialty == "SM43" || specialty == "SM92") return ResourceKind::kChildPsychiatrist;
    if (specialty == "SM40") return ResourceKind::kPaediatrician;
    if (specialty == "SM20" || specialty == "SM51") return ResourceKind::kGynaecologistObstetrician;
    return std::nullopt;
  }
  if (profession == "50") return ResourceKind::kMidwife;
  if (profession == "60") {
    if (specialty == "SI08") return ResourceKind::kPaediatricNurse;
    return std::nullopt;
  }
  if (profession == "69") return ResourceKind::kPsychiatricNurse;
  if (profession == "96") return ResourceKind::kPsychomotorTherapist;
  if (profession == "93") return ResourceKind::kPsychologist;
  return std::nullopt;
}

Result<RppsParser> RppsParser::Create(std::string_view header_line) {
  RppsParser parser;
  std::vector<std::string_view> names;
  SplitFields(header_line, '|', &names);
  if (names.size() > 1 && TrimAscii(names.back()).empty()) names.pop_back();
  parser.columns_ = names.size();
  parser.index_.fill(-1);
  std::vector<std::string> folded;
  folded.reserve(names.size());
  for (std::string_view name : names) folded.push_back(FoldForSearch(name));
  for (const ColumnSpec& spec : kColumns) {
    const std::string wanted = FoldForSearch(spec.header);
    for (std::size_t i = 0; i < folded.size(); ++i) {
      if (folded[i] == wanted) {
        parser.index_[spec.column] = static_cast<int>(i);
        break;
      }
    }
    if (spec.required && parser.index_[spec.column] < 0) {
      return Status::InvalidArgument(
          "header", "RPPS header lacks the column '" + std::string(spec.header) + "'");
    }
  }
  parser.fields_.reserve(parser.columns_ + 1);
  return parser;
}

std::string_view RppsParser::Field(Column c) const {
  const int i = index_[c];
  if (i < 0) return {};
  return TrimAscii(fields_[static_cast<std::size_t>(i)]);
}

LineOutcome RppsParser::ParseLine(std::string_view line, std::int64_t line_number, RppsActivity* a,
                                  LineError* error) {
  if (TrimAscii(line).empty()) return LineOutcome::kSkipped;
  SplitFields(line, '|', &fields_);
  // The usual trailing '|' gives one empty field too many.
  if (fields_.size() > columns_ && fields_.back().empty()) fields_.pop_back();
  if (fields_.size() != columns_) {
    error->line_number = line_number;
    error->reason =
        "expected " + std::to_string(columns_) + " fields, found " + std::to_string(fields_.size());
    return LineOutcome::kError;
  }
  const std::string_view national_id = Field(kNationalId);
  if (national_id.empty()) {
    error->line_number = line_number;
    error->reason = "missing Identification nationale PP";
    return LineOutcome::kError;
  }
  const std::string_view profession = Field(kProfessionCode);
  const std::string_view specialty = Field(kSpecialtyCode);
  const std::optional<ResourceKind> kind = RppsResourceKind(profession, specialty);
  if (!kind) return LineOutcome::kSkipped;
  const std::string_view structure_id = Field(kStructureId);
  if (structure_id.empty()) return LineOutcome::kSkipped;  // no activity site to show

  const std::string_view commune_raw = Field(kCommuneCode);
  if (!commune_raw.empty() && !IsWellFormedCommuneCode(commune_raw)) {
    error->line_number = line_number;
    error->reason = DescribeValue("malformed Code commune", commune_raw);
    return LineOutcome::kError;
  }

  a->key.assign(national_id);
  a->key.push_back('/');
  a->key.append(structure_id);
  a->national_id.assign(national_id);
  a->title.assign(Field(kTitle));
  a->last_name.assign(Field(kLastName));
  a->first_name.assign(Field(kFirstName));
  a->profession_code.assign(profession);
  a->profession_label.assign(Field(kProfessionLabel));
  a->specialty_type_code.assign(Field(kSpecialtyTypeCode));
  a->specialty_code.assign(specialty);
  a->specialty_label.assign(Field(kSpecialtyLabel));
  a->practice_mode_code.assign(Field(kPracticeMode));
  a->kind = *kind;
  a->levels = DefaultLevels(*kind);
  a->structure_id.assign(structure_id);
  a->site_siret.assign(Field(kSiteSiret));
  a->site_finess.assign(Field(kSiteFiness));
  a->legal_entity_finess.assign(Field(kLegalEntityFiness));
  const std::string_view name = Field(kStructureName);
  a->structure_name.assign(name.empty() ? Field(kBrandName) : name);
  a->street_number.assign(Field(kStreetNumber));
  a->street_repetition.assign(Field(kStreetRepetition));
  a->street_type.assign(Field(kStreetType));
  a->street_name.assign(Field(kStreetName));
  a->distribution_mention.assign(Field(kDistributionMention));
  const std::string_view postcode = Field(kPostcode);
  const std::string_view cedex_office = Field(kCedexOffice);
  if (!cedex_office.empty() && !postcode.empty() &&
      cedex_office.substr(0, postcode.size()) == postcode) {
    a->postcode.clear();
    a->cedex_postcode.assign(postcode);
  } else {
    a->postcode.assign(postcode);
    a->cedex_postcode.clear();
  }
  a->commune_code.assign(NormaliseCommuneCode(commune_raw));
  a->commune_name.assign(Field(kCommuneName));
  a->phone.assign(Field(kPhone));
  a->email.assign(Field(kEmail));
  return LineOutcome::kRecord;
}

Status ReadRppsExtract(std::string_view bytes, RppsReader::ActivityFn on_activity,
                       RppsReader::ErrorFn on_error, ImportCounts* counts) {
  return ReadAllRecords<RppsReader>(bytes, std::move(on_activity), std::move(on_error), counts);
}

}  // namespace parcours::domain
