// Outbox repository conformance: the same tests on SQLite and PostgreSQL
// (test_database.h picks the backend). Each test starts from an empty,
// migrated database. Concurrency tests open the database twice, like two
// server instances (two processes on one SQLite file, two pools on one
// PostgreSQL).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/outbox_repository.h"
#include "storage/storage.h"
#include "test_database.h"

namespace parcours::storage {
namespace {

using test_support::TestDatabase;

constexpr TimestampMs kT0 = 1764400000000;  // 2025-11-29
constexpr std::int64_t kLease = 60000;

OutboxMessageRecord Message(const std::string& id, TimestampMs due,
                            const std::string& territory = "normandie") {
  OutboxMessageRecord m;
  m.id = id;
  m.dedupe_key = "alert/" + id + "/created/u1/email";
  m.channel = "email";
  m.kind = "alert_new";
  m.territory_code = territory;
  m.payload_sealed = {1, 2, 3, 0, 255};
  m.created_at = kT0;
  m.next_attempt_at = due;
  return m;
}

OutboxAttemptRecord Attempt(const std::string& id, TimestampMs at, const std::string& outcome,
                            const std::string& detail = "250 ok") {
  return OutboxAttemptRecord{id, at, outcome, detail};
}

class OutboxConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.setup().ok()) << db_.setup().ToString();
    store_ = Open();
    ASSERT_TRUE(store_);
    auto v = store_->Migrate();
    ASSERT_TRUE(v.ok()) << v.status().ToString();
  }

  std::unique_ptr<Storage> Open() {
    auto s = OpenStorage(db_.url(), 4);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  Result<bool> Enqueue(const OutboxMessageRecord& m, Storage* s = nullptr) {
    bool inserted = false;
    Status st = (s ? s : store_.get())->Transact([&](Transaction& tx) -> Status {
      auto r = tx.outbox().Enqueue(m);
      if (!r.ok()) return r.status();
      inserted = *r;
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return inserted;
  }

  std::vector<OutboxMessageRecord> Claim(TimestampMs due_before, TimestampMs lease_now,
                                         const std::string& owner, int limit,
                                         Storage* s = nullptr) {
    std::vector<OutboxMessageRecord> out;
    Status st = (s ? s : store_.get())->Transact([&](Transaction& tx) -> Status {
      auto r = tx.outbox().Claim(due_before, lease_now, kLease, owner, limit);
      if (!r.ok()) return r.status();
      out = std::move(*r);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  Status Finish(const std::string& id, const std::string& owner, const OutboxAttemptRecord& a,
                TimestampMs next = 0, Storage* s = nullptr) {
    return (s ? s : store_.get())->Transact([&](Transaction& tx) {
      return tx.outbox().Finish(id, owner, a, next);
    });
  }

  std::optional<OutboxMessageRecord> Find(const std::string& id) {
    std::optional<OutboxMessageRecord> out;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      auto r = tx.outbox().Find(id);
      if (!r.ok()) return r.status();
      out = std::move(*r);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  std::vector<OutboxAttemptRecord> Attempts(const std::string& id) {
    std::vector<OutboxAttemptRecord> out;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      auto r = tx.outbox().Attempts(id);
      if (!r.ok()) return r.status();
      out = std::move(*r);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  std::vector<OutboxMessageRecord> List(const OutboxQuery& q) {
    std::vector<OutboxMessageRecord> out;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      auto r = tx.outbox().List(q);
      if (!r.ok()) return r.status();
      out = std::move(*r);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  static std::vector<std::string> Ids(const std::vector<OutboxMessageRecord>& v) {
    std::vector<std::string> out;
    for (const auto& m : v) out.push_back(m.id);
    return out;
  }

  TestDatabase db_;
  std::unique_ptr<Storage> store_;
};

TEST_F(OutboxConformance, RoundTripsEveryFieldAndDedupes) {
  OutboxMessageRecord m = Message("m1", kT0 + 5);
  m.sent_at = std::nullopt;
  auto first = Enqueue(m);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(*first);
  EXPECT_EQ(Find("m1"), m);
  EXPECT_EQ(Find("m2"), std::nullopt);

  // Same cause, recipient and channel: not inserted, the first one kept.
  OutboxMessageRecord again = Message("m2", kT0);
  again.dedupe_key = m.dedupe_key;
  auto r = Enqueue(again);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(*r);
  EXPECT_EQ(Find("m2"), std::nullopt);
  EXPECT_EQ(Find("m1"), m);
  EXPECT_EQ(List({}).size(), 1u);
}

TEST_F(OutboxConformance, AMessageIsPartOfItsCausesTransaction) {
  // The cause fails after the message was written: neither is kept.
  Status st = store_->Transact([&](Transaction& tx) -> Status {
    auto r = tx.outbox().Enqueue(Message("m1", kT0));
    if (!r.ok()) return r.status();
    return Status::Conflict("the cause failed");
  });
  EXPECT_EQ(st.code(), StatusCode::kConflict);
  EXPECT_EQ(Find("m1"), std::nullopt);
}

TEST_F(OutboxConformance, ConcurrentEnqueuesOfOneCauseKeepOne) {
  auto other = Open();
  ASSERT_TRUE(other);
  std::atomic<int> inserted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      OutboxMessageRecord m = Message("m" + std::to_string(i), kT0);
      m.dedupe_key = "escalation/a1/1";
      auto r = Enqueue(m, i % 2 ? other.get() : store_.get());
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      if (r.ok() && *r) ++inserted;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(inserted.load(), 1);
  EXPECT_EQ(List({}).size(), 1u);
}

TEST_F(OutboxConformance, ClaimTakesDueMessagesOldestFirstAndLeasesThem) {
  ASSERT_TRUE(Enqueue(Message("b", kT0 + 20)).ok());
  ASSERT_TRUE(Enqueue(Message("a", kT0 + 10)).ok());
  ASSERT_TRUE(Enqueue(Message("c", kT0 + 30)).ok());
  ASSERT_TRUE(Enqueue(Message("later", kT0 + 1000)).ok());

  // `due_before` (possibly simulated) decides what is due; the lease runs
  // on `lease_now` (the real clock).
  const TimestampMs real = 5000;
  auto got = Claim(kT0 + 30, real, "w1", 2);
  EXPECT_EQ(Ids(got), (std::vector<std::string>{"a", "b"}));
  for (const auto& m : got) {
    EXPECT_EQ(m.lease_owner, "w1");
    EXPECT_EQ(m.lease_until, real + kLease);
    EXPECT_EQ(m.status, "pending");
  }
  EXPECT_EQ(Find("a")->lease_owner, "w1");
  // Leased messages are not handed to anyone else while the lease runs.
  EXPECT_EQ(Ids(Claim(kT0 + 30, real + 1, "w2", 10)), (std::vector<std::string>{"c"}));
  EXPECT_TRUE(Claim(kT0 + 30, real + kLease - 1, "w2", 10).empty());
  // Once it expired, they are due again, for another claimer.
  auto again = Claim(kT0 + 30, real + kLease, "w2", 10);
  EXPECT_EQ(Ids(again), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Find("b")->lease_owner, "w2");
  // And the original owner can no longer finish them.
  Status late = Finish("a", "w1", Attempt("a", real + kLease + 5, "sent"));
  EXPECT_EQ(late.code(), StatusCode::kConflict) << late.ToString();
  EXPECT_EQ(Find("a")->status, "pending");
  EXPECT_TRUE(Attempts("a").empty());
}

TEST_F(OutboxConformance, TwoInstancesClaimingNeverGetTheSameMessage) {
  constexpr int kMessages = 300;
  for (int i = 0; i < kMessages; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "m%04d", i);
    ASSERT_TRUE(Enqueue(Message(id, kT0 + i)).ok());
  }
  auto other = Open();
  ASSERT_TRUE(other);
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      Storage* s = w % 2 ? other.get() : store_.get();
      const std::string owner = "w" + std::to_string(w);
      for (;;) {
        auto batch = Claim(kT0 + kMessages, 1000, owner, 7, s);
        if (batch.empty()) break;
        for (const auto& m : batch) {
          EXPECT_EQ(m.lease_owner, owner);
          got[static_cast<std::size_t>(w)].push_back(m.id);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  std::multiset<std::string> all;
  for (const auto& g : got) all.insert(g.begin(), g.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kMessages));
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(),
            static_cast<std::size_t>(kMessages));
  for (int w = 0; w < 4; ++w) {
    for (const auto& id : got[static_cast<std::size_t>(w)]) {
      EXPECT_EQ(Find(id)->lease_owner, "w" + std::to_string(w)) << id;
    }
  }
}

TEST_F(OutboxConformance, FinishRecordsTheAttemptAndTheNewState) {
  for (const char* id : {"sent", "retry", "failed"}) ASSERT_TRUE(Enqueue(Message(id, kT0)).ok());
  ASSERT_EQ(Claim(kT0, 100, "w1", 10).size(), 3u);

  // Only the lease holder may finish.
  Status stranger = Finish("sent", "w2", Attempt("sent", 200, "sent"));
  EXPECT_EQ(stranger.code(), StatusCode::kConflict) << stranger.ToString();

  ASSERT_TRUE(Finish("sent", "w1", Attempt("sent", 200, "sent", "250 2.0.0 queued")).ok());
  auto sent = Find("sent");
  EXPECT_EQ(sent->status, "sent");
  EXPECT_EQ(sent->sent_at, 200);
  EXPECT_EQ(sent->attempts, 1);
  EXPECT_EQ(sent->lease_owner, std::nullopt);
  EXPECT_EQ(sent->last_error, std::nullopt);
  EXPECT_EQ(Attempts("sent"),
            (std::vector<OutboxAttemptRecord>{Attempt("sent", 200, "sent", "250 2.0.0 queued")}));
  // Done: a second Finish is refused, and it is never claimed again.
  EXPECT_EQ(Finish("sent", "w1", Attempt("sent", 201, "sent")).code(), StatusCode::kConflict);

  ASSERT_TRUE(
      Finish("retry", "w1", Attempt("retry", 200, "retry", "451 try later"), kT0 + 60000).ok());
  auto retry = Find("retry");
  EXPECT_EQ(retry->status, "pending");
  EXPECT_EQ(retry->next_attempt_at, kT0 + 60000);
  EXPECT_EQ(retry->attempts, 1);
  EXPECT_EQ(retry->lease_owner, std::nullopt);
  EXPECT_EQ(retry->lease_until, 0);
  EXPECT_EQ(retry->last_error, "451 try later");
  // Not due before its next attempt, due then (its lease was released).
  EXPECT_TRUE(Claim(kT0 + 59999, 300, "w2", 10).empty());
  EXPECT_EQ(Ids(Claim(kT0 + 60000, 300, "w2", 10)), (std::vector<std::string>{"retry"}));

  ASSERT_TRUE(Finish("failed", "w1", Attempt("failed", 200, "failed", "550 no such user")).ok());
  auto failed = Find("failed");
  EXPECT_EQ(failed->status, "failed");
  EXPECT_EQ(failed->last_error, "550 no such user");
  EXPECT_EQ(failed->sent_at, std::nullopt);
  EXPECT_TRUE(Claim(kT0 + 1000000, 400, "w3", 10).empty());

  EXPECT_FALSE(Finish("retry", "w2", Attempt("retry", 500, "bounced")).ok());
}

TEST_F(OutboxConformance, StartsCountSendsBegunByTheLeaseHolder) {
  ASSERT_TRUE(Enqueue(Message("m1", kT0)).ok());
  EXPECT_EQ(
      store_->Transact([](Transaction& tx) { return tx.outbox().MarkStarted("m1", "w1"); }).code(),
      StatusCode::kConflict);  // not claimed
  ASSERT_EQ(Claim(kT0, 100, "w1", 10).size(), 1u);
  ASSERT_TRUE(
      store_->Transact([](Transaction& tx) { return tx.outbox().MarkStarted("m1", "w1"); }).ok());
  EXPECT_EQ(
      store_->Transact([](Transaction& tx) { return tx.outbox().MarkStarted("m1", "w2"); }).code(),
      StatusCode::kConflict);
  // The sender crashed: the lease expires, the next claimer sees one send
  // begun and none finished.
  auto again = Claim(kT0, 100 + kLease, "w2", 10);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].starts, 1);
  EXPECT_EQ(again[0].attempts, 0);
}

TEST_F(OutboxConformance, RetryPutsAFailedMessageBackWithAFreshBudget) {
  ASSERT_TRUE(Enqueue(Message("m1", kT0)).ok());
  ASSERT_TRUE(Enqueue(Message("m2", kT0)).ok());
  ASSERT_EQ(Claim(kT0, 100, "w1", 10).size(), 2u);
  ASSERT_TRUE(
      store_->Transact([](Transaction& tx) { return tx.outbox().MarkStarted("m1", "w1"); }).ok());
  ASSERT_TRUE(Finish("m1", "w1", Attempt("m1", 200, "failed", "550 refused")).ok());

  auto retry = [&](const std::string& id, TimestampMs now) {
    return store_->Transact([&](Transaction& tx) { return tx.outbox().Retry(id, now); });
  };
  EXPECT_EQ(retry("m2", kT0 + 5).code(), StatusCode::kConflict);  // pending, not failed
  EXPECT_EQ(retry("nope", kT0 + 5).code(), StatusCode::kNotFound);
  ASSERT_TRUE(retry("m1", kT0 + 500).ok());
  auto m = Find("m1");
  EXPECT_EQ(m->status, "pending");
  EXPECT_EQ(m->next_attempt_at, kT0 + 500);
  EXPECT_EQ(m->attempts, 0);
  EXPECT_EQ(m->starts, 0);
  EXPECT_EQ(Attempts("m1").size(), 1u);  // history kept
  EXPECT_EQ(Ids(Claim(kT0 + 500, 300, "w2", 10)), (std::vector<std::string>{"m1"}));
}

TEST_F(OutboxConformance, ListsByStatusAndTerritoryNewestFirst) {
  OutboxMessageRecord a = Message("a", kT0, "normandie");
  OutboxMessageRecord b = Message("b", kT0, "martinique");
  OutboxMessageRecord c = Message("c", kT0, "normandie");
  c.created_at = kT0 + 1;
  for (const auto& m : {a, b, c}) ASSERT_TRUE(Enqueue(m).ok());
  ASSERT_EQ(Ids(Claim(kT0, 100, "w1", 1)), (std::vector<std::string>{"a"}));
  ASSERT_TRUE(Finish("a", "w1", Attempt("a", 200, "failed", "550")).ok());

  EXPECT_EQ(Ids(List({})), (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_EQ(Ids(List({.status = "failed"})), (std::vector<std::string>{"a"}));
  EXPECT_EQ(Ids(List({.status = "pending", .territory = "normandie"})),
            (std::vector<std::string>{"c"}));
  EXPECT_EQ(Ids(List({.territory = "martinique"})), (std::vector<std::string>{"b"}));
  EXPECT_EQ(Ids(List({.limit = 1})), (std::vector<std::string>{"c"}));
}

TEST_F(OutboxConformance, AJobSlotIsClaimedOnceAcrossInstances) {
  auto other = Open();
  ASSERT_TRUE(other);
  std::atomic<int> won{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Storage* s = i % 2 ? other.get() : store_.get();
      Status st = s->Transact([&](Transaction& tx) -> Status {
        auto r = tx.outbox().ClaimJobSlot("digest", "2025-11-29", kT0 + i);
        if (!r.ok()) return r.status();
        if (*r) ++won;
        return Status::Ok();
      });
      EXPECT_TRUE(st.ok()) << st.ToString();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  // Another slot or another job is a new claim.
  bool next = false, other_job = false;
  ASSERT_TRUE(store_
                  ->Transact([&](Transaction& tx) -> Status {
                    auto a = tx.outbox().ClaimJobSlot("digest", "2025-11-30", kT0);
                    auto b = tx.outbox().ClaimJobSlot("purge", "2025-11-29", kT0);
                    if (!a.ok()) return a.status();
                    if (!b.ok()) return b.status();
                    next = *a;
                    other_job = *b;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(next);
  EXPECT_TRUE(other_job);
}

}  // namespace
}  // namespace parcours::storage
