// PostgreSQL-only behaviour (pool, reconnection, concurrent migrations).
// The PostgresPool tests are skipped unless PARCOURS_TEST_DATABASE names a
// PostgreSQL server (scripts/with-postgres.sh); the PostgresBackend ones need
// no server.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/migrations.h"
#include "storage/postgres/postgres_storage.h"
#include "storage/storage.h"
#include "test_database.h"

namespace parcours::storage {
namespace {

using test_support::TestDatabase;

class PostgresPool : public ::testing::Test {
 protected:
  void SetUp() override {
    if (db_.kind() != TestDatabase::Kind::kPostgres) {
      GTEST_SKIP() << "PARCOURS_TEST_DATABASE is not a PostgreSQL URL";
    }
    ASSERT_TRUE(db_.setup().ok()) << db_.setup().ToString();
  }

  std::unique_ptr<Storage> Open(int pool_size) {
    auto s = OpenPostgres(db_.url(), pool_size);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  static Status InsertAudit(Storage& s, const std::string& subject) {
    return s.Transact([&](Transaction& tx) {
      AuditEntry e;
      e.at = 1;
      e.actor = "system";
      e.action = "create";
      e.subject_type = "test";
      e.subject_id = subject;
      auto id = tx.AppendAudit(e);
      return id.ok() ? Status::Ok() : id.status();
    });
  }

  static int CountAudit(Storage& s, const std::string& subject) {
    int n = -1;
    Status st = s.Read([&](Transaction& tx) {
      auto r = tx.ListAudit("test", subject);
      if (!r.ok()) return r.status();
      n = static_cast<int>(r->size());
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return n;
  }

  TestDatabase db_;
};

TEST_F(PostgresPool, ConcurrentMigrationsApplyEachMigrationOnce) {
  constexpr int kInstances = 4;
  std::vector<std::unique_ptr<Storage>> stores;
  for (int i = 0; i < kInstances; ++i) stores.push_back(Open(2));
  int latest = 0;
  for (const Migration& m : PostgresMigrations()) latest = std::max(latest, m.version);
  std::vector<Result<int>> results(kInstances, Result<int>(0));
  std::vector<std::thread> threads;
  for (int i = 0; i < kInstances; ++i) {
    threads.emplace_back([&, i] { results[i] = stores[i]->Migrate(); });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(*r, latest);
  }
  auto v = stores[0]->SchemaVersion();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, latest);
}

TEST_F(PostgresPool, WaitsWhenExhaustedAndNeverExceedsItsSize) {
  auto store = Open(2);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Migrate().ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  // Writes share the group-commit executor's connection; reads take their own.
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 30; ++i) {
        if (!InsertAudit(*store, "pool").ok()) ++failures;
        if (CountAudit(*store, "pool") < 1) ++failures;
        if (store->Stats().in_use > 2) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  Storage::PoolStats s = store->Stats();
  EXPECT_EQ(s.size, 2);
  EXPECT_EQ(s.in_use, 0);
  EXPECT_GT(s.waits, 0);
  EXPECT_GT(s.commits, 0);
  EXPECT_LE(s.commits, 180);
  EXPECT_EQ(CountAudit(*store, "pool"), 180);
}

TEST_F(PostgresPool, RecoversWhenTheServerClosesItsConnections) {
  auto store = Open(3);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Migrate().ok());
  // Open several pooled connections.
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] { ASSERT_TRUE(InsertAudit(*store, "before").ok()); });
  }
  for (auto& th : threads) th.join();

  // The server drops every connection of this test (as on a restart).
  Status killed = ExecPostgresAdmin(
      db_.admin_url(),
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" +
          db_.schema() + "' AND pid <> pg_backend_pid()");
  ASSERT_TRUE(killed.ok()) << killed.ToString();

  EXPECT_TRUE(store->Ping().ok());
  Status st = InsertAudit(*store, "after");
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(CountAudit(*store, "before"), 3);
  EXPECT_EQ(CountAudit(*store, "after"), 1);
  EXPECT_EQ(store->Stats().in_use, 0);
}

TEST_F(PostgresPool, ConnectionLostMidTransactionIsUnavailableAndLeavesNothing) {
  auto store = Open(2);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Migrate().ok());
  std::string admin = db_.admin_url();
  std::string app = db_.schema();
  Status st = store->Transact([&](Transaction& tx) {
    AuditEntry e;
    e.actor = "system";
    e.action = "create";
    e.subject_type = "test";
    e.subject_id = "lost";
    auto id = tx.AppendAudit(e);
    if (!id.ok()) return id.status();
    PARCOURS_RETURN_IF_ERROR(ExecPostgresAdmin(
        admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" +
                   app + "'"));
    id = tx.AppendAudit(e);
    return id.ok() ? Status::Ok() : id.status();
  });
  EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st.ToString();
  EXPECT_EQ(CountAudit(*store, "lost"), 0);
  EXPECT_EQ(store->Stats().in_use, 0);
}

