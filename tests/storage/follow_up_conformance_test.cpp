// Follow-up repository conformance: the same tests on SQLite and PostgreSQL
// (test_database.h picks the backend). Each test starts from an empty,
// migrated database.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "storage/follow_up_repository.h"
#include "storage/storage.h"
#include "test_database.h"

namespace parcours::storage {
namespace {

using test_support::TestDatabase;

UserRecord User(std::string id, std::string role, std::string territory) {
  UserRecord u;
  u.email = id + "@example.fr";
  u.id = std::move(id);
  u.name = "Dr " + u.id;
  u.role = std::move(role);
  u.territories = {std::move(territory)};
  u.password_hash = "x";
  u.created_at = u.updated_at = 1754300000000;
  return u;
}

ScreeningRecord Screening(std::string id, TimestampMs at, int score) {
  ScreeningRecord s;
  s.id = std::move(id);
  s.created_at = at;
  s.instrument = "epds";
  s.language = "fr";
  s.source = "direct";
  s.answers = {0, 1, 2, 3, 3, 2, 1, 0, 1, 2};
  s.score = score;
  s.threshold_set_id = "national-default";
  s.threshold_version = 1;
  return s;
}

FollowUpRecord Record(std::string id, std::string territory, std::string by) {
  FollowUpRecord r;
  r.id = std::move(id);
  r.territory_code = std::move(territory);
  r.created_by = std::move(by);
  r.created_at = r.updated_at = 1754300000000;
  r.respondent = domain::Respondent::kFather;
  r.identity_sealed = {0x00, 0x01, 0xfe, 0xff, 0x27, 0x5c};  // opaque bytes, NULs included
  return r;
}

class FollowUpConformance : public test_support::MigratedStorageTest {
 protected:
  void SetUp() override {
    MigratedStorageTest::SetUp();
    if (HasFatalFailure()) return;
    MustWrite([](Transaction& tx) -> Status {
      PARCOURS_RETURN_IF_ERROR(tx.accounts().InsertUser(User("sf", "professional", "normandie")));
      PARCOURS_RETURN_IF_ERROR(
          tx.accounts().InsertUser(User("team", "specialised_team", "normandie")));
      PARCOURS_RETURN_IF_ERROR(tx.accounts().InsertUser(User("other", "professional", "paca")));
      PARCOURS_RETURN_IF_ERROR(tx.InsertScreening(Screening("s-late", 1754400000000, 14)));
      PARCOURS_RETURN_IF_ERROR(tx.InsertScreening(Screening("s-early", 1754300000000, 9)));
      PARCOURS_RETURN_IF_ERROR(tx.follow_up().InsertRecord(Record("r1", "normandie", "sf")));
      return tx.follow_up().AddMember({"r1", "sf", "sf", 1754300000000});
    });
  }

  Status Write(const std::function<Status(Transaction&)>& fn) { return store_->Transact(fn); }
  void MustWrite(const std::function<Status(Transaction&)>& fn) {
    Status st = Write(fn);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  void Read(const std::function<Status(FollowUpRepository&)>& fn) {
    Status st = store_->Read([&](Transaction& tx) { return fn(tx.follow_up()); });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
};

TEST_F(FollowUpConformance, RecordRoundTripsAndDuplicateIsConflict) {
  Read([](FollowUpRepository& f) -> Status {
    auto r = f.FindRecord("r1");
    if (!r.ok()) return r.status();
    EXPECT_TRUE(*r);
    if (*r) {
      EXPECT_EQ(**r, Record("r1", "normandie", "sf"));
    }
    auto none = f.FindRecord("nope");
    EXPECT_TRUE(none.ok() && !*none);
    return Status::Ok();
  });
  Status dup = Write(
      [](Transaction& tx) { return tx.follow_up().InsertRecord(Record("r1", "normandie", "sf")); });
  EXPECT_EQ(dup.code(), StatusCode::kConflict);
}

TEST_F(FollowUpConformance, MembersAndListsByTerritory) {
  MustWrite([](Transaction& tx) -> Status {
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().InsertRecord(Record("r2", "normandie", "sf")));
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().AddMember({"r2", "sf", "sf", 1754300000001}));
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().AddMember({"r2", "team", "sf", 1754300000002}));
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().InsertRecord(Record("r3", "paca", "other")));
    return tx.follow_up().AddMember({"r3", "sf", "other", 1754300000003});
  });
  EXPECT_EQ(Write([](Transaction& tx) {
              return tx.follow_up().AddMember({"r2", "team", "sf", 1});
            }).code(),
            StatusCode::kConflict);
  Read([](FollowUpRepository& f) -> Status {
    auto mine = f.ListRecordsOfMember("sf", {"normandie"}, 10);
    if (!mine.ok()) return mine.status();
    std::vector<std::string> ids;
    for (const auto& r : *mine) ids.push_back(r.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"r2", "r1"}));  // newest id first, paca left out
    auto both = f.ListRecordsOfMember("sf", {"normandie", "paca"}, 2);
    EXPECT_TRUE(both.ok() && both->size() == 2);
    auto team = f.IsMember("r2", "team");
    EXPECT_TRUE(team.ok() && *team);
    auto not_team = f.IsMember("r1", "team");
    EXPECT_TRUE(not_team.ok() && !*not_team);
    auto members = f.ListMembers("r2");
    if (!members.ok()) return members.status();
    EXPECT_EQ(members->size(), 2u);
    EXPECT_EQ(members->at(1), (RecordMember{"r2", "team", "sf", 1754300000002}));
    return Status::Ok();
  });
}

