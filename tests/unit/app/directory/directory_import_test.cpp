// Imports of real-format fixtures into a real (SQLite) database, checked
// field by field: RPPS in UTF-8 and Windows-1252, a file with broken rows,
// FINESS with overseas rows (coordinates to 10 m), communes (CSV and the
// etalab JSON list), idempotent re-imports, hand edits kept, rows gone
// deactivated, dry runs writing nothing.
#include "app/directory/directory_import.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "app/directory/resource_admin.h"
#include "directory_test_support.h"
#include "domain/geo/lat_lon.h"

namespace parcours::app {
namespace {

using testing::FixedClock;
using testing::Fixture;
using testing::TempDatabase;

constexpr domain::TimestampMs kT0 = 1780000000000;

class DirectoryImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(db_.get(), nullptr);
    auto c = ImportCommunes(*db_, Fixture("communes_sample.csv"), "csv", ImportOptions());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
  }

  std::map<std::string, storage::ResourceRecord> All() {
    std::map<std::string, storage::ResourceRecord> out;
    Status st = (*db_).Read([&](storage::Transaction& tx) {
      return tx.directory().ForEachResourceChangedSince(0, [&](const storage::ResourceRecord& r) {
        out[r.source_key.value_or("manual:" + std::to_string(r.id))] = r;
      });
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  Result<ImportSummary> Rpps(const std::string& file, ImportOptions o = ImportOptions()) {
    return ImportRpps(*db_, clock_, Fixture(file), o);
  }

  TempDatabase db_;
  FixedClock clock_{kT0};
};

TEST_F(DirectoryImportTest, CommunesCsvThenEtalabJsonKeepsCentroids) {
  Status st = (*db_).Read([&](storage::Transaction& tx) -> Status {
    auto c = tx.directory().FindCommune("97209");
    if (!c.ok() || !*c || !(*c)->centroid) return Status::Internal("97209 missing");
    EXPECT_EQ((*c)->name, "Fort-de-France");
    EXPECT_EQ((*c)->postcodes, (std::vector<std::string>{"97200", "97234"}));
    EXPECT_EQ((*c)->region_code, "02");
    EXPECT_DOUBLE_EQ((*c)->centroid->lat, 14.64925);
    EXPECT_DOUBLE_EQ((*c)->centroid->lon, -61.06863);
    EXPECT_EQ((*c)->population, 75506);
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok());
  auto r =
      ImportCommunes(*db_, Fixture("etalab_communes_sample.json"), "etalab-json", ImportOptions());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->counts.records, 4);  // commune-actuelle only
  EXPECT_EQ(r->counts.skipped, 2);  // a delegated commune, an arrondissement
  EXPECT_EQ(r->counts.errors, 1);
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].line_number, 7);
  EXPECT_EQ(r->inserted, 2);   // 59350 Lille, 62119 Béthune
  EXPECT_EQ(r->unchanged, 2);  // 97209, 62427: same values, centroid kept
  st = (*db_).Read([&](storage::Transaction& tx) -> Status {
    auto fdf = tx.directory().FindCommune("97209");
    EXPECT_TRUE(fdf.ok() && *fdf && (*fdf)->centroid) << "a list without centroids keeps them";
    auto lille = tx.directory().FindCommunesByPostcode("59800");
    if (!lille.ok() || lille->size() != 1) return Status::Internal("59800 not found");
    EXPECT_EQ(lille->front().insee_code, "59350");
    EXPECT_FALSE(lille->front().centroid);
    auto by_name = tx.directory().SearchCommunesByName("bethune", 5);
    EXPECT_TRUE(by_name.ok() && by_name->size() == 1 && by_name->front().name == "Béthune");
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok());
}

TEST_F(DirectoryImportTest, RppsUtf8FieldByField) {
  auto r = Rpps("rpps_personne_activite_utf8.txt");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->encoding, "utf-8");
  EXPECT_EQ(r->counts.lines, 12);
  EXPECT_EQ(r->inserted, 5);
  EXPECT_EQ(r->outside_territory, 2);  // Paris 75113 and Lyon 69383
  EXPECT_EQ(r->counts.errors, 0);
  auto all = All();
  ASSERT_EQ(all.size(), 5u);
  const auto& gp = all.at("rpps:810000000011/R10000000011");
  EXPECT_EQ(gp.source, "rpps");
  EXPECT_EQ(gp.resource.kind, domain::ResourceKind::kGeneralPractitioner);
  EXPECT_EQ(gp.resource.levels, domain::CareLevelSet{domain::CareLevel::kFirstLine});
  EXPECT_EQ(gp.resource.name, "Dr Hélène DUPRÉ");
  EXPECT_EQ(gp.resource.organisation, "CABINET DU DOCTEUR DUPRÉ");
  EXPECT_EQ(gp.resource.address, "12 Rue D'ARRAS");
  EXPECT_EQ(gp.resource.postcode, "62400");
  EXPECT_EQ(gp.resource.commune_code, "62119");
  EXPECT_FALSE(gp.resource.position);
  EXPECT_EQ(gp.resource.phone, "0353480011");
  EXPECT_EQ(gp.resource.email, "cabinet.dupre@example.org");
  EXPECT_EQ(gp.resource.rpps, "810000000011");
  EXPECT_EQ(gp.resource.siret, "00000000000011");
  EXPECT_TRUE(gp.active);
  EXPECT_FALSE(gp.published) << "imported professionals wait for publication";
  EXPECT_EQ(gp.created_at, kT0);
  // Marseille 5th arrondissement (13205) mapped to the commune 13055.
  const auto& psy = all.at("rpps:810000000088/R10000000088");
  EXPECT_EQ(psy.resource.kind, domain::ResourceKind::kPsychologist);
  EXPECT_EQ(psy.resource.commune_code, "13055");
  EXPECT_EQ(psy.resource.postcode, "13005");
  EXPECT_EQ(psy.resource.name, "Aïssatou N'DIAYE");
  // CEDEX address of a commune the list does not know (62119 is not in
  // communes_sample.csv): the CEDEX code is kept for the postal address.
  const auto& child = all.at("rpps:810000000099/F620000099");
  EXPECT_EQ(child.resource.kind, domain::ResourceKind::kChildPsychiatrist);
  EXPECT_EQ(child.resource.address, "27 Rue DELBECQUE, CS 80809");
  EXPECT_EQ(child.resource.postcode, "62408");
  EXPECT_EQ(child.resource.finess, "620000099");
  // Martinique.
  const auto& mw = all.at("rpps:810000000033/R10000000033");
  EXPECT_EQ(mw.resource.kind, domain::ResourceKind::kMidwife);
  EXPECT_EQ(mw.resource.commune_code, "97209");
  EXPECT_EQ(mw.resource.phone, "0596000033");
}

TEST_F(DirectoryImportTest, RppsLatin1IsDecodedAndMatchesTheUtf8Keys) {
  ASSERT_TRUE(Rpps("rpps_personne_activite_utf8.txt").ok());
  auto r = Rpps("rpps_personne_activite_cp1252.txt");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->encoding, "latin-1");
  EXPECT_EQ(r->inserted, 1);  // the psychiatric nurse only in this file
  EXPECT_EQ(r->unchanged, 5) << "same rows, other encoding: nothing to write";
  EXPECT_EQ(r->deactivated, 0);
  const auto all = All();
  const auto& nurse = all.at("rpps:810000000122/F590000122");
  EXPECT_EQ(nurse.resource.kind, domain::ResourceKind::kPsychiatricNurse);
  EXPECT_EQ(nurse.resource.name, "Bérénice CŒURDEROY");  // Œ is 0x8C in Windows-1252
  EXPECT_EQ(nurse.resource.organisation, "CMP DU CŒUR DE LILLE");
  EXPECT_EQ(nurse.resource.commune_code, "59350");
}

