// The nearest-help use case over a real (SQLite) database: resolution of
// postcodes and accent-free names, nearest first with distances, filters,
// published-only for parents, fallbacks without centroids, and incremental
// catch-up after edits.
#include "app/directory/directory_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "app/directory/resource_admin.h"
#include "directory_test_support.h"

namespace parcours::app {
namespace {

using domain::CareLevel;
using domain::ResourceKind;
using testing::FixedClock;
using testing::TempDatabase;

class DirectorySearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(db_.get(), nullptr);
    Status st = (*db_).Transact([&](storage::Transaction& tx) -> Status {
      auto& d = tx.directory();
      for (const auto& c : std::vector<storage::CommuneRecord>{
               {"62427",
                "Hénin-Beaumont",
                {"62110"},
                "62",
                "32",
                domain::LatLon{50.41892, 2.95840},
                25688},
               {"62624",
                "Noyelles-Godault",
                {"62950"},
                "62",
                "32",
                domain::LatLon{50.4180, 2.9900},
                5500},
               {"62041", "Arras", {"62000"}, "62", "32", domain::LatLon{50.2910, 2.7775}, 41555},
               {"62001", "Ablain-Saint-Nazaire", {"62153"}, "62", "32", std::nullopt, 1000},
               {"62002", "Ablainzevelle", {"62116"}, "62", "32", std::nullopt, 200},
               {"59350",
                "Lille",
                {"59000", "59800"},
                "59",
                "32",
                domain::LatLon{50.63108, 3.04702},
                236234},
               {"59299",
                "Hellemmes-sur-Deûle",
                {"59260"},
                "59",
                "32",
                domain::LatLon{50.6265, 3.1100},
                18000},
               {"59009",
                "Villeneuve-d'Ascq",
                {"59650", "59491"},
                "59",
                "32",
                domain::LatLon{50.6233, 3.1450},
                62000},
               {"59360", "Loos", {"59120"}, "59", "32", domain::LatLon{50.6146, 3.0140}, 22000},
               {"59500",
                "Saint-Saulve",
                {"59880"},
                "59",
                "32",
                domain::LatLon{50.3720, 3.5550},
                11000}}) {
        auto r = d.UpsertCommune(c);
        if (!r.ok()) return r.status();
      }
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  std::int64_t Add(const std::string& name, ResourceKind kind, const std::string& commune,
                   const std::string& postcode, std::optional<domain::LatLon> pos,
                   bool published = true, FieldValues extra = {}) {
    FieldValues f = {{"kind", std::string(domain::ToString(kind))},
                     {"name", name},
                     {"commune", commune},
                     {"postcode", postcode}};
    if (pos) {
      f.emplace_back("latitude", std::to_string(pos->lat));
      f.emplace_back("longitude", std::to_string(pos->lon));
    }
    for (auto& e : extra) f.push_back(e);
    auto r = AddResource(*db_, clock_, "test", f, published);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->id : 0;
  }

  std::vector<std::string> Names(const DirectoryResult& r) {
    std::vector<std::string> out;
    for (const auto& i : r.items) out.push_back(i.record.resource.name);
    return out;
  }

  TempDatabase db_;
  FixedClock clock_{1780000000000};
};

TEST_F(DirectorySearchTest, NearestFirstFromTheCommuneCentroidWithDistances) {
  Add("CMP Hénin", ResourceKind::kAdultCmp, "62427", "62110", domain::LatLon{50.4200, 2.9600});
  Add("CMP Arras", ResourceKind::kAdultCmp, "62041", "62000", domain::LatLon{50.2900, 2.7800});
  Add("CMP Lille", ResourceKind::kAdultCmp, "59350", "59000", domain::LatLon{50.6300, 3.0500});
  Add("Sage-femme Hénin", ResourceKind::kMidwife, "62427", "62110", std::nullopt);
  auto s = DirectorySearch::Create(*db_);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  DirectoryQuery q;
  q.postcode = "62110";
  q.level = CareLevel::kSpecialised;
  auto r = (*s)->Search(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->origin, DirectoryOrigin::kCommuneCentroid);
  ASSERT_TRUE(r->commune);
  EXPECT_EQ(r->commune->insee_code, "62427");
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"CMP Hénin", "CMP Arras", "CMP Lille"}));
  ASSERT_TRUE(r->items[0].distance_km);
  EXPECT_NEAR(*r->items[0].distance_km, domain::HaversineKm({50.41892, 2.95840}, {50.42, 2.96}),
              1e-9);
  EXPECT_NEAR(*r->items[1].distance_km, 19.1, 0.2);    // Hénin-Beaumont to Arras
  EXPECT_NEAR(*r->items[2].distance_km, 24.35, 0.05);  // to Lille
  EXPECT_EQ(r->items[0].commune_name, "Hénin-Beaumont");

