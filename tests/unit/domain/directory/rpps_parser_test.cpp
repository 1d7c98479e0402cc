#include "domain/directory/rpps_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixture.h"

namespace parcours::domain {
namespace {

using testing::ReadFixture;

struct Collected {
  Status status;
  ImportCounts counts;
  std::vector<RppsActivity> activities;
  std::vector<LineError> errors;
};

Collected Read(std::string_view bytes) {
  Collected c;
  c.status = ReadRppsExtract(
      bytes, [&](const RppsActivity& a) { c.activities.push_back(a); },
      [&](const LineError& e) { c.errors.push_back(e); }, &c.counts);
  return c;
}

TEST(RppsResourceKindTest, PathwayProfessionsOnly) {
  EXPECT_EQ(RppsResourceKind("10", "SM26"), ResourceKind::kGeneralPractitioner);
  EXPECT_EQ(RppsResourceKind("10", "SM53"), ResourceKind::kGeneralPractitioner);
  EXPECT_EQ(RppsResourceKind("10", "SM54"), ResourceKind::kGeneralPractitioner);
  EXPECT_EQ(RppsResourceKind("10", "SM42"), ResourceKind::kPsychiatrist);
  EXPECT_EQ(RppsResourceKind("10", "SM43"), ResourceKind::kChildPsychiatrist);
  EXPECT_EQ(RppsResourceKind("10", "SM92"), ResourceKind::kChildPsychiatrist);
  EXPECT_EQ(RppsResourceKind("10", "SM40"), ResourceKind::kPaediatrician);
  EXPECT_EQ(RppsResourceKind("10", "SM20"), ResourceKind::kGynaecologistObstetrician);
  EXPECT_EQ(RppsResourceKind("10", "SM51"), ResourceKind::kGynaecologistObstetrician);
  EXPECT_FALSE(RppsResourceKind("10", "SM02"));
  EXPECT_FALSE(RppsResourceKind("10", ""));
  EXPECT_EQ(RppsResourceKind("50", ""), ResourceKind::kMidwife);
  EXPECT_EQ(RppsResourceKind("60", "SI08"), ResourceKind::kPaediatricNurse);
  EXPECT_FALSE(RppsResourceKind("60", ""));
  EXPECT_EQ(RppsResourceKind("69", ""), ResourceKind::kPsychiatricNurse);
  EXPECT_EQ(RppsResourceKind("96", ""), ResourceKind::kPsychomotorTherapist);
  EXPECT_EQ(RppsResourceKind("93", ""), ResourceKind::kPsychologist);
  EXPECT_FALSE(RppsResourceKind("21", ""));  // pharmacist
  EXPECT_FALSE(RppsResourceKind("40", ""));  // dentist
}

TEST(RppsParserTest, Utf8ExtractFieldByField) {
  const Collected c = Read(ReadFixture("rpps_personne_activite_utf8.txt"));
  ASSERT_TRUE(c.status.ok()) << c.status.ToString();
  EXPECT_TRUE(c.errors.empty());
  EXPECT_EQ(c.counts, (ImportCounts{.lines = 12, .records = 7, .skipped = 4, .errors = 0}));
  ASSERT_EQ(c.activities.size(), 7u);

  const RppsActivity& gp = c.activities[0];
  EXPECT_EQ(gp.key, "810000000011/R10000000011");
  EXPECT_EQ(gp.national_id, "810000000011");
  EXPECT_EQ(gp.title, "Docteur");
  EXPECT_EQ(gp.last_name, "DUPRÉ");
  EXPECT_EQ(gp.first_name, "Hélène");
  EXPECT_EQ(gp.profession_code, "10");
  EXPECT_EQ(gp.profession_label, "Médecin");
  EXPECT_EQ(gp.specialty_type_code, "S");
  EXPECT_EQ(gp.specialty_code, "SM54");
  EXPECT_EQ(gp.specialty_label, "Médecine Générale");
  EXPECT_EQ(gp.practice_mode_code, "L");
  EXPECT_EQ(gp.kind, ResourceKind::kGeneralPractitioner);
  EXPECT_EQ(gp.levels, CareLevelSet{CareLevel::kFirstLine});
  EXPECT_EQ(gp.structure_id, "R10000000011");
  EXPECT_EQ(gp.site_siret, "00000000000011");
  EXPECT_EQ(gp.site_finess, "");
  EXPECT_EQ(gp.legal_entity_finess, "");
  EXPECT_EQ(gp.structure_name, "CABINET DU DOCTEUR DUPRÉ");
  EXPECT_EQ(gp.street_number, "12");
  EXPECT_EQ(gp.street_repetition, "");
  EXPECT_EQ(gp.street_type, "Rue");
  EXPECT_EQ(gp.street_name, "D'ARRAS");
  EXPECT_EQ(gp.distribution_mention, "");
  EXPECT_EQ(gp.postcode, "62400");
  EXPECT_EQ(gp.cedex_postcode, "");
  EXPECT_EQ(gp.commune_code, "62119");
  EXPECT_EQ(gp.commune_name, "Béthune");
  EXPECT_EQ(gp.phone, "0353480011");
  EXPECT_EQ(gp.email, "cabinet.dupre@example.org");

  const RppsActivity& psychiatrist = c.activities[1];
  EXPECT_EQ(psychiatrist.kind, ResourceKind::kPsychiatrist);
  EXPECT_EQ(psychiatrist.levels, CareLevelSet{CareLevel::kSpecialised});
  EXPECT_EQ(psychiatrist.commune_code, "75056");  // from arrondissement 75113
  EXPECT_EQ(psychiatrist.postcode, "75013");
  EXPECT_EQ(psychiatrist.street_type, "Boulevard");
  EXPECT_EQ(psychiatrist.street_name, "DE L'HÔPITAL");

  const RppsActivity& midwife = c.activities[2];
  EXPECT_EQ(midwife.kind, ResourceKind::kMidwife);
  EXPECT_EQ(midwife.first_name, "Marie-Noëlle");
  EXPECT_EQ(midwife.specialty_code, "");
  EXPECT_EQ(midwife.commune_code, "97209");
  EXPECT_EQ(midwife.postcode, "97200");
  EXPECT_EQ(midwife.structure_name, "CABINET DE SAGES-FEMMES DE L'ÉTANG Z'ABRICOTS");

  const RppsActivity& nurse = c.activities[3];
  EXPECT_EQ(nurse.kind, ResourceKind::kPaediatricNurse);
  EXPECT_EQ(nurse.specialty_type_code, "CEX");
  EXPECT_EQ(nurse.commune_code, "69123");  // from 69383
  EXPECT_EQ(nurse.practice_mode_code, "S");

  const RppsActivity& psychologist = c.activities[4];
  EXPECT_EQ(psychologist.kind, ResourceKind::kPsychologist);
  EXPECT_EQ(psychologist.last_name, "N'DIAYE");
  EXPECT_EQ(psychologist.first_name, "Aïssatou");
  EXPECT_EQ(psychologist.commune_code, "13055");  // from 13205

  const RppsActivity& child = c.activities[5];
  EXPECT_EQ(child.kind, ResourceKind::kChildPsychiatrist);
  EXPECT_EQ(child.key, "810000000099/F620000099");
  EXPECT_EQ(child.postcode, "");  // CEDEX: not a commune postcode
  EXPECT_EQ(child.cedex_postcode, "62408");
  EXPECT_EQ(child.commune_code, "62119");
  EXPECT_EQ(child.distribution_mention, "CS 80809");
  EXPECT_EQ(child.site_finess, "620000099");
  EXPECT_EQ(child.legal_entity_finess, "620000098");

  EXPECT_EQ(c.activities[6].kind, ResourceKind::kPsychomotorTherapist);
  EXPECT_EQ(c.activities[6].commune_code, "76540");
}

TEST(RppsParserTest, Windows1252ExtractReadsTheSame) {
  const Collected utf8 = Read(ReadFixture("rpps_personne_activite_utf8.txt"));
  const Collected latin = Read(ReadFixture("rpps_personne_activite_cp1252.txt"));
  ASSERT_TRUE(latin.status.ok()) << latin.status.ToString();
  EXPECT_TRUE(latin.errors.empty());
  ASSERT_EQ(latin.activities.size(), 8u);
  for (std::size_t i = 0; i < utf8.activities.size(); ++i) {
    EXPECT_EQ(latin.activities[i], utf8.activities[i]) << i;
  }
  const RppsActivity& nurse = latin.activities[7];
  EXPECT_EQ(nurse.kind, ResourceKind::kPsychiatricNurse);
  EXPECT_EQ(nurse.last_name, "CŒURDEROY");
  EXPECT_EQ(nurse.first_name, "Bérénice");
  EXPECT_EQ(nurse.structure_name, "CMP DU CŒUR DE LILLE");
  EXPECT_EQ(nurse.commune_code, "59350");
}

TEST(RppsParserTest, ChunkedStreamGivesTheSameActivities) {
  const std::string bytes = ReadFixture("rpps_personne_activite_cp1252.txt");
  std::vector<RppsActivity> streamed;
  RppsReader reader([&](const RppsActivity& a) { streamed.push_back(a); }, nullptr);
  LineStream stream(&reader, {.max_line_bytes = 1 << 16, .sample_bytes = 512});
  for (std::size_t i = 0; i < bytes.size(); i += 7)
    stream.Feed(std::string_view(bytes).substr(i, 7));
  stream.Finish();
  EXPECT_TRUE(reader.status().ok());
  EXPECT_EQ(stream.encoding(), TextEncoding::kLatin1);
  EXPECT_EQ(streamed, Read(bytes).activities);
}

TEST(RppsParserTest, BrokenRowsAreLineErrors) {
  const Collected c = Read(ReadFixture("rpps_personne_activite_broken.txt"));
  ASSERT_TRUE(c.status.ok());
  EXPECT_EQ(c.counts, (ImportCounts{.lines = 9, .records = 2, .skipped = 1, .errors = 5}));
  ASSERT_EQ(c.activities.size(), 2u);
  EXPECT_EQ(c.activities[1].kind, ResourceKind::kMidwife);  // last line, no newline
  EXPECT_EQ(c.errors, (std::vector<LineError>{
                          {3, "expected 56 fields, found 5"},
                          {4, "missing Identification nationale PP"},
                          {6, "malformed Code commune '6211'"},
                          {7, "expected 56 fields, found 57"},
                          {8, "missing Identification nationale PP"},
                      }));
}

TEST(RppsParserTest, HeaderWithoutARequiredColumnStopsTheImport) {
  const Collected c = Read(
      "Identification nationale PP|Nom d'exercice|Code profession|\n"
      "810000000011|DUPRÉ|10|\n");
  EXPECT_EQ(c.status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status.message().find("Prénom d'exercice"), std::string::npos);
  EXPECT_TRUE(c.activities.empty());
  EXPECT_EQ(Read("").status.code(), StatusCode::kInvalidArgument);
}

TEST(RppsParserTest, LocatesColumnsByNameInAnyOrderOrSpelling) {
  // Reordered, fewer columns, different case and accents, no trailing '|'.
  const std::string text =
      "CODE SAVOIR-FAIRE|Code profession|Identification nationale PP|Nom d'exercice|"
      "Prenom d'exercice|Identifiant technique de la structure|Code postal (coord. structure)|"
      "Code commune (coord. structure)\n"
      "SM42|10|810000000022|MARTIN|Paul|R1|69001|69381|\n"
      "|50|810000000033|JOSEPH|Marie|R2|97200|97209\n";
  const Collected c = Read(text);
  ASSERT_TRUE(c.status.ok()) << c.status.ToString();
  ASSERT_EQ(c.activities.size(), 2u);
  EXPECT_EQ(c.activities[0].kind, ResourceKind::kPsychiatrist);
  EXPECT_EQ(c.activities[0].commune_code, "69123");
  EXPECT_EQ(c.activities[0].title, "");  // optional column absent
  EXPECT_EQ(c.activities[1].key, "810000000033/R2");
}

TEST(RppsParserTest, SurvivesHostileInput) {
  std::string junk =
      "Identification nationale PP|Nom d'exercice|Prénom d'exercice|"
      "Code profession|Code savoir-faire|Identifiant technique de la structure|"
      "Code postal (coord. structure)|Code commune (coord. structure)\n";
  for (int i = 0; i < 256; ++i) junk.push_back(static_cast<char>(i));
  junk += "\n|||||||\n8|50|||||\xFF\xFE|||\n";
  const Collected c = Read(junk);
  EXPECT_TRUE(c.status.ok());
  EXPECT_EQ(c.counts.records, 0);
  EXPECT_EQ(c.counts.errors + c.counts.skipped, c.counts.lines - 1);
}

}  // namespace
}  // namespace parcours::domain
