// Account repository conformance: the same tests on SQLite and PostgreSQL
// (test_database.h picks the backend). Each test starts from an empty,
// migrated database.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "storage/account_repository.h"
#include "storage/storage.h"
#include "test_database.h"

namespace parcours::storage {
namespace {

using test_support::TestDatabase;

UserRecord User(std::string id, std::string email, std::string role,
                std::vector<std::string> territories) {
  UserRecord u;
  u.id = std::move(id);
  u.email = std::move(email);
  u.name = "Élise Ünal-O'Brien";
  u.role = std::move(role);
  u.territories = std::move(territories);
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  u.created_at = u.updated_at = 1754300000000;
  return u;
}

class AccountConformance : public test_support::MigratedStorageTest {
 protected:
  Status Write(const std::function<Status(AccountRepository&)>& fn) {
    return store_->Transact([&](Transaction& tx) { return fn(tx.accounts()); });
  }
  void MustWrite(const std::function<Status(AccountRepository&)>& fn) {
    Status st = Write(fn);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  void Read(const std::function<Status(AccountRepository&)>& fn) {
    Status st = store_->Read([&](Transaction& tx) { return fn(tx.accounts()); });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  std::optional<UserRecord> Find(const std::string& id) {
    std::optional<UserRecord> out;
    Read([&](AccountRepository& a) -> Status {
      auto v = a.FindUser(id);
      if (!v.ok()) return v.status();
      out = *v;
      return Status::Ok();
    });
    return out;
  }
  std::vector<std::string> ListIds(const UserFilter& f) {
    std::vector<std::string> ids;
    Read([&](AccountRepository& a) -> Status {
      auto v = a.ListUsers(f);
      if (!v.ok()) return v.status();
      for (const auto& u : *v) ids.push_back(u.id);
      return Status::Ok();
    });
    return ids;
  }
};

TEST_F(AccountConformance, UserRoundTripUpdateAndLookups) {
  UserRecord u = User("01j9zq4b7s0000000000000000", "elise@example.org", "coordinator",
                      {"hauts-de-france", "normandie"});
  u.sub_territories = {"hdf-ptsm-lille"};
  u.phone = "+33612345678";
  u.totp_sealed = {0, 1, 2, 255, 0, 7};
  u.totp_last_step = 58000000;
  u.last_login_at = 1754300000999;
  MustWrite([&](AccountRepository& a) { return a.InsertUser(u); });
  EXPECT_EQ(Find(u.id), u);

  std::optional<UserRecord> by_email;
  Read([&](AccountRepository& a) -> Status {
    auto v = a.FindUserByEmail("elise@example.org");
    if (!v.ok()) return v.status();
    by_email = *v;
    return Status::Ok();
  });
  EXPECT_EQ(by_email, u);
  EXPECT_EQ(Find("nobody"), std::nullopt);

  UserRecord changed = u;
  changed.name = "Élise Martin";
  changed.territories = {"occitanie"};
  changed.sub_territories = {};
  changed.phone.reset();
  changed.totp_sealed.clear();
  changed.totp_enrolled = true;
  changed.disabled = true;
  changed.updated_at = u.updated_at + 5;
  changed.last_login_at.reset();
  MustWrite([&](AccountRepository& a) { return a.UpdateUser(changed); });
  EXPECT_EQ(Find(u.id), changed);
  // The territory index follows the update.
  EXPECT_EQ(ListIds({{"hauts-de-france"}, {}, false}), std::vector<std::string>{});
  EXPECT_EQ(ListIds({{"occitanie"}, {}, false}), std::vector<std::string>{u.id});

  UserRecord ghost = User("ghost", "ghost@example.org", "admin", {});
  Status st = Write([&](AccountRepository& a) { return a.UpdateUser(ghost); });
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
}

TEST_F(AccountConformance, DuplicateEmailOrIdIsConflictAndWritesNothing) {
  MustWrite([&](AccountRepository& a) {
    return a.InsertUser(User("a", "x@example.org", "responder", {"martinique"}));
  });
  Status st = Write([&](AccountRepository& a) {
    return a.InsertUser(User("b", "x@example.org", "responder", {"normandie"}));
  });
  EXPECT_EQ(st.code(), StatusCode::kConflict);
  st = Write([&](AccountRepository& a) {
    return a.InsertUser(User("a", "y@example.org", "responder", {"normandie"}));
  });
  EXPECT_EQ(st.code(), StatusCode::kConflict);
  EXPECT_EQ(Find("b"), std::nullopt);
  EXPECT_EQ(ListIds({{"normandie"}, {}, false}), std::vector<std::string>{});
}

TEST_F(AccountConformance, ListUsersFiltersAndOrder) {
  MustWrite([&](AccountRepository& a) -> Status {
    PARCOURS_RETURN_IF_ERROR(a.InsertUser(User("u3", "c@example.org", "responder", {"normandie"})));
    PARCOURS_RETURN_IF_ERROR(
        a.InsertUser(User("u1", "a@example.org", "coordinator", {"normandie", "occitanie"})));
    UserRecord off = User("u2", "b@example.org", "responder", {"occitanie"});
    off.disabled = true;
    PARCOURS_RETURN_IF_ERROR(a.InsertUser(off));
    return a.InsertUser(User("u4", "d@example.org", "national", {}));
  });
  EXPECT_EQ(ListIds({}), (std::vector<std::string>{"u1", "u2", "u3", "u4"}));
  EXPECT_EQ(ListIds({{"occitanie"}, {}, false}), (std::vector<std::string>{"u1", "u2"}));
  EXPECT_EQ(ListIds({{"occitanie"}, {}, true}), (std::vector<std::string>{"u1"}));
  EXPECT_EQ(ListIds({{"normandie", "occitanie"}, std::string("responder"), false}),
            (std::vector<std::string>{"u2", "u3"}));
  EXPECT_EQ(ListIds({{"martinique"}, {}, false}), std::vector<std::string>{});

  std::int64_t n_norm = -1, n_occ = -1, n_coord = -1;
  Read([&](AccountRepository& a) -> Status {
    auto v = a.CountActiveUsers("normandie", {"responder", "coordinator"});
    if (!v.ok()) return v.status();
    n_norm = *v;
    v = a.CountActiveUsers("occitanie", {"responder"});
    if (!v.ok()) return v.status();
    n_occ = *v;
    v = a.CountActiveUsers("occitanie", {"coordinator"});
    if (!v.ok()) return v.status();
    n_coord = *v;
    return Status::Ok();
  });
  EXPECT_EQ(n_norm, 2);
  EXPECT_EQ(n_occ, 0);  // the responder there is disabled
  EXPECT_EQ(n_coord, 1);
}

TEST_F(AccountConformance, SessionsLifecycle) {
  MustWrite([&](AccountRepository& a) {
    return a.InsertUser(User("u1", "a@example.org", "responder", {"normandie"}));
  });
  SessionRecord s{"h1", "u1", "full", "csrf-1", 1000, 1000, 1000 + 12 * 3600 * 1000};
  SessionRecord old{"h2", "u1", "enrolment", "csrf-2", 10, 10, 500};
  MustWrite([&](AccountRepository& a) -> Status {
    PARCOURS_RETURN_IF_ERROR(a.InsertSession(s));
    return a.InsertSession(old);
  });
  EXPECT_EQ(Write([&](AccountRepository& a) { return a.InsertSession(s); }).code(),
            StatusCode::kConflict);
  std::optional<SessionRecord> got;
  Read([&](AccountRepository& a) -> Status {
    auto v = a.FindSession("h1");
    if (!v.ok()) return v.status();
    got = *v;
    return Status::Ok();
  });
  EXPECT_EQ(got, s);

  MustWrite([&](AccountRepository& a) { return a.TouchSession("h1", 2000); });
  EXPECT_EQ(Write([&](AccountRepository& a) { return a.TouchSession("nope", 2000); }).code(),
            StatusCode::kNotFound);
  Read([&](AccountRepository& a) -> Status {
    auto v = a.FindSession("h1");
    if (!v.ok()) return v.status();
    got = *v;
    return Status::Ok();
  });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->last_seen_at, 2000);

  // Expiry sweep: h2 passed its absolute limit; h1 is kept.
  std::int64_t removed = -1;
  MustWrite([&](AccountRepository& a) -> Status {
    auto v = a.DeleteExpiredSessions(600, 100);
    if (!v.ok()) return v.status();
    removed = *v;
    return Status::Ok();
  });
  EXPECT_EQ(removed, 1);
  // Idle sweep: last seen before 2500 → gone.
  MustWrite([&](AccountRepository& a) -> Status {
    auto v = a.DeleteExpiredSessions(600, 2500);
    if (!v.ok()) return v.status();
    removed = *v;
    return Status::Ok();
  });
  EXPECT_EQ(removed, 1);

  MustWrite([&](AccountRepository& a) -> Status {
    PARCOURS_RETURN_IF_ERROR(a.InsertSession(s));
    SessionRecord t = s;
    t.token_hash = "h3";
    PARCOURS_RETURN_IF_ERROR(a.InsertSession(t));
    return a.DeleteSession("h3");
  });
  MustWrite([&](AccountRepository& a) { return a.DeleteSession("never-existed"); });
  MustWrite([&](AccountRepository& a) -> Status {
    auto v = a.DeleteUserSessions("u1");
    if (!v.ok()) return v.status();
    removed = *v;
    return Status::Ok();
  });
  EXPECT_EQ(removed, 1);
  Read([&](AccountRepository& a) -> Status {
    auto v = a.FindSession("h1");
    if (!v.ok()) return v.status();
    got = *v;
    return Status::Ok();
  });
  EXPECT_EQ(got, std::nullopt);
}

TEST_F(AccountConformance, LoginThrottleCountsAtomically) {
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      Status st = Write([&](AccountRepository& a) -> Status {
        auto v = a.AddLoginFailure("x@example.org", 100 + i);
        return v.ok() ? Status::Ok() : v.status();
      });
      if (!st.ok()) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::optional<LoginThrottleRecord> row;
  Read([&](AccountRepository& a) -> Status {
    auto v = a.FindLoginThrottle("x@example.org");
    if (!v.ok()) return v.status();
    row = *v;
    return Status::Ok();
  });
  ASSERT_TRUE(row);
  EXPECT_EQ(row->failures, kThreads);
  EXPECT_EQ(row->lockouts, 0);
  EXPECT_EQ(row->locked_until, 0);

  LoginThrottleRecord after;
  MustWrite([&](AccountRepository& a) -> Status {
    PARCOURS_RETURN_IF_ERROR(a.LockLogin("x@example.org", 99999, 2));
    auto v = a.AddLoginFailure("x@example.org", 5000);
    if (!v.ok()) return v.status();
    after = *v;
    return Status::Ok();
  });
  EXPECT_EQ(after, (LoginThrottleRecord{"x@example.org", kThreads + 1, 2, 99999, 5000}));
  EXPECT_EQ(Write([&](AccountRepository& a) { return a.LockLogin("unknown", 1, 1); }).code(),
            StatusCode::kNotFound);
  MustWrite([&](AccountRepository& a) { return a.ClearLoginThrottle("x@example.org"); });
  Read([&](AccountRepository& a) -> Status {
    auto v = a.FindLoginThrottle("x@example.org");
    if (!v.ok()) return v.status();
    row = *v;
    return Status::Ok();
  });
  EXPECT_EQ(row, std::nullopt);
}

TEST_F(AccountConformance, OneTimeTokensAreSingleUse) {
  MustWrite([&](AccountRepository& a) {
    return a.InsertUser(User("u1", "a@example.org", "responder", {"normandie"}));
  });
  AccountTokenRecord t{"th1", "u1", "invitation", "cli:root", 100, 100 + 72 * 3600 * 1000, {}};
  AccountTokenRecord t2{"th2", "u1", "reset", "u9", 200, 300, {}};
  MustWrite([&](AccountRepository& a) -> Status {
    PARCOURS_RETURN_IF_ERROR(a.InsertAccountToken(t));
    return a.InsertAccountToken(t2);
  });
  std::optional<AccountTokenRecord> got;
  Read([&](AccountRepository& a) -> Status {
    auto v = a.FindAccountToken("th1");
    if (!v.ok()) return v.status();
    got = *v;
    return Status::Ok();
  });
  EXPECT_EQ(got, t);

  // Two concurrent uses: exactly one wins.
  std::atomic<int> ok{0}, conflict{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      Status st = Write([&](AccountRepository& a) { return a.UseAccountToken("th1", 150); });
      if (st.ok()) ++ok;
      if (st.code() == StatusCode::kConflict) ++conflict;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflict.load(), 3);
  EXPECT_EQ(Write([&](AccountRepository& a) { return a.UseAccountToken("zzz", 150); }).code(),
            StatusCode::kNotFound);

  std::int64_t revoked = -1;
  MustWrite([&](AccountRepository& a) -> Status {
    auto v = a.RevokeAccountTokens("u1", 250);
    if (!v.ok()) return v.status();
    revoked = *v;
    return Status::Ok();
  });
  EXPECT_EQ(revoked, 1);  // th2 only: th1 was already used
  Read([&](AccountRepository& a) -> Status {
    auto v = a.FindAccountToken("th2");
    if (!v.ok()) return v.status();
    got = *v;
    return Status::Ok();
  });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->used_at, 250);
}

TEST_F(AccountConformance, AuditSearchFiltersPagesAndIsAppendOnly) {
  std::vector<std::int64_t> ids;
  Status st = store_->Transact([&](Transaction& tx) -> Status {
    const AuditEntry entries[] = {
        {0, 1000, "u1", "read", "alert", "a1", "normandie", ""},
        {0, 2000, "u2", "read", "alert", "a2", "occitanie", "x"},
        {0, 3000, "u1", "update", "user", "u7", "normandie", ""},
        {0, 4000, "system", "create", "alert", "a3", "", "outside"},
        {0, 5000, "u1", "read", "alert", "a1", "occitanie", ""},
    };
    for (const auto& e : entries) {
      auto v = tx.AppendAudit(e);
      if (!v.ok()) return v.status();
      ids.push_back(*v);
    }
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();

  auto search = [&](AuditQuery q) {
    std::vector<std::int64_t> out;
    Read([&](AccountRepository& a) -> Status {
      auto v = a.SearchAudit(q);
      if (!v.ok()) return v.status();
      for (const auto& e : *v) out.push_back(e.id);
      return Status::Ok();
    });
    return out;
  };
  AuditQuery all;
  EXPECT_EQ(search(all), (std::vector<std::int64_t>{ids[4], ids[3], ids[2], ids[1], ids[0]}));
  AuditQuery q;
  q.territories = {"normandie"};
  EXPECT_EQ(search(q), (std::vector<std::int64_t>{ids[2], ids[0]}));
  q.territories = {"normandie", "occitanie"};
  q.actor = "u1";
  EXPECT_EQ(search(q), (std::vector<std::int64_t>{ids[4], ids[2], ids[0]}));
  q.subject_type = "alert";
  q.subject_id = "a1";
  EXPECT_EQ(search(q), (std::vector<std::int64_t>{ids[4], ids[0]}));
  AuditQuery t;
  t.from = 2000;
  t.until = 4000;
  EXPECT_EQ(search(t), (std::vector<std::int64_t>{ids[2], ids[1]}));
  AuditQuery page;
  page.limit = 2;
  EXPECT_EQ(search(page), (std::vector<std::int64_t>{ids[4], ids[3]}));
  page.before_id = ids[3];
  EXPECT_EQ(search(page), (std::vector<std::int64_t>{ids[2], ids[1]}));
  AuditQuery exp;
  exp.oldest_first = true;
  exp.after_id = ids[1];
  exp.limit = 2;
  EXPECT_EQ(search(exp), (std::vector<std::int64_t>{ids[2], ids[3]}));

  // Full rows come back as written.
  std::vector<AuditEntry> rows;
  Read([&](AccountRepository& a) -> Status {
    AuditQuery one;
    one.subject_id = "a2";
    auto v = a.SearchAudit(one);
    if (!v.ok()) return v.status();
    rows = *v;
    return Status::Ok();
  });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (AuditEntry{ids[1], 2000, "u2", "read", "alert", "a2", "occitanie", "x"}));
}

}  // namespace
}  // namespace parcours::storage
