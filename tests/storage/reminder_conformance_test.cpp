// Reminder repository conformance (issue 12): the same tests on SQLite and
// PostgreSQL (test_database.h picks the backend). Each test starts from an
// empty, migrated database.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/reminder_repository.h"
#include "storage/storage.h"
#include "test_database.h"

namespace parcours::storage {
namespace {

using test_support::TestDatabase;

ScreeningRecord Screening(std::string id) {
  ScreeningRecord s;
  s.id = std::move(id);
  s.created_at = 1795392000000;
  s.instrument = "epds";
  s.language = "fr";
  s.period = domain::Period::kPostnatal;
  s.child_age_weeks = 1;
  s.commune_code = "14118";
  s.territory_code = "normandie";
  s.source = "direct";
  s.answers = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  s.threshold_set_id = "national-default";
  s.threshold_version = 1;
  return s;
}

ReminderRecord Reminder(std::string id, std::string screening_id, TimestampMs due) {
  ReminderRecord r;
  r.id = std::move(id);
  r.screening_id = std::move(screening_id);
  r.territory_code = "normandie";
  r.created_at = 1795392000000;
  r.due_at = due;
  r.channels = "email,sms";
  r.contact_sealed = {1, 2, 3, 0, 255};
  r.language = "fr";
  r.optout_hash = "hash-" + r.id;
  return r;
}

class ReminderConformance : public test_support::MigratedStorageTest {
 protected:
  void SetUp() override {
    MigratedStorageTest::SetUp();
    if (HasFatalFailure()) return;
    Status st = store_->Transact([](Transaction& tx) -> Status {
      for (const char* id : {"s1", "s2", "s3", "s4"}) {
        PARCOURS_RETURN_IF_ERROR(tx.InsertScreening(Screening(id)));
      }
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  Status Insert(const ReminderRecord& r) {
    return store_->Transact([&](Transaction& tx) { return tx.reminders().InsertReminder(r); });
  }
  std::optional<ReminderRecord> Find(const std::string& id) {
    std::optional<ReminderRecord> out;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      auto r = tx.reminders().FindReminder(id);
      if (!r.ok()) return r.status();
      out = *r;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
  std::vector<ReminderRecord> Due(TimestampMs now, int limit = 10) {
    std::vector<ReminderRecord> out;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      auto r = tx.reminders().ListDueReminders(now, limit);
      if (!r.ok()) return r.status();
      out = *r;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
};

TEST_F(ReminderConformance, InsertFindRoundTrip) {
  ReminderRecord r = Reminder("r1", "s1", 1798466400000);
  ASSERT_TRUE(Insert(r).ok());
  EXPECT_EQ(Find("r1"), r);
  EXPECT_EQ(Find("nope"), std::nullopt);
  Status st = store_->Read([&](Transaction& tx) -> Status {
    auto by_screening = tx.reminders().FindReminderByScreening("s1");
    EXPECT_TRUE(by_screening.ok());
    EXPECT_EQ(*by_screening, r);
    auto by_token = tx.reminders().FindReminderByOptOut("hash-r1");
    EXPECT_TRUE(by_token.ok());
    EXPECT_EQ(*by_token, r);
    auto none = tx.reminders().FindReminderByOptOut("hash-other");
    EXPECT_TRUE(none.ok());
    EXPECT_EQ(*none, std::nullopt);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST_F(ReminderConformance, OnePerScreeningAndUniqueKeys) {
  ASSERT_TRUE(Insert(Reminder("r1", "s1", 1)).ok());
  EXPECT_EQ(Insert(Reminder("r2", "s1", 1)).code(), StatusCode::kConflict);  // same screening
  EXPECT_EQ(Insert(Reminder("r1", "s2", 1)).code(), StatusCode::kConflict);  // same id
  ReminderRecord same_hash = Reminder("r3", "s3", 1);
  same_hash.optout_hash = "hash-r1";
  EXPECT_EQ(Insert(same_hash).code(), StatusCode::kConflict);
  EXPECT_FALSE(Insert(Reminder("r4", "no-such-screening", 1)).ok());
  EXPECT_EQ(Find("r2"), std::nullopt);
  EXPECT_EQ(Find("r4"), std::nullopt);
}

TEST_F(ReminderConformance, DueListIsScheduledOnlyOldestFirstAndLimited) {
  ASSERT_TRUE(Insert(Reminder("r1", "s1", 3000)).ok());
  ASSERT_TRUE(Insert(Reminder("r2", "s2", 1000)).ok());
  ASSERT_TRUE(Insert(Reminder("r3", "s3", 2000)).ok());
  ASSERT_TRUE(Insert(Reminder("r4", "s4", 9000)).ok());
  ASSERT_TRUE(
      store_->Transact([](Transaction& tx) { return tx.reminders().CancelReminder("r3", 1500); })
          .ok());
  std::vector<std::string> ids;
  for (const auto& r : Due(3000)) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"r2", "r1"}));
  ASSERT_EQ(Due(3000, 1).size(), 1u);
  EXPECT_EQ(Due(3000, 1)[0].id, "r2");
  EXPECT_TRUE(Due(999).empty());
}

TEST_F(ReminderConformance, SentAndCancelledEraseTheContactOnce) {
  ASSERT_TRUE(Insert(Reminder("r1", "s1", 1000)).ok());
  ASSERT_TRUE(Insert(Reminder("r2", "s2", 1000)).ok());
  Status st = store_->Transact([](Transaction& tx) -> Status {
    PARCOURS_RETURN_IF_ERROR(tx.reminders().MarkReminderSent("r1", 5000));
    return tx.reminders().CancelReminder("r2", 6000);
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto r1 = Find("r1");
  ASSERT_TRUE(r1.has_value());
  EXPECT_EQ(r1->status, "sent");
  EXPECT_EQ(r1->sent_at, 5000);
  EXPECT_TRUE(r1->contact_sealed.empty());
  auto r2 = Find("r2");
  ASSERT_TRUE(r2.has_value());
  EXPECT_EQ(r2->status, "cancelled");
  EXPECT_EQ(r2->cancelled_at, 6000);
  EXPECT_TRUE(r2->contact_sealed.empty());

  // A second change of either: kConflict, and the row stays as it was.
  for (const char* id : {"r1", "r2"}) {
    Status again =
        store_->Transact([&](Transaction& tx) { return tx.reminders().CancelReminder(id, 7000); });
    EXPECT_EQ(again.code(), StatusCode::kConflict) << id;
    again = store_->Transact(
        [&](Transaction& tx) { return tx.reminders().MarkReminderSent(id, 7000); });
    EXPECT_EQ(again.code(), StatusCode::kConflict) << id;
  }
  EXPECT_EQ(Find("r1"), r1);
  EXPECT_EQ(Find("r2"), r2);
  Status missing =
      store_->Transact([](Transaction& tx) { return tx.reminders().CancelReminder("zz", 1); });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
}

TEST_F(ReminderConformance, AConflictCanBeHandledInsideTheTransaction) {
  ASSERT_TRUE(Insert(Reminder("r1", "s1", 1000)).ok());
  ASSERT_TRUE(
      store_->Transact([](Transaction& tx) { return tx.reminders().MarkReminderSent("r1", 2000); })
          .ok());
  // Another instance lost the race: it sees kConflict and carries on
  // with other work in the same transaction, which is kept.
  Status st = store_->Transact([](Transaction& tx) -> Status {
    Status lost = tx.reminders().MarkReminderSent("r1", 3000);
    if (lost.code() != StatusCode::kConflict) return Status::Internal("expected a conflict");
    return tx.reminders().InsertReminder(Reminder("r2", "s2", 1000));
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(Find("r2").has_value());
}

TEST_F(ReminderConformance, DeleteFinishedRemovesWhatIsDueAndNothingElse) {
  ASSERT_TRUE(Insert(Reminder("sent-old", "s1", 1000)).ok());
  ASSERT_TRUE(Insert(Reminder("sent-new", "s2", 1000)).ok());
  ASSERT_TRUE(Insert(Reminder("cancelled-old", "s3", 1000)).ok());
  ASSERT_TRUE(Insert(Reminder("scheduled-old", "s4", 1000)).ok());
  ASSERT_TRUE(store_
                  ->Transact([](Transaction& tx) -> Status {
                    PARCOURS_RETURN_IF_ERROR(tx.reminders().MarkReminderSent("sent-old", 100));
                    PARCOURS_RETURN_IF_ERROR(tx.reminders().MarkReminderSent("sent-new", 500));
                    return tx.reminders().CancelReminder("cancelled-old", 100);
                  })
                  .ok());
  std::int64_t deleted = -1;
  ASSERT_TRUE(store_
                  ->Transact([&](Transaction& tx) -> Status {
                    auto n = tx.reminders().DeleteFinishedReminders(500);
                    if (!n.ok()) return n.status();
                    deleted = *n;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(deleted, 2);
  EXPECT_EQ(Find("sent-old"), std::nullopt);
  EXPECT_EQ(Find("cancelled-old"), std::nullopt);
  EXPECT_TRUE(Find("sent-new").has_value());  // finished at 500: not before 500
  EXPECT_TRUE(Find("scheduled-old").has_value());
}

}  // namespace
}  // namespace parcours::storage