  // A resource without coordinates sits on its commune's centroid.
  q.level = CareLevel::kFirstLine;
  r = (*s)->Search(q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_DOUBLE_EQ(*r->items[0].distance_km, 0.0);
  // limit
  q.level.reset();
  q.limit = 2;
  r = (*s)->Search(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"Sage-femme Hénin", "CMP Hénin"}));
}

TEST_F(DirectorySearchTest, CommuneNameWithoutAccentsAndPositionOfTheParent) {
  Add("CMP Hellemmes", ResourceKind::kAdultCmp, "59299", "59260", std::nullopt);
  Add("CMP Lille", ResourceKind::kAdultCmp, "59350", "59000", std::nullopt);
  auto s = DirectorySearch::Create(*db_);
  ASSERT_TRUE(s.ok());
  DirectoryQuery q;
  q.place = "HELLEMMES SUR DEULE";
  auto r = (*s)->Search(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->commune->insee_code, "59299");
  EXPECT_EQ(Names(*r).front(), "CMP Hellemmes");
  q.place = "villeneuve d ascq";
  r = (*s)->Search(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->commune->name, "Villeneuve-d'Ascq");
  // Prefix: "abla" means two communes; the more populous first, both offered.
  q.place = "Abla";
  r = (*s)->Search(q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->choices.size(), 2u);
  EXPECT_EQ(r->choices[0].insee_code, "62001");
  // The parent's own position wins over the commune.
  DirectoryQuery p;
  p.position = domain::LatLon{50.6250, 3.1150};
  r = (*s)->Search(p);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->origin, DirectoryOrigin::kPosition);
  EXPECT_EQ(Names(*r).front(), "CMP Hellemmes");
  // Unknown names and postcodes are InvalidArgument on the right field.
  q.place = "Zzyzx";
  EXPECT_EQ((*s)->Search(q).status().field(), "place");
  DirectoryQuery pc;
  pc.postcode = "99999";
  EXPECT_EQ((*s)->Search(pc).status().field(), "postcode");
  pc.postcode = "5900";
  EXPECT_EQ((*s)->Search(pc).status().field(), "postcode");
  pc.postcode = "59000";
  pc.limit = 0;
  EXPECT_EQ((*s)->Search(pc).status().field(), "limit");
}

TEST_F(DirectorySearchTest, FiltersAndPublication) {
  Add("Psy pères visio", ResourceKind::kPsychologist, "59350", "59000", domain::LatLon{50.70, 3.10},
      true, {{"accepts_fathers", "yes"}, {"teleconsultation", "yes"}});
  Add("Psy pères", ResourceKind::kPsychologist, "59350", "59000", domain::LatLon{50.65, 3.06}, true,
      {{"accepts_fathers", "yes"}});
  Add("Psy proche", ResourceKind::kPsychologist, "59350", "59000", domain::LatLon{50.632, 3.048});
  Add("Psy non publié", ResourceKind::kPsychologist, "59350", "59000",
      domain::LatLon{50.6311, 3.0471}, false);
  Add("Maternité", ResourceKind::kMaternity, "59350", "59000", domain::LatLon{50.64, 3.05}, true,
      {{"levels", "first_line,hospital"}});
  auto s = DirectorySearch::Create(*db_);
  ASSERT_TRUE(s.ok());
  DirectoryQuery q;
  q.postcode = "59000";
  q.kind = ResourceKind::kPsychologist;
  auto r = (*s)->Search(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"Psy proche", "Psy pères", "Psy pères visio"}));
  q.include_unpublished = true;
  r = (*s)->Search(q);
  EXPECT_EQ(Names(*r).front(), "Psy non publié") << "professionals see unpublished rows";
  q.include_unpublished = false;
  q.fathers = true;
  r = (*s)->Search(q);
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"Psy pères", "Psy pères visio"}));
  q.teleconsultation = true;
  r = (*s)->Search(q);
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"Psy pères visio"}));
  DirectoryQuery h;
  h.postcode = "59000";
  h.level = CareLevel::kHospital;
  r = (*s)->Search(h);
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"Maternité"}));
  h.kind = ResourceKind::kMaternity;
  h.level = CareLevel::kSpecialised;
  r = (*s)->Search(h);
  EXPECT_TRUE(r->items.empty()) << "kind and level both apply";
}