TEST_F(DirectoryImportTest, BrokenRowsAreReportedWithLineNumbersAndSkipped) {
  auto r = Rpps("rpps_personne_activite_broken.txt");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->counts.errors, 5);
  ASSERT_EQ(r->errors.size(), 5u);
  EXPECT_EQ(r->errors[0], (domain::LineError{3, "expected 56 fields, found 5"}));
  EXPECT_EQ(r->errors[1].line_number, 4);
  EXPECT_EQ(r->errors[2], (domain::LineError{6, "malformed Code commune '6211'"}));
  EXPECT_EQ(r->errors[3].line_number, 7);
  EXPECT_EQ(r->errors[4].line_number, 8);
  EXPECT_EQ(r->inserted, 2);
  EXPECT_EQ(All().size(), 2u) << "only the good rows were written";
}

TEST_F(DirectoryImportTest, DryRunWritesNothingAndReportsTheSame) {
  ImportOptions dry;
  dry.dry_run = true;
  auto d = Rpps("rpps_personne_activite_utf8.txt", dry);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d->dry_run);
  EXPECT_EQ(d->inserted, 5);
  EXPECT_TRUE(All().empty());
  auto real = Rpps("rpps_personne_activite_utf8.txt");
  ASSERT_TRUE(real.ok());
  EXPECT_EQ(real->inserted, d->inserted);
  EXPECT_EQ(real->counts, d->counts);
}

