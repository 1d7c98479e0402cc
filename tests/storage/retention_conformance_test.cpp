// Retention conformance (issue 12): erasing the contacts of alerts closed
// before the retention limit removes what is due and nothing else, on
// SQLite and PostgreSQL (test_database.h picks the backend).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <tuple>

#include "storage/outbox_repository.h"
#include "storage/retention_repository.h"
#include "storage/storage.h"
#include "test_database.h"

namespace parcours::storage {
namespace {

using test_support::TestDatabase;

constexpr TimestampMs kT0 = 1795392000000;

AlertRecord Alert(std::string id, std::string status, TimestampMs updated) {
  AlertRecord a;
  a.reference = "REF-" + id;
  a.id = std::move(id);
  a.created_at = kT0;
  a.kind = "recontact";
  a.territory_code = "normandie";
  a.urgency = domain::Urgency::kWithin72h;
  a.deadline_at = kT0 + 1000;
  a.status = std::move(status);
  a.updated_at = updated;
  a.contact_sealed = {9, 8, 7};
  a.contact_key = "p:abc e:def";
  a.reporter_sealed = {1, 2};
  if (a.status == "closed") a.closed_outcome = domain::CloseOutcome::kTakenInCharge;
  return a;
}

class RetentionConformance : public test_support::MigratedStorageTest {
 protected:
  AlertRecord Find(const std::string& id) {
    AlertRecord out;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      auto r = tx.FindAlert(id);
      if (!r.ok()) return r.status();
      if (!*r) return Status::NotFound(id);
      out = **r;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
  Result<std::int64_t> Erase(TimestampMs before) {
    std::int64_t n = -1;
    Status st = store_->Transact([&](Transaction& tx) -> Status {
      auto r = tx.retention().EraseClosedAlertContacts(before);
      if (!r.ok()) return r.status();
      n = *r;
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return n;
  }
};

TEST_F(RetentionConformance, ErasesContactsOfAlertsClosedBeforeTheLimitOnly) {
  const AlertRecord old_closed = Alert("a-old-closed", "closed", kT0 + 100);
  const AlertRecord new_closed = Alert("a-new-closed", "closed", kT0 + 500);
  const AlertRecord old_open = Alert("a-old-open", "in_contact", kT0 + 100);
  ASSERT_TRUE(store_
                  ->Transact([&](Transaction& tx) -> Status {
                    PARCOURS_RETURN_IF_ERROR(tx.InsertAlert(old_closed));
                    PARCOURS_RETURN_IF_ERROR(tx.InsertAlert(new_closed));
                    return tx.InsertAlert(old_open);
                  })
                  .ok());
  auto n = Erase(kT0 + 500);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);

  AlertRecord erased = Find("a-old-closed");
  EXPECT_TRUE(erased.contact_sealed.empty());
  EXPECT_EQ(erased.contact_key, std::nullopt);
  EXPECT_TRUE(erased.reporter_sealed.empty());
  // Everything else of it stays (history, outcome, times for the indicators).
  AlertRecord expected = old_closed;
  expected.contact_sealed.clear();
  expected.contact_key.reset();
  expected.reporter_sealed.clear();
  EXPECT_EQ(erased, expected);
  EXPECT_EQ(Find("a-new-closed"), new_closed);
  EXPECT_EQ(Find("a-old-open"), old_open);

  // Nothing left to erase: a second run changes nothing.
  auto again = Erase(kT0 + 500);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

OutboxMessageRecord Message(std::string id, TimestampMs at) {
  OutboxMessageRecord m;
  m.dedupe_key = "test/" + id;
  m.id = std::move(id);
  m.channel = "email";
  m.kind = "reminder";
  m.territory_code = "normandie";
  m.payload_sealed = {4, 5, 6};
  m.created_at = m.next_attempt_at = at;
  return m;
}

TEST_F(RetentionConformance, EmptiesPayloadsOfMessagesSentBeforeTheLimitOnly) {
  // m-old sent at T0+100, m-new sent at T0+500, m-failed failed, m-pending untouched.
  Status st = store_->Transact([&](Transaction& tx) -> Status {
    for (const char* id : {"m-old", "m-new", "m-failed", "m-pending"}) {
      auto r = tx.outbox().Enqueue(Message(id, kT0));
      if (!r.ok()) return r.status();
    }
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  st = store_->Transact([&](Transaction& tx) -> Status {
    auto claimed = tx.outbox().Claim(kT0 + 1, kT0 + 1, 60'000, "tester", 10);
    if (!claimed.ok()) return claimed.status();
    if (claimed->size() != 4) return Status::Internal("expected 4 claimed");
    for (const auto& [id, outcome, at] :
         {std::tuple<const char*, const char*, TimestampMs>{"m-old", "sent", kT0 + 100},
          {"m-new", "sent", kT0 + 500},
          {"m-failed", "failed", kT0 + 100}}) {
      PARCOURS_RETURN_IF_ERROR(
          tx.outbox().Finish(id, "tester", OutboxAttemptRecord{id, at, outcome, "250 ok"}, at));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();

  std::int64_t n = -1;
  ASSERT_TRUE(store_
                  ->Transact([&](Transaction& tx) -> Status {
                    auto r = tx.retention().EraseSentMessagePayloads(kT0 + 500);
                    if (!r.ok()) return r.status();
                    n = *r;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(n, 1);
  auto find = [&](const char* id) {
    OutboxMessageRecord out;
    Status read = store_->Read([&](Transaction& tx) -> Status {
      auto r = tx.outbox().Find(id);
      if (!r.ok()) return r.status();
      if (!*r) return Status::NotFound(id);
      out = **r;
      return Status::Ok();
    });
    EXPECT_TRUE(read.ok()) << read.ToString();
    return out;
  };
  const OutboxMessageRecord old_sent = find("m-old");
  EXPECT_TRUE(old_sent.payload_sealed.empty());
  EXPECT_EQ(old_sent.status, "sent");
  EXPECT_EQ(old_sent.dedupe_key, "test/m-old");  // still there: no resend
  EXPECT_EQ(find("m-new").payload_sealed, (std::vector<unsigned char>{4, 5, 6}));
  EXPECT_EQ(find("m-failed").payload_sealed, (std::vector<unsigned char>{4, 5, 6}));
  EXPECT_EQ(find("m-pending").payload_sealed, (std::vector<unsigned char>{4, 5, 6}));
  // A second run finds nothing left.
  ASSERT_TRUE(store_
                  ->Transact([&](Transaction& tx) -> Status {
                    auto r = tx.retention().EraseSentMessagePayloads(kT0 + 500);
                    if (!r.ok()) return r.status();
                    n = *r;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(n, 0);
}

}  // namespace
}  // namespace parcours::storage