TEST_F(DirectorySearchTest, FallsBackToCommuneThenDepartmentWithoutCentroid) {
  Add("Sage-femme Ablain", ResourceKind::kMidwife, "62001", "62153", std::nullopt);
  Add("Sage-femme Arras", ResourceKind::kMidwife, "62041", "62000", std::nullopt);
  Add("Sage-femme Lille", ResourceKind::kMidwife, "59350", "59000", std::nullopt);
  auto s = DirectorySearch::Create(*db_);
  ASSERT_TRUE(s.ok());
  DirectoryQuery q;
  q.postcode = "62153";
  q.limit = 1;
  auto r = (*s)->Search(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->origin, DirectoryOrigin::kSameCommune);
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"Sage-femme Ablain"}));
  EXPECT_FALSE(r->items[0].distance_km);
  q.limit = 10;
  r = (*s)->Search(q);
  EXPECT_EQ(r->origin, DirectoryOrigin::kSameDepartment);
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"Sage-femme Ablain", "Sage-femme Arras"}));
  q.postcode = "62116";  // no resource in the commune
  r = (*s)->Search(q);
  EXPECT_EQ(r->origin, DirectoryOrigin::kSameDepartment);
  EXPECT_EQ(r->items.size(), 2u);
}

TEST_F(DirectorySearchTest, CatchesUpIncrementallyWithEditsAndPublication) {
  const auto id =
      Add("CMP", ResourceKind::kAdultCmp, "59350", "59000", domain::LatLon{50.63, 3.05});
  DirectorySearch::Options o;
  o.refresh_interval = std::chrono::milliseconds(0);  // every search catches up
  auto s = DirectorySearch::Create(*db_, o);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->size(), 1u);
  DirectoryQuery q;
  q.postcode = "59000";
  ASSERT_EQ((*s)->Search(q)->items.size(), 1u);
  // Moved to Arras: now far from Lille.
  ASSERT_TRUE(EditResource(*db_, clock_, "lead", id,
                           {{"commune", "62041"},
                            {"postcode", "62000"},
                            {"latitude", "50.29"},
                            {"longitude", "2.78"}})
                  .ok());
  auto r = (*s)->Search(q);
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_GT(*r->items[0].distance_km, 35.0);
  ASSERT_TRUE(PublishResource(*db_, clock_, "lead", id, false).ok());
  EXPECT_TRUE((*s)->Search(q)->items.empty()) << "unpublished: hidden from parents";
  ASSERT_TRUE(PublishResource(*db_, clock_, "lead", id, true).ok());
  ASSERT_TRUE(SetResourceActive(*db_, clock_, "lead", id, false).ok());
  EXPECT_TRUE((*s)->Search(q)->items.empty()) << "inactive: gone";
  EXPECT_EQ((*s)->size(), 0u);
  // A commune gains its centroid: resources positioned on it move too.
  Add("Sage-femme Ablain", ResourceKind::kMidwife, "62001", "62153", std::nullopt);
  DirectoryQuery a;
  a.postcode = "62153";
  EXPECT_EQ((*s)->Search(a)->origin, DirectoryOrigin::kSameCommune);
  ASSERT_TRUE((*db_)
                  .Transact([&](storage::Transaction& tx) {
                    return tx.directory()
                        .UpsertCommune({"62001",
                                        "Ablain-Saint-Nazaire",
                                        {"62153"},
                                        "62",
                                        "32",
                                        domain::LatLon{50.3960, 2.7070},
                                        1000})
                        .status();
                  })
                  .ok());
  r = (*s)->Search(a);
  EXPECT_EQ(r->origin, DirectoryOrigin::kCommuneCentroid);
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_DOUBLE_EQ(*r->items[0].distance_km, 0.0);
}