TEST_F(DirectoryImportTest, DryRunThatFailsReportsItsFailureNotSuccess) {
  ImportOptions dry;
  dry.dry_run = true;
  auto d = Rpps("no_such_extract.txt", dry);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(d.status().field(), "file");
  EXPECT_TRUE(All().empty());
}

TEST_F(DirectoryImportTest, ReimportIsIdempotentKeepsHandEditsAndDeactivatesGoneRows) {
  ASSERT_TRUE(Rpps("rpps_personne_activite_cp1252.txt").ok());
  const auto first = All();
  auto again = Rpps("rpps_personne_activite_cp1252.txt");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(again->unchanged, 6);
  EXPECT_EQ(All(), first) << "an unchanged re-import writes nothing";

  // A project lead corrects the GP's phone and adds what imports never fill.
  const auto gp_id = first.at("rpps:810000000011/R10000000011").id;
  clock_.Set(kT0 + 1000);
  auto edited = EditResource(
      *db_, clock_, "cli:lead", gp_id,
      {{"phone", "03 21 00 00 99"}, {"accepts_fathers", "oui"}, {"name", "Dr Hélène Dupré"}});
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  EXPECT_EQ(edited->manual_fields, (std::vector<std::string>{"accepts_fathers", "name", "phone"}));

  // The UTF-8 extract differs (no psychiatric nurse): the nurse is gone.
  clock_.Set(kT0 + 2000);
  auto r = Rpps("rpps_personne_activite_utf8.txt");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->deactivated, 1);
  auto all = All();
  const auto& gp = all.at("rpps:810000000011/R10000000011");
  EXPECT_EQ(gp.resource.phone, "0321000099") << "a field edited by hand is kept";
  EXPECT_EQ(gp.resource.name, "Dr Hélène Dupré");
  EXPECT_TRUE(gp.resource.accepts_fathers);
  EXPECT_EQ(gp.resource.email, "cabinet.dupre@example.org");
  const auto& nurse = all.at("rpps:810000000122/F590000122");
  EXPECT_FALSE(nurse.active) << "gone from the extract: inactive, not deleted";
  EXPECT_EQ(nurse.updated_at, kT0 + 2000);

  // It comes back.
  auto back = Rpps("rpps_personne_activite_cp1252.txt");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->reactivated, 1);
  EXPECT_TRUE(All().at("rpps:810000000122/F590000122").active);
  auto detail = ShowResource(*db_, nurse.id);
  ASSERT_TRUE(detail.ok());
  ASSERT_EQ(detail->history.size(), 2u);
  EXPECT_EQ(detail->history[0].action, "deactivate");
  EXPECT_EQ(detail->history[1].action, "reactivate");
}