TEST_F(FollowUpConformance, ScreeningsInScreeningOrderNotesAndOtherParent) {
  MustWrite([](Transaction& tx) -> Status {
    PARCOURS_RETURN_IF_ERROR(
        tx.follow_up().AttachScreening({"r1", "s-late", "sf", 1754500000000, "share_code"}));
    PARCOURS_RETURN_IF_ERROR(
        tx.follow_up().AttachScreening({"r1", "s-early", "sf", 1754500000001, "consultation"}));
    PARCOURS_RETURN_IF_ERROR(
        tx.follow_up().InsertNote({"n2", "r1", "sf", 1754500000002, {0x10, 0x00, 0x20}}));
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().InsertNote({"n1", "r1", "sf", 1754500000001, {0x01}}));
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().InsertRecord(Record("r2", "normandie", "sf")));
    return tx.follow_up().LinkOtherParent("r2", "r1", 1754600000000, "sf");
  });
  EXPECT_EQ(Write([](Transaction& tx) {
              return tx.follow_up().AttachScreening({"r1", "s-late", "sf", 1, "share_code"});
            }).code(),
            StatusCode::kConflict);
  EXPECT_EQ(Write([](Transaction& tx) {
              return tx.follow_up().LinkOtherParent("missing", "r1", 1, "sf");
            }).code(),
            StatusCode::kNotFound);
  Read([](FollowUpRepository& f) -> Status {
    auto links = f.ListRecordScreenings("r1");
    if (!links.ok()) return links.status();
    EXPECT_EQ(links->size(), 2u);
    if (links->size() == 2) {
      EXPECT_EQ(links->at(0).screening_id, "s-early");  // by the screening's own time
      EXPECT_EQ(links->at(1),
                (RecordScreeningLink{"r1", "s-late", "sf", 1754500000000, "share_code"}));
    }
    // The same links with their screenings, in the same order.
    auto linked = f.ListLinkedScreenings("r1");
    if (!linked.ok()) return linked.status();
    EXPECT_EQ(linked->size(), 2u);
    if (linked->size() == 2 && links->size() == 2) {
      EXPECT_EQ(linked->at(0).link, links->at(0));
      EXPECT_EQ(linked->at(1).link, links->at(1));
      EXPECT_EQ(linked->at(0).screening.id, "s-early");
      EXPECT_EQ(linked->at(1).screening.id, "s-late");
      EXPECT_EQ(linked->at(1).screening.answers.size(), 10u);
      EXPECT_EQ(linked->at(1).screening.score, 14);
    }
    auto none = f.ListLinkedScreenings("no-such-record");
    if (!none.ok()) return none.status();
    EXPECT_TRUE(none->empty());
    auto notes = f.ListNotes("r1");
    if (!notes.ok()) return notes.status();
    EXPECT_EQ(notes->size(), 2u);
    if (notes->size() == 2) {
      EXPECT_EQ(notes->at(0).id, "n1");
      EXPECT_EQ(notes->at(1).text_sealed, (std::vector<unsigned char>{0x10, 0x00, 0x20}));
    }
    auto r2 = f.FindRecord("r2");
    if (!r2.ok()) return r2.status();
    EXPECT_EQ((*r2)->other_parent_of, "r1");
    EXPECT_EQ((*r2)->other_parent_consent_at, 1754600000000);
    EXPECT_EQ((*r2)->other_parent_consent_by, "sf");
    auto back = f.ListOtherParents("r1");
    EXPECT_TRUE(back.ok() && back->size() == 1 && back->front().id == "r2");
    return Status::Ok();
  });
}

TEST_F(FollowUpConformance, ShareCodeIsUsedOnceEvenUnderConcurrency) {
  MustWrite([](Transaction& tx) {
    return tx.follow_up().InsertShareCode(
        {"hash1", "s-late", 1754300000000, 1754300000000 + 30LL * 86400000, {}, {}, {}});
  });
  std::atomic<int> ok{0}, conflict{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      Status st = store_->Transact([](Transaction& tx) {
        return tx.follow_up().UseShareCode("hash1", 1754300001000, "sf", "r1");
      });
      if (st.ok()) ++ok;
      if (st.code() == StatusCode::kConflict) ++conflict;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflict.load(), 5);
  EXPECT_EQ(Write([](Transaction& tx) {
              return tx.follow_up().UseShareCode("absent", 1, "sf", "r1");
            }).code(),
            StatusCode::kNotFound);
  Read([](FollowUpRepository& f) -> Status {
    auto c = f.FindShareCode("hash1");
    if (!c.ok()) return c.status();
    EXPECT_EQ((*c)->used_at, 1754300001000);
    EXPECT_EQ((*c)->used_by, "sf");
    EXPECT_EQ((*c)->record_id, "r1");
    return Status::Ok();
  });
}