// The screening use cases' CommuneLookup: from memory, in the storage's
// order (most populous first, then code), catching up with new communes.
TEST_F(DirectorySearchTest, CommunesByPostcodeFromMemoryLikeStorage) {
  DirectorySearch::Options o;
  o.refresh_interval = std::chrono::milliseconds(0);  // every call catches up
  auto s = DirectorySearch::Create(*db_, o);
  ASSERT_TRUE(s.ok());
  const CommuneLookup& lookup = **s;
  auto names = [&](std::string_view postcode) {
    std::vector<std::string> out;
    auto r = lookup.ByPostcode(postcode);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) {
      for (const auto& c : *r) out.push_back(c.insee_code + " " + c.name + " " + c.department_code);
    }
    return out;
  };
  EXPECT_EQ(names("59000"), std::vector<std::string>{"59350 Lille 59"});
  EXPECT_TRUE(names("75001").empty());
  // Two more communes share 59000: more populous first, a missing population last.
  ASSERT_TRUE((*db_)
                  .Transact([&](storage::Transaction& tx) -> Status {
                    auto& d = tx.directory();
                    PARCOURS_RETURN_IF_ERROR(d.UpsertCommune({"59999",
                                                              "Sans-Population",
                                                              {"59000"},
                                                              "59",
                                                              "32",
                                                              std::nullopt,
                                                              std::nullopt})
                                                 .status());
                    return d
                        .UpsertCommune(
                            {"59998", "Plus-Peuplée", {"59000"}, "59", "32", std::nullopt, 900000})
                        .status();
                  })
                  .ok());
  const std::vector<std::string> expected = {"59998 Plus-Peuplée 59", "59350 Lille 59",
                                             "59999 Sans-Population 59"};
  EXPECT_EQ(names("59000"), expected);
  std::vector<std::string> from_storage;
  ASSERT_TRUE((*db_)
                  .Read([&](storage::Transaction& tx) -> Status {
                    auto r = tx.directory().FindCommunesByPostcode("59000");
                    if (!r.ok()) return r.status();
                    for (const auto& c : *r) {
                      from_storage.push_back(c.insee_code + " " + c.name + " " + c.department_code);
                    }
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(from_storage, expected);
}

// A resource deactivated by hand (a closed emergency department) leaves
// the results within seconds while many threads search without pause.
TEST_F(DirectorySearchTest, DeactivatedResourceLeavesResultsUnderHeavySearchLoad) {
  const auto id = Add("Urgences Lille", ResourceKind::kEmergencyDepartment, "59350", "59000",
                      domain::LatLon{50.63, 3.05});
  Add("CMP Lille", ResourceKind::kAdultCmp, "59350", "59000", domain::LatLon{50.631, 3.051});
  DirectorySearch::Options o;
  o.refresh_interval = std::chrono::milliseconds(200);
  auto s = DirectorySearch::Create(*db_, o);
  ASSERT_TRUE(s.ok());
  DirectoryQuery q;
  q.postcode = "59000";
  std::atomic<bool> stop{false};
  std::atomic<long> searches{0};
  std::vector<std::thread> load;
  for (int i = 0; i < 16; ++i) {
    load.emplace_back([&] {
      while (!stop) {
        DirectoryOrigin origin;
        (void)(*s)->Nearest(q, &origin);
        if (searches.fetch_add(1) % 64 == 0) (void)(*s)->Search(q);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_TRUE(SetResourceActive(*db_, clock_, "lead", id, false).ok());
  const auto t0 = std::chrono::steady_clock::now();
  bool gone = false;
  while (!gone && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10)) {
    auto r = (*s)->Search(q);
    ASSERT_TRUE(r.ok());
    gone = std::none_of(r->items.begin(), r->items.end(),
                        [&](const DirectoryItem& it) { return it.record.id == id; });
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  stop = true;
  for (auto& t : load) t.join();
  EXPECT_TRUE(gone);
  EXPECT_LT(secs, 3.0) << "deactivated resource still listed under load";
  EXPECT_GT(searches.load(), 1000) << "the load did run";
}

TEST_F(DirectorySearchTest, HandEditValidationNamesEveryField) {
  auto r = AddResource(*db_, clock_, "lead",
                       {{"kind", "midwife"},
                        {"name", "X"},
                        {"postcode", "5900"},
                        {"commune", "59350"},
                        {"phone", "032100009"},
                        {"email", "nope"},
                        {"latitude", "95"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "postcode");
  for (const char* f : {"postcode:", "phone:", "email:", "latitude:"}) {
    EXPECT_NE(r.status().message().find(f), std::string::npos) << f << r.status().message();
  }
  auto none = ShowResource(*db_, 1);
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound) << "nothing was written";
  auto bad_dept = AddResource(
      *db_, clock_, "lead",
      {{"kind", "midwife"}, {"name", "X"}, {"postcode", "62000"}, {"commune", "59350"}});
  EXPECT_EQ(bad_dept.status().field(), "postcode");
  auto ok = AddResource(*db_, clock_, "lead",
                        {{"kind", "helpline"},
                         {"name", "Allô Parents Bébé"},
                         {"postcode", "75011"},
                         {"commune", "75111"},
                         {"phone", "0 800 00 34 56"}});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->resource.commune_code, "75056") << "arrondissement mapped to Paris";
  EXPECT_EQ(ok->resource.levels, domain::CareLevelSet{CareLevel::kInformation});
  EXPECT_EQ(ok->resource.phone, "0800003456");
  EXPECT_TRUE(ok->published);
  EXPECT_EQ(ok->source, "manual");
}

}  // namespace
}  // namespace parcours::app
