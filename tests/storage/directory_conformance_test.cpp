// Directory repository conformance: the same tests on SQLite and PostgreSQL
// (test_database.h picks the backend). Each test starts from an empty,
// migrated database.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "storage/directory_repository.h"
#include "storage/storage.h"
#include "test_database.h"

namespace parcours::storage {
namespace {

using test_support::TestDatabase;

CommuneRecord Commune(std::string code, std::string name, std::vector<std::string> postcodes,
                      std::string dept, std::string region, std::optional<domain::LatLon> centroid,
                      std::optional<std::int64_t> pop) {
  return CommuneRecord{std::move(code),
                       std::move(name),
                       std::move(postcodes),
                       std::move(dept),
                       std::move(region),
                       std::move(centroid),
                       pop};
}

ResourceRecord FullResource(std::string key) {
  ResourceRecord r;
  r.source = "rpps";
  r.source_key = std::move(key);
  domain::Resource& x = r.resource;
  x.kind = domain::ResourceKind::kPsychiatrist;
  x.levels = {domain::CareLevel::kSpecialised, domain::CareLevel::kEmergency};
  x.name = "Dr Élodie Lefèvre-Œuvray";
  x.organisation = "Cabinet « Les Tilleuls »";
  x.address = "12 bis rue de l'Église, BP 12";
  x.postcode = "62110";
  x.commune_code = "62427";
  x.position = domain::LatLon{50.4189212345678, 2.9584012345678};
  x.phone = "0321000000";
  x.email = "cabinet@example.org";
  x.website = "https://example.org/cabinet";
  x.opening_notes = "Lundi–vendredi\n9 h – 18 h";
  x.accepts_fathers = true;
  x.teleconsultation = true;
  x.mon_soutien_psy = false;
  x.languages = {"en", "fr"};
  x.rpps = "810000000012";
  x.finess = "620000000";
  x.siret = "12345678900012";
  r.active = true;
  r.published = false;
  r.manual_fields = {"name", "phone"};
  r.import_hash = "00ff00ff00ff00ff";
  r.verified_at = 1754300000123;
  r.created_at = 1754300000000;
  r.updated_at = 1754300000001;
  return r;
}

ResourceRecord Minimal(std::string source, std::optional<std::string> key, std::string commune,
                       domain::ResourceKind kind) {
  ResourceRecord r;
  r.source = std::move(source);
  r.source_key = std::move(key);
  r.resource.kind = kind;
  r.resource.levels = domain::DefaultLevels(kind);
  r.resource.name = "R " + commune;
  r.resource.commune_code = commune;
  r.resource.postcode = commune.substr(0, 2) + "000";
  r.created_at = r.updated_at = 1;
  return r;
}

class DirectoryConformance : public test_support::MigratedStorageTest {
 protected:
  // Runs fn in a write transaction and expects success.
  void Write(const std::function<Status(DirectoryRepository&)>& fn) {
    Status st = store_->Transact([&](Transaction& tx) { return fn(tx.directory()); });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  void Read(const std::function<Status(DirectoryRepository&)>& fn) {
    Status st = store_->Read([&](Transaction& tx) { return fn(tx.directory()); });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  std::int64_t Insert(const ResourceRecord& r) {
    std::int64_t id = 0;
    Write([&](DirectoryRepository& d) -> Status {
      auto v = d.InsertResource(r);
      if (!v.ok()) return v.status();
      id = *v;
      return Status::Ok();
    });
    return id;
  }

  std::optional<ResourceRecord> Find(std::int64_t id) {
    std::optional<ResourceRecord> out;
    Read([&](DirectoryRepository& d) -> Status {
      auto v = d.FindResource(id);
      if (!v.ok()) return v.status();
      out = *v;
      return Status::Ok();
    });
    return out;
  }
};

TEST_F(DirectoryConformance, CommunesRoundTripAndLookups) {
  const auto marseille = Commune("13055", "Marseille", {"13001", "13002", "13016"}, "13", "93",
                                 domain::LatLon{43.29179, 5.41408}, 886040);
  const auto celles = Commune("15031", "Celles", {"15170"}, "15", "84", std::nullopt, 217);
  const auto henin = Commune("62427", "Hénin-Beaumont", {"62110"}, "62", "32",
                             domain::LatLon{50.41892, 2.95840}, 25688);
  const auto noyelles = Commune("62624", "Noyelles-Godault", {"62950", "62110"}, "62", "32",
                                domain::LatLon{50.4180, 2.9900}, 5500);
  const auto taaf = Commune("98411", "Îles Saint-Paul et Nouvelle-Amsterdam", {}, "984", "984",
                            std::nullopt, std::nullopt);
  Write([&](DirectoryRepository& d) -> Status {
    for (const auto* c : {&marseille, &celles, &henin, &noyelles, &taaf}) {
      auto changed = d.UpsertCommune(*c);
      if (!changed.ok()) return changed.status();
      EXPECT_TRUE(*changed) << c->insee_code;
    }
    return Status::Ok();
  });
  Write([&](DirectoryRepository& d) -> Status {
    auto again = d.UpsertCommune(henin);
    EXPECT_TRUE(again.ok() && !*again) << "an identical row is not a change";
    return again.status();
  });
  Read([&](DirectoryRepository& d) -> Status {
    auto m = d.FindCommune("13055");
    EXPECT_TRUE(m.ok() && *m);
    if (m.ok() && *m) {
      EXPECT_EQ(**m, marseille);
    }
    auto t = d.FindCommune("98411");
    EXPECT_TRUE(t.ok() && *t && **t == taaf);
    auto none = d.FindCommune("99999");
    EXPECT_TRUE(none.ok() && !*none);

    auto by_pc = d.FindCommunesByPostcode("62110");
    EXPECT_TRUE(by_pc.ok());
    if (by_pc.ok()) {
      EXPECT_EQ(by_pc->size(), 2u);
      if (by_pc->size() != 2u) return Status::Ok();
      EXPECT_EQ((*by_pc)[0].insee_code, "62427");  // more populous first
      EXPECT_EQ((*by_pc)[1].insee_code, "62624");
    }
    auto by_name = d.SearchCommunesByName("henin beaumont", 10);
    EXPECT_TRUE(by_name.ok() && by_name->size() == 1 && by_name->front() == henin);
    auto prefix = d.SearchCommunesByName("marseil", 10);
    EXPECT_TRUE(prefix.ok() && prefix->size() == 1 && prefix->front().insee_code == "13055");
    auto iles = d.SearchCommunesByName("iles saint paul", 10);
    EXPECT_TRUE(iles.ok() && iles->size() == 1);
    auto count = d.CountCommunes();
    EXPECT_TRUE(count.ok() && *count == 5);
    auto seq = d.CommuneChangeSeq();
    EXPECT_TRUE(seq.ok() && *seq == 5) << "the identical upsert did not count";
    std::vector<std::string> codes;
    EXPECT_TRUE(
        d.ForEachCommune([&](const CommuneRecord& c) { codes.push_back(c.insee_code); }).ok());
    EXPECT_EQ(codes, (std::vector<std::string>{"13055", "15031", "62427", "62624", "98411"}));
    return Status::Ok();
  });
  // Replacing a commune replaces its postcodes.
  auto moved = noyelles;
  moved.postcodes = {"62950"};
  moved.centroid.reset();
  Write([&](DirectoryRepository& d) -> Status { return d.UpsertCommune(moved).status(); });
  Read([&](DirectoryRepository& d) -> Status {
    auto by_pc = d.FindCommunesByPostcode("62110");
    EXPECT_TRUE(by_pc.ok() && by_pc->size() == 1);
    auto n = d.FindCommune("62624");
    EXPECT_TRUE(n.ok() && *n && **n == moved);
    return Status::Ok();
  });
}

TEST_F(DirectoryConformance, ResourceRoundTripsEveryField) {
  ResourceRecord r = FullResource("rpps:810000000012/ST1");
  const std::int64_t id = Insert(r);
  ASSERT_GT(id, 0);
  auto got = Find(id);
  ASSERT_TRUE(got);
  EXPECT_GT(got->change_seq, 0);
  r.id = id;
  r.change_seq = got->change_seq;
  EXPECT_EQ(*got, r);

  ResourceRecord m = Minimal("manual", std::nullopt, "97209", domain::ResourceKind::kHelpline);
  const std::int64_t id2 = Insert(m);
  auto got2 = Find(id2);
  ASSERT_TRUE(got2);
  m.id = id2;
  m.change_seq = got2->change_seq;
  EXPECT_EQ(*got2, m);
  EXPECT_GT(got2->change_seq, got->change_seq);

  Read([&](DirectoryRepository& d) -> Status {
    auto by_key = d.FindResourceBySourceKey("rpps:810000000012/ST1");
    EXPECT_TRUE(by_key.ok() && *by_key && (*by_key)->id == id);
    auto many = d.FindResources({id2, 999999, id});
    EXPECT_TRUE(many.ok());
    if (many.ok()) {
      EXPECT_EQ(many->size(), 2u);
      if (many->size() != 2u) return Status::Ok();
      EXPECT_EQ((*many)[0].id, id2);
      EXPECT_EQ((*many)[1].id, id);
    }
    return Status::Ok();
  });
}

TEST_F(DirectoryConformance, DuplicateSourceKeyIsConflictAndRollsBack) {
  Insert(FullResource("finess:010000024"));
  Status st = store_->Transact([&](Transaction& tx) {
    auto first = tx.directory().InsertResource(
        Minimal("finess", "finess:other", "01451", domain::ResourceKind::kPmiCentre));
    EXPECT_TRUE(first.ok());
    return tx.directory().InsertResource(FullResource("finess:010000024")).status();
  });
  EXPECT_EQ(st.code(), StatusCode::kConflict) << st.ToString();
  Read([&](DirectoryRepository& d) -> Status {
    auto n = d.CountResources(false);
    EXPECT_TRUE(n.ok() && *n == 1) << "the whole transaction was rolled back";
    return Status::Ok();
  });
}

TEST_F(DirectoryConformance, UpdateKeepsCreatedAtAndAdvancesChangeSeq) {
  ResourceRecord r = FullResource("rpps:1/2");
  r.id = Insert(r);
  auto before = Find(r.id);
  ASSERT_TRUE(before);
  r.resource.name = "Dr Autre";
  r.resource.position.reset();
  r.created_at = 42;  // ignored by UpdateResource
  r.updated_at = 1754300009999;
  r.manual_fields = {};
  Write([&](DirectoryRepository& d) -> Status { return d.UpdateResource(r); });
  auto after = Find(r.id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->resource.name, "Dr Autre");
  EXPECT_FALSE(after->resource.position);
  EXPECT_EQ(after->created_at, before->created_at);
  EXPECT_EQ(after->updated_at, 1754300009999);
  EXPECT_TRUE(after->manual_fields.empty());
  EXPECT_GT(after->change_seq, before->change_seq);

  ResourceRecord ghost = r;
  ghost.id = r.id + 1000;
  Status st =
      store_->Transact([&](Transaction& tx) { return tx.directory().UpdateResource(ghost); });
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
}

TEST_F(DirectoryConformance, ChangesSinceSeeEveryCommittedChangeOnce) {
  std::int64_t seq0 = 0;
  Read([&](DirectoryRepository& d) -> Status {
    auto s = d.ResourceChangeSeq();
    if (!s.ok()) return s.status();
    seq0 = *s;
    return Status::Ok();
  });
  std::vector<std::int64_t> ids;
  Write([&](DirectoryRepository& d) -> Status {
    for (int i = 0; i < 3; ++i) {
      auto id = d.InsertResource(
          Minimal("demo", "demo:" + std::to_string(i), "59350", domain::ResourceKind::kMidwife));
      if (!id.ok()) return id.status();
      ids.push_back(*id);
    }
    return Status::Ok();
  });
  std::int64_t seq1 = 0;
  Read([&](DirectoryRepository& d) -> Status {
    auto s = d.ResourceChangeSeq();
    seq1 = s.ok() ? *s : -1;
    std::vector<std::int64_t> seen;
    EXPECT_TRUE(d.ForEachResourceChangedSince(seq0, [&](const ResourceRecord& r) {
                   EXPECT_EQ(r.change_seq, seq1) << "one number per transaction";
                   seen.push_back(r.id);
                 }).ok());
    EXPECT_EQ(seen, ids);
    seen.clear();
    EXPECT_TRUE(d.ForEachResourceChangedSince(seq1, [&](const ResourceRecord& r) {
                   seen.push_back(r.id);
                 }).ok());
    EXPECT_TRUE(seen.empty());
    return Status::Ok();
  });
  EXPECT_GT(seq1, seq0);
}

TEST_F(DirectoryConformance, DeactivateMissingAndPublication) {
  const auto a = Insert(Minimal("rpps", "rpps:a", "59350", domain::ResourceKind::kMidwife));
  const auto b = Insert(Minimal("rpps", "rpps:b", "62427", domain::ResourceKind::kMidwife));
  const auto c = Insert(Minimal("rpps", "rpps:c", "62427", domain::ResourceKind::kPsychologist));
  const auto f = Insert(Minimal("finess", "finess:x", "59350", domain::ResourceKind::kAdultCmp));

  Read([&](DirectoryRepository& d) -> Status {
    std::map<std::string, ResourceKeyState> keys;
    EXPECT_TRUE(d.ForEachResourceKey("rpps", [&](std::string_view k, const ResourceKeyState& s) {
                   keys[std::string(k)] = s;
                 }).ok());
    EXPECT_EQ(keys.size(), 3u);
    EXPECT_EQ(keys["rpps:b"].id, b);
    EXPECT_TRUE(keys["rpps:b"].active);
    EXPECT_FALSE(keys["rpps:b"].has_manual_fields);
    EXPECT_EQ(keys["rpps:b"].department_code, "62");
    return Status::Ok();
  });

  Write([&](DirectoryRepository& d) -> Status { return d.DeactivateResources({b, 424242}, 77); });
  EXPECT_FALSE(Find(b)->active);
  EXPECT_EQ(Find(b)->updated_at, 77);
  EXPECT_TRUE(Find(f)->active) << "another source is untouched";

  // Publish midwives of department 59 and 62: b is inactive, so only a.
  Write([&](DirectoryRepository& d) -> Status {
    PublicationFilter pf;
    pf.kind = "midwife";
    pf.departments = {"59", "62"};
    auto ids = d.SetPublished(pf, true, 88);
    if (!ids.ok()) return ids.status();
    EXPECT_EQ(*ids, std::vector<std::int64_t>{a});
    return Status::Ok();
  });
  // Publish department 62 (any kind): c only.
  Write([&](DirectoryRepository& d) -> Status {
    PublicationFilter pf;
    pf.departments = {"62"};
    auto ids = d.SetPublished(pf, true, 89);
    if (!ids.ok()) return ids.status();
    EXPECT_EQ(*ids, std::vector<std::int64_t>{c});
    return Status::Ok();
  });
  // Everything of source finess.
  Write([&](DirectoryRepository& d) -> Status {
    PublicationFilter pf;
    pf.source = "finess";
    auto ids = d.SetPublished(pf, true, 90);
    if (!ids.ok()) return ids.status();
    EXPECT_EQ(*ids, std::vector<std::int64_t>{f});
    return Status::Ok();
  });
  EXPECT_TRUE(Find(a)->published);
  EXPECT_FALSE(Find(b)->published);
  EXPECT_TRUE(Find(c)->published);
  Read([&](DirectoryRepository& d) -> Status {
    auto active = d.CountResources(true);
    auto all = d.CountResources(false);
    EXPECT_TRUE(active.ok() && *active == 3);
    EXPECT_TRUE(all.ok() && *all == 4);
    return Status::Ok();
  });
}

TEST_F(DirectoryConformance, HistoryIsAppendOnlyInOrder) {
  const auto id = Insert(FullResource("rpps:h"));
  Write([&](DirectoryRepository& d) -> Status {
    for (const char* action : {"create", "edit", "verify"}) {
      auto h = d.AppendResourceHistory({0, id, 1754300000000, "cli:lead", action, "name: a -> b"});
      if (!h.ok()) return h.status();
    }
    return Status::Ok();
  });
  Read([&](DirectoryRepository& d) -> Status {
    auto h = d.ListResourceHistory(id);
    EXPECT_TRUE(h.ok());
    if (h.ok()) {
      EXPECT_EQ(h->size(), 3u);
      if (h->size() != 3u) return Status::Ok();
      EXPECT_EQ((*h)[0].action, "create");
      EXPECT_EQ((*h)[2].action, "verify");
      EXPECT_LT((*h)[0].id, (*h)[1].id);
      EXPECT_EQ((*h)[1].actor, "cli:lead");
      EXPECT_EQ((*h)[1].detail, "name: a -> b");
    }
    return Status::Ok();
  });
}

TEST_F(DirectoryConformance, SubTerritoriesOfACommune) {
  Write([&](DirectoryRepository& d) -> Status {
    PARCOURS_RETURN_IF_ERROR(
        d.UpsertSubTerritory({"hdf-62", "hauts-de-france", "Pas-de-Calais", "department", {"62"}}));
    PARCOURS_RETURN_IF_ERROR(d.UpsertSubTerritory(
        {"hdf-lens", "hauts-de-france", "Bassin de Lens", "communes", {"62427", "62498"}}));
    return d.UpsertSubTerritory({"hdf-ptsm-59", "hauts-de-france", "PTSM Nord", "ptsm", {"59"}});
  });
  Read([&](DirectoryRepository& d) -> Status {
    auto of = d.SubTerritoriesOfCommune("62427");
    EXPECT_TRUE(of.ok());
    if (of.ok()) {
      EXPECT_EQ(of->size(), 2u);
      if (of->size() != 2u) return Status::Ok();
      EXPECT_EQ((*of)[0].code, "hdf-62");
      EXPECT_EQ((*of)[1].code, "hdf-lens");
      EXPECT_EQ((*of)[1].members, (std::vector<std::string>{"62427", "62498"}));
    }
    auto nord = d.SubTerritoriesOfCommune("59350");
    EXPECT_TRUE(nord.ok() && nord->size() == 1 && nord->front().code == "hdf-ptsm-59");
    auto list = d.ListSubTerritories("hauts-de-france");
    EXPECT_TRUE(list.ok() && list->size() == 3);
    auto other = d.ListSubTerritories("martinique");
    EXPECT_TRUE(other.ok() && other->empty());
    return Status::Ok();
  });
  // Replacing drops old members.
  Write([&](DirectoryRepository& d) -> Status {
    return d.UpsertSubTerritory(
        {"hdf-lens", "hauts-de-france", "Bassin de Lens", "communes", {"62498"}});
  });
  Read([&](DirectoryRepository& d) -> Status {
    auto of = d.SubTerritoriesOfCommune("62427");
    EXPECT_TRUE(of.ok() && of->size() == 1);
    return Status::Ok();
  });
}

}  // namespace
}  // namespace parcours::storage
