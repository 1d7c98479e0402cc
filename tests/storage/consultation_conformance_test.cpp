// Consultation repository conformance: the same tests on SQLite and
// PostgreSQL (test_database.h picks the backend). Each test starts from an
// empty, migrated database.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/consultation_repository.h"
#include "storage/storage.h"
#include "test_database.h"

namespace parcours::storage {
namespace {

using domain::ConsultationContext;
using test_support::TestDatabase;

ScreeningRecord Screening(std::string id, bool item10, TimestampMs at) {
  ScreeningRecord s;
  s.id = std::move(id);
  s.created_at = at;
  s.instrument = "epds";
  s.language = "fr";
  s.respondent = domain::Respondent::kMother;
  s.period = domain::Period::kPostnatal;
  s.child_age_weeks = 6;
  s.commune_code = "59350";
  s.territory_code = "hauts-de-france";
  s.source = "consultation";
  s.answers = {0, 1, 2, 3, 0, 1, 2, 3, 0, item10 ? 1 : 0};
  s.score = 14;
  s.band = domain::Band::kProbable;
  s.item10_positive = item10;
  s.threshold_set_id = "national-default";
  s.threshold_version = 1;
  s.level = domain::CareLevel::kSpecialised;
  return s;
}

UserRecord Midwife(std::string id) {
  UserRecord u;
  u.id = id;
  u.email = id + "@example.fr";
  u.name = "Sage-femme";
  u.role = "professional";
  u.territories = {"hauts-de-france"};
  u.created_at = u.updated_at = 1754300000000;
  return u;
}

ConsultationRecord Consultation(std::string screening_id, ConsultationContext c,
                                std::vector<std::string> vulnerability, TimestampMs at) {
  ConsultationRecord r;
  r.screening_id = std::move(screening_id);
  r.created_at = at;
  r.context = c;
  r.professional_id = "u-midwife";
  r.territory_code = "hauts-de-france";
  r.vulnerability = std::move(vulnerability);
  return r;
}

class ConsultationConformance : public test_support::MigratedStorageTest {
 protected:
  void SetUp() override {
    MigratedStorageTest::SetUp();
    if (HasFatalFailure()) return;
    Status st = store_->Transact(
        [](Transaction& tx) { return tx.accounts().InsertUser(Midwife("u-midwife")); });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  // A screening and its consultation in one transaction.
  Status Add(const ScreeningRecord& s, const ConsultationRecord& c) {
    return store_->Transact([&](Transaction& tx) {
      PARCOURS_RETURN_IF_ERROR(tx.InsertScreening(s));
      return tx.consultations().InsertConsultation(c);
    });
  }

  std::optional<ConsultationRecord> Find(const std::string& id) {
    std::optional<ConsultationRecord> out;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      auto r = tx.consultations().FindConsultation(id);
      if (!r.ok()) return r.status();
      out = std::move(*r);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  std::vector<ConsultationCount> Count(const std::string& territory, TimestampMs from,
                                       TimestampMs until) {
    std::vector<ConsultationCount> out;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      auto r = tx.consultations().CountByContext(territory, from, until);
      if (!r.ok()) return r.status();
      out = std::move(*r);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
};

TEST_F(ConsultationConformance, RoundTripsEveryField) {
  const ConsultationRecord c = Consultation("s1", ConsultationContext::kReferentMidwife,
                                            {"isolation", "violence"}, 1754300000123);
  ASSERT_TRUE(Add(Screening("s1", false, 1754300000123), c).ok());
  EXPECT_EQ(Find("s1"), c);
  EXPECT_EQ(Find("s2"), std::nullopt);

  const ConsultationRecord none = Consultation("s2", ConsultationContext::kGp, {}, 5);
  ASSERT_TRUE(Add(Screening("s2", false, 5), none).ok());
  EXPECT_EQ(Find("s2"), none);
  // The screening row is the ordinary one (records of follow-up link it by id).
  Status st = store_->Read([](Transaction& tx) -> Status {
    auto s = tx.FindScreening("s1");
    if (!s.ok()) return s.status();
    EXPECT_TRUE(s->has_value());
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
}

TEST_F(ConsultationConformance, EveryContextIsStored) {
  int n = 0;
  for (ConsultationContext ctx : domain::AllConsultationContexts()) {
    const std::string id = "s" + std::to_string(++n);
    ASSERT_TRUE(Add(Screening(id, false, 1000 + n), Consultation(id, ctx, {}, 1000 + n)).ok());
    ASSERT_TRUE(Find(id).has_value());
    EXPECT_EQ(Find(id)->context, ctx);
  }
}

TEST_F(ConsultationConformance, OnePerScreeningAndNothingHalfWritten) {
  ASSERT_TRUE(
      Add(Screening("s1", false, 1), Consultation("s1", ConsultationContext::kEpp, {}, 1)).ok());
  Status again = store_->Transact([](Transaction& tx) {
    return tx.consultations().InsertConsultation(
        Consultation("s1", ConsultationContext::kEpnp, {}, 2));
  });
  EXPECT_EQ(again.code(), StatusCode::kConflict) << again.ToString();
  EXPECT_EQ(Find("s1")->context, ConsultationContext::kEpp);

  // An unknown professional fails the transaction: the screening is not kept.
  ConsultationRecord stranger = Consultation("s2", ConsultationContext::kEpp, {}, 3);
  stranger.professional_id = "u-nobody";
  EXPECT_FALSE(Add(Screening("s2", false, 3), stranger).ok());
  Status st = store_->Read([](Transaction& tx) -> Status {
    auto s = tx.FindScreening("s2");
    if (!s.ok()) return s.status();
    EXPECT_FALSE(s->has_value());
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  // A consultation of a screening that does not exist is refused.
  Status orphan = store_->Transact([](Transaction& tx) {
    return tx.consultations().InsertConsultation(
        Consultation("s3", ConsultationContext::kEpp, {}, 4));
  });
  EXPECT_FALSE(orphan.ok());
  EXPECT_EQ(Find("s3"), std::nullopt);
}

TEST_F(ConsultationConformance, CountsEppAndEpnpScreeningsPerTerritoryAndPeriod) {
  struct Row {
    const char* id;
    ConsultationContext ctx;
    bool item10;
    std::vector<std::string> vulnerability;
    TimestampMs at;
    const char* territory;
  };
  const Row rows[] = {
      {"a", ConsultationContext::kEpnp, false, {"isolation"}, 100, "hauts-de-france"},
      {"b", ConsultationContext::kEpnp, true, {}, 150, "hauts-de-france"},
      {"c", ConsultationContext::kEpp, false, {}, 120, "hauts-de-france"},
      {"d", ConsultationContext::kGp, true, {"violence", "addiction"}, 199, "hauts-de-france"},
      {"e", ConsultationContext::kEpnp, false, {}, 200, "hauts-de-france"},  // after the period
      {"f", ConsultationContext::kEpnp, false, {}, 99, "hauts-de-france"},   // before
      {"g", ConsultationContext::kEpp, false, {}, 150, "normandie"},         // elsewhere
  };
  for (const Row& r : rows) {
    ScreeningRecord s = Screening(r.id, r.item10, r.at);
    s.territory_code = r.territory;
    ConsultationRecord c = Consultation(r.id, r.ctx, r.vulnerability, r.at);
    c.territory_code = r.territory;
    ASSERT_TRUE(Add(s, c).ok()) << r.id;
  }
  const std::vector<ConsultationCount> want = {
      {ConsultationContext::kEpp, 1, 0, 0},
      {ConsultationContext::kEpnp, 2, 1, 1},
      {ConsultationContext::kGp, 1, 1, 1},
  };
  EXPECT_EQ(Count("hauts-de-france", 100, 200), want);
  EXPECT_EQ(Count("normandie", 0, 1000),
            (std::vector<ConsultationCount>{{ConsultationContext::kEpp, 1, 0, 0}}));
  EXPECT_TRUE(Count("occitanie", 0, 1000).empty());
}

}  // namespace
}  // namespace parcours::storage