TEST_F(FollowUpConformance, AttemptCounterHasAFixedWindow) {
  constexpr TimestampMs kHour = 3600000, t0 = 1754300000000;
  auto add = [&](TimestampMs at) {
    std::int64_t n = -1;
    MustWrite([&](Transaction& tx) -> Status {
      auto r = tx.follow_up().AddAttempt("share_code:sf", at, kHour);
      if (!r.ok()) return r.status();
      n = *r;
      return Status::Ok();
    });
    return n;
  };
  auto count = [&](TimestampMs at) {
    std::int64_t n = -1;
    Read([&](FollowUpRepository& f) -> Status {
      auto r = f.CountAttempts("share_code:sf", at, kHour);
      if (!r.ok()) return r.status();
      n = *r;
      return Status::Ok();
    });
    return n;
  };
  EXPECT_EQ(count(t0), 0);
  EXPECT_EQ(add(t0), 1);
  EXPECT_EQ(add(t0 + 10), 2);
  EXPECT_EQ(add(t0 + kHour - 1), 3);
  EXPECT_EQ(count(t0 + kHour - 1), 3);
  EXPECT_EQ(count(t0 + kHour), 0);  // the window is over
  EXPECT_EQ(add(t0 + kHour), 1);    // a new one starts
  EXPECT_EQ(count(t0 + kHour + 5), 1);
}

TEST_F(FollowUpConformance, ReferralsUpdateOnlyFromTheExpectedStatus) {
  ReferralRecord r;
  r.id = "f1";
  r.territory_code = "normandie";
  r.referrer_id = "sf";
  r.record_id = "r1";
  r.screening_id = "s-late";
  r.target_kind = "team";
  r.team_user_id = "team";
  r.joint_care = "yes";
  r.status = "proposed";
  r.created_at = r.updated_at = 1754300000000;
  MustWrite([&](Transaction& tx) -> Status {
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().InsertReferral(r));
    auto e = tx.follow_up().AppendReferralEvent(
        {0, "f1", 1754300000000, "sf", "propose", "", "proposed", "joint_care yes"});
    return e.ok() ? Status::Ok() : e.status();
  });
  ReferralRecord sent = r;
  sent.status = "sent";
  sent.updated_at = 1754300000100;
  MustWrite([&](Transaction& tx) -> Status {
    PARCOURS_RETURN_IF_ERROR(tx.follow_up().UpdateReferral(sent, "proposed"));
    auto e = tx.follow_up().AppendReferralEvent(
        {0, "f1", 1754300000100, "sf", "send", "proposed", "sent", ""});
    return e.ok() ? Status::Ok() : e.status();
  });
  EXPECT_EQ(Write([&](Transaction& tx) {
              return tx.follow_up().UpdateReferral(sent, "proposed");
            }).code(),
            StatusCode::kConflict);
  ReferralRecord missing = sent;
  missing.id = "nope";
  EXPECT_EQ(
      Write([&](Transaction& tx) { return tx.follow_up().UpdateReferral(missing, "sent"); }).code(),
      StatusCode::kNotFound);
  ReferralRecord met = sent;
  met.status = "first_appointment";
  met.first_appointment = "2026-12-07";
  met.decline_reason = std::nullopt;
  MustWrite([&](Transaction& tx) { return tx.follow_up().UpdateReferral(met, "sent"); });
  Read([&](FollowUpRepository& f) -> Status {
    auto got = f.FindReferral("f1");
    if (!got.ok()) return got.status();
    EXPECT_EQ(**got, met);
    auto by = f.ListReferralsByReferrer("sf", 10);
    EXPECT_TRUE(by.ok() && by->size() == 1);
    auto to = f.ListReferralsToTeam("team", 10);
    EXPECT_TRUE(to.ok() && to->size() == 1);
    auto none = f.ListReferralsToTeam("sf", 10);
    EXPECT_TRUE(none.ok() && none->empty());
    auto of = f.ListReferralsOfRecord("r1");
    EXPECT_TRUE(of.ok() && of->size() == 1);
    auto events = f.ListReferralEvents("f1");
    if (!events.ok()) return events.status();
    EXPECT_EQ(events->size(), 2u);
    if (events->size() == 2) {
      EXPECT_LT(events->at(0).id, events->at(1).id);
      EXPECT_EQ(events->at(1).to_status, "sent");
      EXPECT_EQ(events->at(0).detail, "joint_care yes");
    }
    return Status::Ok();
  });
}

}  // namespace
}  // namespace parcours::storage
