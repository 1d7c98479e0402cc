#include "domain/directory/finess_parser.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "domain/geo/lat_lon.h"
#include "fixture.h"
#include "geo/coordinate_converter.h"

namespace parcours::domain {
namespace {

using testing::ReadFixture;

struct Collected {
  ImportCounts counts;
  std::vector<FinessEstablishment> establishments;
  std::vector<LineError> errors;
};

Collected Read(std::string_view bytes) {
  Collected c;
  c.establishments = ReadFinessExtract(
      bytes, [&](const LineError& e) { c.errors.push_back(e); }, &c.counts);
  return c;
}

const FinessEstablishment* Find(const Collected& c, std::string_view id) {
  for (const auto& e : c.establishments) {
    if (e.finess_id == id) return &e;
  }
  return nullptr;
}

TEST(FinessResourceKindTest, Categories) {
  EXPECT_EQ(FinessResourceKind("189", ""), ResourceKind::kCmpp);
  EXPECT_EQ(FinessResourceKind("223", ""), ResourceKind::kPmiCentre);
  EXPECT_EQ(FinessResourceKind("224", ""), ResourceKind::kPmiCentre);
  EXPECT_EQ(FinessResourceKind("230", ""), ResourceKind::kPmiCentre);
  EXPECT_EQ(FinessResourceKind("425", ""), ResourceKind::kCattp);
  EXPECT_EQ(FinessResourceKind("444", ""), ResourceKind::kCrisisCentre);
  EXPECT_EQ(FinessResourceKind("292", ""), ResourceKind::kPsychiatricHospital);
  EXPECT_EQ(FinessResourceKind("161", ""), ResourceKind::kPsychiatricClinic);
  EXPECT_EQ(FinessResourceKind("355", ""), ResourceKind::kGeneralHospital);
  EXPECT_EQ(FinessResourceKind("101", ""), ResourceKind::kGeneralHospital);
  EXPECT_FALSE(FinessResourceKind("500", ""));  // EHPAD
  EXPECT_FALSE(FinessResourceKind("122", ""));  // maternities are entered by hand
  EXPECT_FALSE(FinessResourceKind("", ""));
}

TEST(FinessResourceKindTest, CmpByName) {
  EXPECT_EQ(FinessResourceKind("156", "CMP ADULTES ARRAS"), ResourceKind::kAdultCmp);
  EXPECT_EQ(FinessResourceKind("156", "CMP INFANTO-JUVENILE"), ResourceKind::kChildCmp);
  EXPECT_EQ(FinessResourceKind("156", "C.M.P. ENFANTS ET ADOLESCENTS"), ResourceKind::kChildCmp);
  EXPECT_EQ(FinessResourceKind("156", "CMPEA DE LENS"), ResourceKind::kChildCmp);
  EXPECT_EQ(FinessResourceKind("156", "PÉDOPSYCHIATRIE SECTEUR 3"), ResourceKind::kChildCmp);
  EXPECT_EQ(FinessResourceKind("156", "CMP PÉRINATALITÉ"), ResourceKind::kPerinatalPsychiatry);
  EXPECT_EQ(FinessResourceKind("156", "UNITÉ PARENTS-BÉBÉ ENFANTS"),
            ResourceKind::kPerinatalPsychiatry);
  EXPECT_EQ(FinessResourceKind("156", "CMP ADOUR"), ResourceKind::kAdultCmp);  // whole words
}

TEST(FinessCrsTest, ReadsEverySpelling) {
  EXPECT_EQ(ParseFinessCrs("1,ATLASANTE,96,BAN,EPSG:2154 RGF93 / Lambert-93 (Métropole)"), 2154);
  EXPECT_EQ(ParseFinessCrs("2,ATLASANTE,96,BAN,EPSG:5490 RGAF09/UTM Zone 20N (Antilles)"), 5490);
  EXPECT_EQ(ParseFinessCrs("1,ATLASANTE,96,BAN,EPSG:2975 RGR92 / UTM zone 40S (Réunion)"), 2975);
  EXPECT_EQ(ParseFinessCrs("4,ATLASANTE,.,MAPS 06-11-2024,WGS84/UTM zone 1S (Wallis-et-Futuna)"),
            32701);
  EXPECT_EQ(ParseFinessCrs("1,ATLASANTE,.,MAPS,WGS84/UTM zone 21N (Saint-Pierre-et-Miquelon)"),
            32621);
  EXPECT_EQ(ParseFinessCrs("1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93"), 2154);
  EXPECT_EQ(ParseFinessCrs("1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,UTM_N20"), 4559);
  EXPECT_EQ(ParseFinessCrs("1,ATLASANTE,95,BAN,UTM_N22"), 2972);
  EXPECT_EQ(ParseFinessCrs("UTM_S38"), 4471);
  EXPECT_EQ(ParseFinessCrs(""), 0);
  EXPECT_EQ(ParseFinessCrs("1,ATLASANTE,96,BAN,EPSG:"), 0);
  EXPECT_EQ(ParseFinessCrs("1,ATLASANTE,96,BAN,Lambert"), 0);
}

TEST(FinessParserTest, GeolocatedExtractFieldByField) {
  const Collected c = Read(ReadFixture("finess_cs1100507_cp1252.csv"));
  EXPECT_TRUE(c.errors.empty()) << c.errors.front().reason;
  EXPECT_EQ(c.counts, (ImportCounts{.lines = 22, .records = 17, .skipped = 4, .errors = 0}));
  ASSERT_EQ(c.establishments.size(), 10u);
  std::vector<std::string> ids;
  for (const auto& e : c.establishments) ids.push_back(e.finess_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"010000024", "970102018", "970210126", "970300026",
                                           "970400024", "970102059", "599990001", "599990002",
                                           "629990003", "629990004"}));

