// Retention conformance (issue 12): erasing the contacts of alerts closed
// before the retention limit removes what is due and nothing else, on
// SQLite and PostgreSQL (test_database.h picks the backend).
#include <gtest/gtest.h>

#include <memory>
#include <string>

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

class RetentionConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.setup().ok()) << db_.setup().ToString();
    auto s = OpenStorage(db_.url(), 4);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    auto v = store_->Migrate();
    ASSERT_TRUE(v.ok()) << v.status().ToString();
  }
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

  TestDatabase db_;
  std::unique_ptr<Storage> store_;
};

TEST_F(RetentionConformance, ErasesContactsOfAlertsClosedBeforeTheLimitOnly) {
  const AlertRecord old_closed = Alert("a-old-closed", "closed", kT0 + 100);
  const AlertRecord new_closed = Alert("a-new-closed", "closed", kT0 + 500);
  const AlertRecord old_open = Alert("a-old-open", "in_contact", kT0 + 100);
  ASSERT_TRUE(store_->Transact([&](Transaction& tx) -> Status {
                      PARCOURS_RETURN_IF_ERROR(tx.InsertAlert(old_closed));
                      PARCOURS_RETURN_IF_ERROR(tx.InsertAlert(new_closed));
                      return tx.InsertAlert(old_open);
                    }).ok());
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

}  // namespace
}  // namespace parcours::storage