TEST_F(PostgresPool, TextWithNulIsRejectedNotTruncated) {
  auto store = Open(1);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Migrate().ok());
  Status st = store->Transact([](Transaction& tx) {
    AuditEntry e;
    e.subject_type = "test";
    e.subject_id = std::string("nul\0inside", 10);
    auto id = tx.AppendAudit(e);
    return id.ok() ? Status::Ok() : id.status();
  });
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.ToString();
  EXPECT_EQ(CountAudit(*store, "nul"), 0);
}

// Two group-commit batches (two executors) lock two rows in opposite
// orders: the server kills one with "deadlock detected" (40P01); that batch
// is rolled back and run again, and both callers succeed, each write kept
// once.
TEST_F(PostgresPool, GroupCommitRetriesABatchThatLostADeadlock) {
  auto store = Open(4);  // 2 executors, each with its own connection
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Migrate().ok());
  ASSERT_TRUE(store
                  ->Transact([](Transaction& tx) {
                    PARCOURS_RETURN_IF_ERROR(tx.PutSetting("deadlock.a", "0"));
                    return tx.PutSetting("deadlock.b", "0");
                  })
                  .ok());
  std::atomic<bool> a_locked{false};
  std::atomic<bool> b_locked{false};
  std::atomic<int> runs_first{0};
  std::atomic<int> runs_second{0};
  // Waits (bounded) for the other caller's first lock; a run after the
  // first goes straight on.
  auto await = [](const std::atomic<bool>& flag) {
    for (int i = 0; i < 1000 && !flag.load(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  };
  Status first;
  Status second;
  std::thread t1([&] {
    first = store->Transact([&](Transaction& tx) {
      ++runs_first;
      PARCOURS_RETURN_IF_ERROR(tx.PutSetting("deadlock.a", "first"));
      a_locked = true;
      await(b_locked);
      return tx.PutSetting("deadlock.b", "first");
    });
  });
  await(a_locked);  // the first caller's batch is running: the second gets the other executor
  ASSERT_TRUE(a_locked.load());
  std::thread t2([&] {
    second = store->Transact([&](Transaction& tx) {
      ++runs_second;
      PARCOURS_RETURN_IF_ERROR(tx.PutSetting("deadlock.b", "second"));
      b_locked = true;
      return tx.PutSetting("deadlock.a", "second");
    });
  });
  t1.join();
  t2.join();
  EXPECT_TRUE(first.ok()) << first.ToString();
  EXPECT_TRUE(second.ok()) << second.ToString();
  // Exactly one of them lost the deadlock and ran again.
  EXPECT_EQ(runs_first.load() + runs_second.load(), 3);
  // Both rows hold the value of whichever caller committed last, the same one.
  std::optional<std::string> a;
  std::optional<std::string> b;
  ASSERT_TRUE(store
                  ->Read([&](Transaction& tx) {
                    auto ra = tx.GetSetting("deadlock.a");
                    auto rb = tx.GetSetting("deadlock.b");
                    if (!ra.ok()) return ra.status();
                    if (!rb.ok()) return rb.status();
                    a = *ra;
                    b = *rb;
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*a, runs_first.load() == 2 ? "first" : "second");
}

TEST(PostgresBackend, UnreachableServerIsUnavailable) {
  // Port 1 on loopback: nothing listens there.
  auto store = OpenPostgres("postgresql://parcours@127.0.0.1:1/parcours_test?connect_timeout=2", 2);
  ASSERT_TRUE(store.ok()) << "opening is lazy: " << store.status().ToString();
  EXPECT_EQ((*store)->Ping().code(), StatusCode::kUnavailable);
  EXPECT_EQ((*store)->Migrate().status().code(), StatusCode::kUnavailable);
  Status st = (*store)->Transact([](Transaction&) { return Status::Ok(); });
  EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st.ToString();
  st = (*store)->Read([](Transaction&) { return Status::Ok(); });
  EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st.ToString();
  EXPECT_EQ((*store)->Stats().in_use, 0);
}

TEST(PostgresBackend, MalformedUrlIsInvalidArgument) {
  auto store = OpenPostgres("postgresql://[::1/x", 2);
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument) << store.status().ToString();
}

}  // namespace
}  // namespace parcours::storage