  // The Martinique CMPP, every field.
  const FinessEstablishment& cmpp = c.establishments[2];
  EXPECT_EQ(cmpp.finess_id, "970210126");
  EXPECT_EQ(cmpp.legal_entity_id, "970210118");
  EXPECT_EQ(cmpp.name, "CMPP  INTERSECTORIEL ALOES");
  EXPECT_EQ(cmpp.long_name, "CMPP INTERSECTORIEL");
  EXPECT_EQ(cmpp.name_complement, "");
  EXPECT_EQ(cmpp.distribution_complement, "");
  EXPECT_EQ(cmpp.street_number, "");
  EXPECT_EQ(cmpp.street_type, "");
  EXPECT_EQ(cmpp.street_name, "ZAC CHAMPIGNY");
  EXPECT_EQ(cmpp.street_complement, "");
  EXPECT_EQ(cmpp.locality, "BP 71 IMMEUBLE SEMAFA");
  EXPECT_EQ(cmpp.department_code, "972");
  EXPECT_EQ(cmpp.department_name, "MARTINIQUE");
  EXPECT_EQ(cmpp.commune_code, "97207");  // Ducos: 9B + 207
  EXPECT_EQ(cmpp.routing_line, "97224 DUCOS");
  EXPECT_EQ(cmpp.postcode, "97224");
  EXPECT_EQ(cmpp.cedex_postcode, "");
  EXPECT_EQ(cmpp.phone, "0596748677");
  EXPECT_EQ(cmpp.fax, "0596748631");
  EXPECT_EQ(cmpp.category_code, "189");
  EXPECT_EQ(cmpp.category_label, "Centre Médico-Psycho-Pédagogique (C.M.P.P.)");
  EXPECT_EQ(cmpp.siret, "50254756500015");
  EXPECT_EQ(cmpp.opened_on, "2008-04-14");
  EXPECT_EQ(cmpp.updated_on, "2017-02-21");
  EXPECT_EQ(cmpp.kind, ResourceKind::kCmpp);
  EXPECT_EQ(cmpp.levels, CareLevelSet{CareLevel::kSpecialised});
  ASSERT_TRUE(cmpp.position);
  EXPECT_EQ(*cmpp.position, (ProjectedPoint{718859.3, 1612689.5, kEpsgRgaf09Utm20N}));
  EXPECT_EQ(cmpp.geocoder, "BAN");
  EXPECT_FALSE(cmpp.position_is_commune_centroid);