TEST_F(DirectoryImportTest, CedexAddressTakesTheCommunePostcodeWhenKnown) {
  storage::CommuneRecord bethune{"62119", "Béthune", {"62400"}, "62", "32", std::nullopt, 25000};
  ASSERT_TRUE((*db_)
                  .Transact([&](storage::Transaction& tx) {
                    return tx.directory().UpsertCommune(bethune).status();
                  })
                  .ok());
  ASSERT_TRUE(Rpps("rpps_personne_activite_utf8.txt").ok());
  EXPECT_EQ(All().at("rpps:810000000099/F620000099").resource.postcode, "62400");
}

TEST_F(DirectoryImportTest, TerritoryFilterScopesBothImportAndDeactivation) {
  ImportOptions hdf;
  hdf.departments = {"02", "59", "60", "62", "80"};
  auto r = Rpps("rpps_personne_activite_cp1252.txt", hdf);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->inserted, 3);  // 62119 twice, 59350
  ImportOptions mq;
  mq.departments = {"972"};
  auto m = Rpps("rpps_personne_activite_cp1252.txt", mq);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->inserted, 1);
  EXPECT_EQ(m->deactivated, 0) << "rows of other departments are not 'gone'";
  EXPECT_EQ(All().size(), 4u);
}

TEST_F(DirectoryImportTest, FinessOverseasAndMainlandCoordinatesWithin10m) {
  auto r = ImportFiness(*db_, clock_, Fixture("finess_cs1100507_cp1252.csv"), ImportOptions());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->encoding, "latin-1");
  EXPECT_EQ(r->inserted, 5);
  const auto all = All();
  ASSERT_EQ(all.size(), 5u);
  const auto& ducos = all.at("finess:970210126");  // Martinique, UTM 20N
  EXPECT_EQ(ducos.resource.kind, domain::ResourceKind::kCmpp);
  EXPECT_EQ(ducos.resource.name, "CMPP INTERSECTORIEL");
  EXPECT_EQ(ducos.resource.commune_code, "97207");
  EXPECT_EQ(ducos.resource.postcode, "97224");
  EXPECT_EQ(ducos.resource.phone, "0596748677");
  EXPECT_EQ(ducos.resource.siret, "50254756500015");
  EXPECT_EQ(ducos.resource.address, "ZAC CHAMPIGNY, BP 71 IMMEUBLE SEMAFA");
  EXPECT_TRUE(ducos.published) << "structures are published on import";
  ASSERT_TRUE(ducos.resource.position);
  EXPECT_LT(domain::HaversineKm(*ducos.resource.position, {14.57855, -60.96854}), 0.010);
  const auto& lille = all.at("finess:599990001");  // Lambert-93
  EXPECT_EQ(lille.resource.kind, domain::ResourceKind::kPerinatalPsychiatry);
  EXPECT_EQ(lille.resource.levels, domain::CareLevelSet{domain::CareLevel::kSpecialised});
  ASSERT_TRUE(lille.resource.position);
  EXPECT_LT(domain::HaversineKm(*lille.resource.position, {50.63108, 3.04702}), 0.010);
  const auto& bethune = all.at("finess:629990004");
  ASSERT_TRUE(bethune.resource.position);
  EXPECT_LT(domain::HaversineKm(*bethune.resource.position, {50.52994, 2.64379}), 0.010);
  EXPECT_FALSE(all.at("finess:629990003").resource.position);

  auto again = ImportFiness(*db_, clock_, Fixture("finess_cs1100507_cp1252.csv"), ImportOptions());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 5);
  EXPECT_EQ(again->inserted, 0);
}

TEST_F(DirectoryImportTest, FinessBrokenRowsReported) {
  auto r = ImportFiness(*db_, clock_, Fixture("finess_cs1100507_broken.csv"), ImportOptions());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GE(r->counts.errors, 5);
  for (const auto& e : r->errors) EXPECT_GT(e.line_number, 1) << e.reason;
}

TEST_F(DirectoryImportTest, MissingFileIsAClearError) {
  auto r = Rpps("no_such_file.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "file");
  auto c = ImportCommunes(*db_, Fixture("communes_sample.csv"), "xml", ImportOptions());
  EXPECT_EQ(c.status().field(), "format");
}

}  // namespace
}  // namespace parcours::app