  const FinessEstablishment& fleyriat = c.establishments[0];
  EXPECT_EQ(fleyriat.kind, ResourceKind::kGeneralHospital);
  EXPECT_EQ(fleyriat.levels, CareLevelSet{CareLevel::kHospital});
  EXPECT_EQ(fleyriat.commune_code, "01451");
  EXPECT_EQ(fleyriat.department_code, "01");
  EXPECT_EQ(fleyriat.postcode, "01440");
  EXPECT_EQ(fleyriat.street_number, "900");
  EXPECT_EQ(fleyriat.street_type, "RTE");
  EXPECT_EQ(fleyriat.street_name, "DE PARIS");
  EXPECT_EQ(fleyriat.category_label, "Centre Hospitalier (C.H.)");
  EXPECT_EQ(*fleyriat.position, (ProjectedPoint{870262.2, 6571540.8, kEpsgLambert93}));

  const FinessEstablishment& st_barth = c.establishments[1];
  EXPECT_EQ(st_barth.kind, ResourceKind::kPmiCentre);
  EXPECT_EQ(st_barth.commune_code, "97701");  // 9A + 123, now Saint-Barthélemy
  EXPECT_EQ(st_barth.department_code, "971");
  EXPECT_EQ(st_barth.name_complement, "PMI CMS DE GUSTAVIA");
  EXPECT_FALSE(st_barth.position);  // its geolocalisation row has no coordinates

  const FinessEstablishment& cayenne = c.establishments[3];
  EXPECT_EQ(cayenne.commune_code, "97302");
  EXPECT_EQ(cayenne.postcode, "");  // "97306 CAYENNE CEDEX"
  EXPECT_EQ(cayenne.cedex_postcode, "97306");
  EXPECT_EQ(cayenne.position->epsg, kEpsgRgfg95Utm22N);  // "UTM_N22"

  const FinessEstablishment& reunion = c.establishments[4];
  EXPECT_EQ(reunion.kind, ResourceKind::kGeneralHospital);
  EXPECT_EQ(reunion.commune_code, "97411");
  EXPECT_EQ(reunion.cedex_postcode, "97405");
  EXPECT_EQ(reunion.position->epsg, kEpsgRgr92Utm40S);  // empty sourcecoordet: department

  EXPECT_EQ(c.establishments[5].commune_code, "97801");  // 9A + 127, now Saint-Martin

  const FinessEstablishment& perinatal = c.establishments[6];
  EXPECT_EQ(perinatal.kind, ResourceKind::kPerinatalPsychiatry);
  EXPECT_EQ(perinatal.long_name, "CENTRE MEDICO-PSYCHOLOGIQUE PÉRINATALITÉ PARENTS-BÉBÉ");
  EXPECT_EQ(perinatal.commune_code, "59350");
  EXPECT_TRUE(perinatal.position_is_commune_centroid);
  EXPECT_EQ(perinatal.geocoder, "ADMIN-EXPRESS-2023");
  EXPECT_EQ(c.establishments[7].kind, ResourceKind::kChildCmp);
  EXPECT_EQ(c.establishments[7].position->epsg, kEpsgLambert93);  // "LAMBERT_93"
  EXPECT_EQ(c.establishments[8].kind, ResourceKind::kAdultCmp);
  EXPECT_EQ(c.establishments[8].commune_code, "62427");
  EXPECT_FALSE(c.establishments[8].position);
  EXPECT_EQ(c.establishments[9].kind, ResourceKind::kPsychiatricHospital);
  EXPECT_EQ(c.establishments[9].name, "EPSM DU CŒUR D'ARTOIS");
}

TEST(FinessParserTest, PositionsConvertToWgs84Within10Metres) {
  const Collected c = Read(ReadFixture("finess_cs1100507_cp1252.csv"));
  auto converter = geo::CoordinateConverter::Create();
  ASSERT_TRUE(converter.ok());
  const std::vector<std::pair<std::string, LatLon>> expected = {
      {"010000024", {46.2222857, 5.2091811}}, {"970210126", {14.57855, -60.96854}},
      {"970300026", {4.93650, -52.32400}},    {"970400024", {-20.88880, 55.45170}},
      {"599990001", {50.63108, 3.04702}},     {"629990004", {50.52994, 2.64379}},
  };
  for (const auto& [id, where] : expected) {
    const FinessEstablishment* e = Find(c, id);
    ASSERT_NE(e, nullptr) << id;
    ASSERT_TRUE(e->position) << id;
    const Result<LatLon> got = (*converter)->ToWgs84(*e->position);
    ASSERT_TRUE(got.ok()) << id << ": " << got.status().ToString();
    EXPECT_LT(HaversineKm(*got, where), 0.010) << id;
  }
}

TEST(FinessParserTest, BrokenRowsAreLineErrors) {
  const Collected c = Read(ReadFixture("finess_cs1100507_broken.csv"));
  EXPECT_EQ(c.counts, (ImportCounts{.lines = 12, .records = 2, .skipped = 2, .errors = 7}));
  ASSERT_EQ(c.establishments.size(), 1u);
  EXPECT_TRUE(c.establishments[0].position);
  EXPECT_EQ(c.errors, (std::vector<LineError>{
                          {3, "structureet: expected 32 fields, found 8"},
                          {4, "structureet: malformed nofinesset '97021'"},
                          {5, "structureet: malformed departement/commune '9Z/207'"},
                          {6, "structureet: malformed departement/commune '9B/107'"},
                          {7, "unterminated quoted field"},
                          {8, "geolocalisation: malformed coordinates '718859,3'"},
                          {9, "geolocalisation: expected 6 fields, found 4"},
                      }));
}

TEST(FinessParserTest, GeolocationBeforeItsEstablishmentAndDuplicates) {
  const std::string structure =
      "structureet;970210126;970210118;CMPP;;;;;;;;;207;9B;MARTINIQUE;97224 DUCOS;;;189;CMPP;"
      ";;;;;;;;;;;";
  const std::string geo = "geolocalisation;970210126;718859.3;1612689.5;;2026-05-04";
  Collected c = Read(geo + "\n" + structure + "\n" + structure + "\n" + geo + "\n");
  ASSERT_EQ(c.establishments.size(), 1u);
  ASSERT_TRUE(c.establishments[0].position);
  EXPECT_EQ(c.establishments[0].position->epsg, kEpsgRgaf09Utm20N);  // department default
  EXPECT_EQ(c.counts, (ImportCounts{.lines = 4, .records = 2, .skipped = 0, .errors = 2}));
  ASSERT_EQ(c.errors.size(), 2u);
  EXPECT_EQ(c.errors[0].reason, "structureet: duplicate nofinesset '970210126'");
  EXPECT_EQ(c.errors[1].reason, "geolocalisation: duplicate nofinesset '970210126'");
}

TEST(FinessParserTest, SurvivesHostileInput) {
  std::string junk = "finess;etalab\n";
  for (int i = 0; i < 256; ++i) junk.push_back(static_cast<char>(i));
  junk +=
      "\nstructureet\ngeolocalisation;;;;;\n\"\n;;;;\ngeolocalisation;ABCDEFGHI;1e308;-1e308;;\n";
  const Collected c = Read(junk);
  EXPECT_TRUE(c.establishments.empty());
  EXPECT_EQ(c.counts.records + c.counts.skipped + c.counts.errors, c.counts.lines - 1);
}

}  // namespace
}  // namespace parcours::domain
