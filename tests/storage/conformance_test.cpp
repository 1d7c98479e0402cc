// Storage conformance: the same tests, unchanged, on every backend (see
// test_database.h for how the backend is chosen). Each test starts from an
// empty database.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "storage/migrations.h"
#include "storage/storage.h"
#include "test_database.h"

namespace parcours::storage {
namespace {

using test_support::TestDatabase;

ScreeningRecord FullScreening(std::string id) {
  ScreeningRecord s;
  s.id = std::move(id);
  s.created_at = 1754300000123;  // beyond 32 bits
  s.instrument = "epds";
  s.language = "fr";
  s.respondent = domain::Respondent::kCoparent;
  s.period = domain::Period::kPostnatal;
  s.child_age_weeks = 6;
  s.postcode = "59300";
  s.commune_code = "59606";
  s.territory_code = "HDF";
  s.source = "partenaire-réseau «périnat»";
  s.answers = {0, 1, 2, 3, 3, 2, 1, 0, 1, 2};
  s.score = 15;
  s.band = domain::Band::kProbable;
  s.item10_positive = true;
  s.threshold_set_id = "hdf-fathers";
  s.threshold_version = 3;
  s.level = domain::CareLevel::kSpecialised;
  return s;
}

ScreeningRecord MinimalScreening(std::string id) {
  ScreeningRecord s;
  s.id = std::move(id);
  s.created_at = 1;
  s.instrument = "epds";
  s.language = "en";
  s.respondent = domain::Respondent::kMother;
  s.period = domain::Period::kPrenatal;
  s.source = "direct";
  s.score = 0;
  s.band = domain::Band::kLow;
  s.threshold_set_id = "default";
  s.threshold_version = 1;
  s.level = domain::CareLevel::kInformation;
  return s;  // every optional unset, no answers
}

AlertRecord MakeAlert(std::string id, std::string territory, TimestampMs deadline) {
  AlertRecord a;
  a.reference = "REF-" + id;
  a.id = std::move(id);
  a.created_at = 1754300000000;
  a.kind = "recontact";
  a.territory_code = std::move(territory);
  a.urgency = domain::Urgency::kWithin72h;
  a.deadline_at = deadline;
  a.status = "new";
  a.updated_at = 1754300000001;
  return a;
}

AuditEntry MakeAudit(std::string subject_id, std::string detail) {
  AuditEntry e;
  e.at = 1754300000500;
  e.actor = "cli:admin";
  e.action = "read";
  e.subject_type = "alert";
  e.subject_id = std::move(subject_id);
  e.territory_code = "972";
  e.detail = std::move(detail);
  return e;
}

int LatestVersion(std::string_view backend) {
  const auto& all = backend == "postgresql" ? PostgresMigrations() : SqliteMigrations();
  int v = 0;
  for (const Migration& m : all) v = std::max(v, m.version);
  return v;
}

class StorageConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.setup().ok()) << db_.setup().ToString();
    store_ = Open();
    ASSERT_NE(store_, nullptr);
    RecordProperty("backend", std::string(store_->Backend()));
  }

  std::unique_ptr<Storage> Open() {
    auto s = OpenStorage(db_.url(), 4);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  void Migrate() {
    auto v = store_->Migrate();
    ASSERT_TRUE(v.ok()) << v.status().ToString();
  }

  std::optional<ScreeningRecord> Screening(const std::string& id) {
    std::optional<ScreeningRecord> out;
    Status st = store_->Read([&](Transaction& tx) {
      auto r = tx.FindScreening(id);
      if (!r.ok()) return r.status();
      out = *r;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  std::optional<AlertRecord> Alert(const std::string& id) {
    std::optional<AlertRecord> out;
    Status st = store_->Read([&](Transaction& tx) {
      auto r = tx.FindAlert(id);
      if (!r.ok()) return r.status();
      out = *r;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  std::vector<AuditEntry> Audit(const std::string& type, const std::string& id) {
    std::vector<AuditEntry> out;
    Status st = store_->Read([&](Transaction& tx) {
      auto r = tx.ListAudit(type, id);
      if (!r.ok()) return r.status();
      out = *r;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  Status Insert(const ScreeningRecord& s) {
    return store_->Transact([&](Transaction& tx) { return tx.InsertScreening(s); });
  }
  Status Insert(const AlertRecord& a) {
    return store_->Transact([&](Transaction& tx) { return tx.InsertAlert(a); });
  }

  TestDatabase db_;
  std::unique_ptr<Storage> store_;
};

TEST_F(StorageConformance, ReportsBackend) {
  std::string_view name = store_->Backend();
  std::cerr << "[ storage  ] backend: " << name << "\n";
  EXPECT_TRUE(name == "sqlite" || name == "postgresql") << name;
  EXPECT_EQ(name, db_.kind() == TestDatabase::Kind::kPostgres ? "postgresql" : "sqlite");
}

TEST_F(StorageConformance, MigrateOnEmptyDatabaseReachesLatestAndIsIdempotent) {
  auto before = store_->SchemaVersion();
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(*before, 0);

  const int latest = LatestVersion(store_->Backend());
  ASSERT_GE(latest, 1);
  auto first = store_->Migrate();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, latest);
  auto after = store_->SchemaVersion();
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(*after, latest);

  ASSERT_TRUE(Insert(FullScreening("s1")).ok());
  auto second = store_->Migrate();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(*second, latest);
  EXPECT_TRUE(Screening("s1").has_value()) << "a second Migrate() must not touch the data";

  // A new instance on the same database sees the same version.
  store_.reset();
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  auto reopened = store_->Migrate();
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(*reopened, latest);
  EXPECT_TRUE(Screening("s1").has_value());
}

TEST_F(StorageConformance, ScreeningRoundTripsEveryField) {
  Migrate();
  const ScreeningRecord full = FullScreening("s-full");
  const ScreeningRecord minimal = MinimalScreening("s-min");
  ScreeningRecord empty_strings = FullScreening("s-empty");
  empty_strings.territory_code = "";  // outside the territories: "" is not NULL
  empty_strings.postcode = "";
  empty_strings.child_age_weeks = 0;
  empty_strings.item10_positive = false;
  empty_strings.answers = {3};

  ASSERT_TRUE(Insert(full).ok());
  ASSERT_TRUE(Insert(minimal).ok());
  ASSERT_TRUE(Insert(empty_strings).ok());

  EXPECT_EQ(Screening("s-full"), full);
  auto got_min = Screening("s-min");
  ASSERT_TRUE(got_min.has_value());
  EXPECT_EQ(*got_min, minimal);
  EXPECT_FALSE(got_min->child_age_weeks.has_value());
  EXPECT_FALSE(got_min->postcode.has_value());
  EXPECT_FALSE(got_min->commune_code.has_value());
  EXPECT_FALSE(got_min->territory_code.has_value());
  EXPECT_TRUE(got_min->answers.empty());
  EXPECT_EQ(Screening("s-empty"), empty_strings);
  EXPECT_FALSE(Screening("nope").has_value());
}

TEST_F(StorageConformance, DuplicateScreeningIdIsConflict) {
  Migrate();
  ASSERT_TRUE(Insert(FullScreening("dup")).ok());
  ScreeningRecord other = MinimalScreening("dup");
  Status st = Insert(other);
  EXPECT_EQ(st.code(), StatusCode::kConflict) << st.ToString();
  EXPECT_EQ(Screening("dup"), FullScreening("dup"));
}

TEST_F(StorageConformance, CheckConstraintViolationIsInvalidArgument) {
  Migrate();
  ScreeningRecord s = FullScreening("bad-score");
  s.score = 31;
  EXPECT_EQ(Insert(s).code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(Screening("bad-score").has_value());
}

TEST_F(StorageConformance, CallbackErrorLeavesNothing) {
  Migrate();
  Status st = store_->Transact([&](Transaction& tx) {
    PARCOURS_RETURN_IF_ERROR(tx.InsertScreening(FullScreening("s-rolled-back")));
    AlertRecord a = MakeAlert("a-rolled-back", "HDF", 10);
    a.screening_id = "s-rolled-back";
    PARCOURS_RETURN_IF_ERROR(tx.InsertAlert(a));
    auto id = tx.AppendAudit(MakeAudit("a-rolled-back", "created"));
    if (!id.ok()) return id.status();
    // The callback sees its own writes…
    auto seen = tx.FindScreening("s-rolled-back");
    if (!seen.ok() || !seen->has_value()) return Status::Internal("own write not visible");
    return Status::InvalidArgument("postcode", "rejected on purpose");
  });
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.field(), "postcode");
  // …and nothing is kept.
  EXPECT_FALSE(Screening("s-rolled-back").has_value());
  EXPECT_FALSE(Alert("a-rolled-back").has_value());
  EXPECT_TRUE(Audit("alert", "a-rolled-back").empty());
}

TEST_F(StorageConformance, FailingStatementMidCallbackLeavesNothing) {
  Migrate();
  ASSERT_TRUE(Insert(FullScreening("existing")).ok());
  Status st = store_->Transact([&](Transaction& tx) {
    PARCOURS_RETURN_IF_ERROR(tx.InsertScreening(FullScreening("first")));
    PARCOURS_RETURN_IF_ERROR(tx.InsertScreening(FullScreening("existing")));  // duplicate
    return tx.InsertScreening(FullScreening("never"));
  });
  EXPECT_EQ(st.code(), StatusCode::kConflict) << st.ToString();
  EXPECT_FALSE(Screening("first").has_value());
  EXPECT_FALSE(Screening("never").has_value());
  EXPECT_TRUE(Screening("existing").has_value());
}

// storage.h: "if the callback returns a non-OK Status (or a repository call
// fails) nothing it did is kept" — even when the callback ignores the error.
TEST_F(StorageConformance, IgnoredRepositoryFailureStillLeavesNothing) {
  Migrate();
  ASSERT_TRUE(Insert(FullScreening("existing")).ok());
  Status st = store_->Transact([&](Transaction& tx) {
    PARCOURS_RETURN_IF_ERROR(tx.InsertScreening(FullScreening("before")));
    (void)tx.InsertScreening(FullScreening("existing"));  // fails, ignored
    return Status::Ok();
  });
  EXPECT_FALSE(st.ok()) << "a failed repository call must fail the transaction";
  EXPECT_FALSE(Screening("before").has_value());
  EXPECT_TRUE(Screening("existing").has_value());
}

// The same contract for an alert whose insert fails (duplicate reference).
TEST_F(StorageConformance, IgnoredAlertInsertFailureStillLeavesNothing) {
  Migrate();
  ASSERT_TRUE(Insert(MakeAlert("a1", "HDF", 1)).ok());
  AlertRecord same_ref = MakeAlert("a2", "HDF", 1);
  same_ref.reference = "REF-a1";
  Status st = store_->Transact([&](Transaction& tx) {
    PARCOURS_RETURN_IF_ERROR(tx.InsertScreening(FullScreening("before")));
    (void)tx.InsertAlert(same_ref);  // fails, ignored
    return Status::Ok();
  });
  EXPECT_FALSE(st.ok()) << "a failed InsertAlert must fail the transaction";
  EXPECT_EQ(st.code(), StatusCode::kConflict) << st.ToString();
  EXPECT_FALSE(Screening("before").has_value());
  EXPECT_FALSE(Alert("a2").has_value());
}

// A stored enumeration that does not parse is an error naming the row, on
// every read path, never a default value ("mother, postnatal").
TEST_F(StorageConformance, CorruptStoredValuesAreErrorsNotDefaults) {
  Migrate();
  ASSERT_TRUE(Insert(FullScreening("s-band")).ok());
  ASSERT_TRUE(Insert(FullScreening("s-level")).ok());
  ASSERT_TRUE(Insert(FullScreening("s-respondent")).ok());
  AlertRecord alert = MakeAlert("a-urgency", "HDF", 1);
  ASSERT_TRUE(Insert(alert).ok());
  // Planted behind the storage's back; the CHECK constraints that would
  // refuse them are lifted first, as an old or hand-edited database may lack them.
  const std::string lift =
      db_.kind() == TestDatabase::Kind::kPostgres
          ? "ALTER TABLE screenings DROP CONSTRAINT screenings_respondent_check; "
            "ALTER TABLE alerts DROP CONSTRAINT alerts_urgency_check; "
          : "PRAGMA ignore_check_constraints = ON; ";
  Status planted = db_.ExecRaw(lift +
                               "UPDATE screenings SET band = 'severe' WHERE id = 's-band'; "
                               "UPDATE screenings SET level = '' WHERE id = 's-level'; "
                               "UPDATE screenings SET respondent = 'Mother' "
                               "WHERE id = 's-respondent'; "
                               "UPDATE alerts SET urgency = 'soon' WHERE id = 'a-urgency';");
  ASSERT_TRUE(planted.ok()) << planted.ToString();

  auto read = [&](const std::function<Status(Transaction&)>& fn) { return store_->Read(fn); };
  for (const char* id : {"s-band", "s-level", "s-respondent"}) {
    Status st = read([&](Transaction& tx) { return tx.FindScreening(id).status(); });
    EXPECT_EQ(st.code(), StatusCode::kInternal) << id << ": " << st.ToString();
    EXPECT_NE(st.message().find(id), std::string::npos) << st.message();
  }
  Status by_id = read([&](Transaction& tx) { return tx.FindAlert("a-urgency").status(); });
  EXPECT_EQ(by_id.code(), StatusCode::kInternal) << by_id.ToString();
  EXPECT_NE(by_id.message().find("urgency"), std::string::npos) << by_id.message();
  Status by_ref =
      read([&](Transaction& tx) { return tx.FindAlertByReference(alert.reference).status(); });
  EXPECT_EQ(by_ref.code(), StatusCode::kInternal) << by_ref.ToString();
  Status listed = read([&](Transaction& tx) { return tx.ListAlerts("HDF", 10).status(); });
  EXPECT_EQ(listed.code(), StatusCode::kInternal) << listed.ToString();
  // The sound rows still read.
  ASSERT_TRUE(Insert(FullScreening("s-sound")).ok());
  EXPECT_EQ(Screening("s-sound"), FullScreening("s-sound"));
}

TEST_F(StorageConformance, AlertRoundTripsAndIsFoundByIdAndReference) {
  Migrate();
  ASSERT_TRUE(Insert(FullScreening("s1")).ok());
  AlertRecord a = MakeAlert("a1", "972", 1754303600000);
  a.kind = "item10";
  a.screening_id = "s1";
  a.urgency = domain::Urgency::kImmediate;
  a.crisis = true;
  a.contact_sealed = {0x00, 0x01, 0xff, 0x00, 0x5c, 0x78, 0x27, 0x80};  // NUL, '\x', quote
  AlertRecord b = MakeAlert("a2", "", 1754303600000);                   // outside queue, no contact
  ASSERT_TRUE(Insert(a).ok());
  ASSERT_TRUE(Insert(b).ok());

  EXPECT_EQ(Alert("a1"), a);
  auto got_b = Alert("a2");
  ASSERT_TRUE(got_b.has_value());
  EXPECT_EQ(*got_b, b);
  EXPECT_TRUE(got_b->contact_sealed.empty());
  EXPECT_FALSE(got_b->screening_id.has_value());
  EXPECT_FALSE(Alert("a3").has_value());

  std::optional<AlertRecord> by_ref;
  std::optional<AlertRecord> missing;
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) {
                    auto r = tx.FindAlertByReference("REF-a1");
                    if (!r.ok()) return r.status();
                    by_ref = *r;
                    auto m = tx.FindAlertByReference("REF-none");
                    if (!m.ok()) return m.status();
                    missing = *m;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(by_ref, a);
  EXPECT_FALSE(missing.has_value());
}

TEST_F(StorageConformance, ListAlertsByTerritoryOrderedByDeadlineWithLimit) {
  Migrate();
  // Inserted out of order; ties on deadline broken by created_at then id.
  std::vector<AlertRecord> alerts = {MakeAlert("h3", "HDF", 3000),  MakeAlert("h1", "HDF", 1000),
                                     MakeAlert("m1", "972", 500),   MakeAlert("h2b", "HDF", 2000),
                                     MakeAlert("h2a", "HDF", 2000), MakeAlert("o1", "", 700),
                                     MakeAlert("o2", "", 600)};
  alerts[4].created_at = alerts[3].created_at;  // same created_at: id decides (h2a < h2b)
  ASSERT_TRUE(store_
                  ->Transact([&](Transaction& tx) {
                    for (const auto& a : alerts) PARCOURS_RETURN_IF_ERROR(tx.InsertAlert(a));
                    return Status::Ok();
                  })
                  .ok());

  auto list = [&](std::string_view territory, int limit) {
    std::vector<std::string> ids;
    Status st = store_->Read([&](Transaction& tx) {
      auto r = tx.ListAlerts(territory, limit);
      if (!r.ok()) return r.status();
      for (const auto& a : *r) ids.push_back(a.id);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return ids;
  };
  EXPECT_EQ(list("HDF", 10), (std::vector<std::string>{"h1", "h2a", "h2b", "h3"}));
  EXPECT_EQ(list("HDF", 2), (std::vector<std::string>{"h1", "h2a"}));
  EXPECT_EQ(list("HDF", 0), std::vector<std::string>{});
  EXPECT_EQ(list("972", 10), std::vector<std::string>{"m1"});
  EXPECT_EQ(list("", 10), (std::vector<std::string>{"o2", "o1"}));
  EXPECT_EQ(list("NOR", 10), std::vector<std::string>{});

  // Full records come back, not just ids.
  std::vector<AlertRecord> got;
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) {
                    auto r = tx.ListAlerts("972", 1);
                    if (!r.ok()) return r.status();
                    got = *r;
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], alerts[2]);
}

TEST_F(StorageConformance, DuplicateAlertReferenceOrIdIsConflict) {
  Migrate();
  ASSERT_TRUE(Insert(MakeAlert("a1", "HDF", 1)).ok());
  AlertRecord same_ref = MakeAlert("a2", "HDF", 1);
  same_ref.reference = "REF-a1";
  EXPECT_EQ(Insert(same_ref).code(), StatusCode::kConflict);
  AlertRecord same_id = MakeAlert("a1", "HDF", 1);
  same_id.reference = "REF-other";
  EXPECT_EQ(Insert(same_id).code(), StatusCode::kConflict);
  EXPECT_FALSE(Alert("a2").has_value());
}

TEST_F(StorageConformance, AlertWithUnknownScreeningIsRejectedAndNothingWritten) {
  Migrate();
  Status st = store_->Transact([&](Transaction& tx) {
    PARCOURS_RETURN_IF_ERROR(tx.InsertScreening(FullScreening("s-ok")));
    AlertRecord a = MakeAlert("orphan", "HDF", 1);
    a.screening_id = "no-such-screening";
    return tx.InsertAlert(a);
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.ToString();
  EXPECT_FALSE(Alert("orphan").has_value());
  EXPECT_FALSE(Screening("s-ok").has_value());
}

TEST_F(StorageConformance, AuditAppendsWithIncreasingIdsAndListsInOrder) {
  Migrate();
  std::vector<AuditEntry> written;
  for (int i = 0; i < 5; ++i) {
    AuditEntry e = MakeAudit(i % 2 == 0 ? "a1" : "a2", "step " + std::to_string(i));
    e.at += i;
    Status st = store_->Transact([&](Transaction& tx) {
      auto id = tx.AppendAudit(e);
      if (!id.ok()) return id.status();
      e.id = *id;
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
    if (!written.empty()) {
      EXPECT_GT(e.id, written.back().id);
    }
    written.push_back(e);
  }
  // Several appends in one transaction also get increasing ids.
  std::vector<std::int64_t> ids;
  ASSERT_TRUE(store_
                  ->Transact([&](Transaction& tx) {
                    for (int i = 0; i < 3; ++i) {
                      auto id = tx.AppendAudit(MakeAudit("a3", "batch"));
                      if (!id.ok()) return id.status();
                      ids.push_back(*id);
                    }
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_GT(ids.front(), written.back().id);

  std::vector<AuditEntry> a1 = Audit("alert", "a1");
  ASSERT_EQ(a1.size(), 3u);
  EXPECT_EQ(a1[0], written[0]);
  EXPECT_EQ(a1[1], written[2]);
  EXPECT_EQ(a1[2], written[4]);
  EXPECT_EQ(Audit("alert", "a2").size(), 2u);
  EXPECT_EQ(Audit("alert", "a3").size(), 3u);
  EXPECT_TRUE(Audit("screening", "a1").empty());
}

TEST_F(StorageConformance, ConcurrentTransactionsAreAllDurableAndFailuresLeaveNothing) {
  Migrate();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = "c-" + std::to_string(t) + "-" + std::to_string(i);
        const bool fail = i % 10 == 7;  // one caller in ten fails on purpose
        Status st = store_->Transact([&](Transaction& tx) {
          PARCOURS_RETURN_IF_ERROR(tx.InsertScreening(FullScreening(id)));
          auto a = tx.AppendAudit(MakeAudit("concurrency", id));
          if (!a.ok()) return a.status();
          if (fail) return Status::Conflict("failing on purpose");
          return Status::Ok();
        });
        if (fail ? st.code() != StatusCode::kConflict : !st.ok()) {
          ++unexpected;
          ADD_FAILURE() << id << ": " << st.ToString();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(unexpected.load(), 0);
  Storage::PoolStats stats = store_->Stats();
  EXPECT_EQ(stats.in_use, 0);
  EXPECT_GE(stats.size, 1);

  // Durable: a new instance sees every committed transaction and no failed one.
  store_.reset();
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  const int expected = kThreads * (kPerThread - kPerThread / 10);
  std::vector<AuditEntry> audit = Audit("alert", "concurrency");
  EXPECT_EQ(static_cast<int>(audit.size()), expected);
  for (std::size_t i = 1; i < audit.size(); ++i) {
    EXPECT_LT(audit[i - 1].id, audit[i].id);
  }
  int present = 0;
  int leaked = 0;
  Status st = store_->Read([&](Transaction& tx) {
    for (int t = 0; t < kThreads; ++t) {
      for (int i = 0; i < kPerThread; ++i) {
        auto s = tx.FindScreening("c-" + std::to_string(t) + "-" + std::to_string(i));
        if (!s.ok()) return s.status();
        if (!s->has_value()) continue;
        if (i % 10 == 7) {
          ++leaked;
        } else {
          ++present;
        }
      }
    }
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(present, expected);
  EXPECT_EQ(leaked, 0);
}

TEST_F(StorageConformance, ReadSeesCommittedData) {
  Migrate();
  EXPECT_FALSE(Screening("r1").has_value());
  ASSERT_TRUE(Insert(FullScreening("r1")).ok());
  EXPECT_TRUE(Screening("r1").has_value());
  // A callback error in Read() is returned as is.
  Status st = store_->Read([](Transaction&) { return Status::NotFound("on purpose"); });
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  // Reads work from many threads at once.
  std::vector<std::thread> threads;
  std::atomic<int> found{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (Screening("r1").has_value()) ++found;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(found.load(), 120);
  EXPECT_EQ(store_->Stats().in_use, 0);
}

TEST_F(StorageConformance, PingIsOk) {
  EXPECT_TRUE(store_->Ping().ok());
  Migrate();
  Status st = store_->Ping();
  EXPECT_TRUE(st.ok()) << st.ToString();
}

}  // namespace
}  // namespace parcours::storage

namespace parcours::storage {
namespace {

TEST_F(StorageConformance, AtMostOneAlertPerScreeningAndFoundByScreening) {
  Migrate();
  ASSERT_TRUE(Insert(FullScreening("s1")).ok());
  AlertRecord a = MakeAlert("a1", "hauts-de-france", 1754303600000);
  a.screening_id = "s1";
  ASSERT_TRUE(Insert(a).ok());
  AlertRecord again = MakeAlert("a2", "hauts-de-france", 1754303600000);
  again.screening_id = "s1";
  Status st = Insert(again);
  EXPECT_EQ(st.code(), StatusCode::kConflict) << st.ToString();
  // Alerts without a screening are not limited.
  ASSERT_TRUE(Insert(MakeAlert("a3", "", 1)).ok());
  ASSERT_TRUE(Insert(MakeAlert("a4", "", 1)).ok());

  std::optional<AlertRecord> found;
  std::optional<AlertRecord> none;
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) {
                    auto r = tx.FindAlertByScreening("s1");
                    if (!r.ok()) return r.status();
                    found = *r;
                    auto n = tx.FindAlertByScreening("nope");
                    if (!n.ok()) return n.status();
                    none = *n;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(found, a);
  EXPECT_FALSE(none.has_value());
}

TEST_F(StorageConformance, SettingsInsertReplaceAndRollBack) {
  Migrate();
  auto get = [&](const std::string& name) {
    std::optional<std::string> v;
    EXPECT_TRUE(store_
                    ->Read([&](Transaction& tx) {
                      auto r = tx.GetSetting(name);
                      if (!r.ok()) return r.status();
                      v = *r;
                      return Status::Ok();
                    })
                    .ok());
    return v;
  };
  EXPECT_FALSE(get("k").has_value());
  ASSERT_TRUE(store_->Transact([](Transaction& tx) { return tx.PutSetting("k", "v1"); }).ok());
  EXPECT_EQ(get("k"), "v1");
  ASSERT_TRUE(store_->Transact([](Transaction& tx) { return tx.PutSetting("k", "v2"); }).ok());
  EXPECT_EQ(get("k"), "v2");
  Status st = store_->Transact([](Transaction& tx) {
    PARCOURS_RETURN_IF_ERROR(tx.PutSetting("k", "v3"));
    return Status::InvalidArgument("x", "caller gives up");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(get("k"), "v2");
}

}  // namespace
}  // namespace parcours::storage

namespace parcours::storage {
namespace {

TEST_F(StorageConformance, AlertKeepsItsSubTerritory) {
  Migrate();
  AlertRecord a = MakeAlert("a1", "hauts-de-france", 1754303600000);
  a.sub_territory_code = "hdf-ptsm-lille";
  AlertRecord b = MakeAlert("a2", "hauts-de-france", 1754303600001);
  ASSERT_TRUE(Insert(a).ok());
  ASSERT_TRUE(Insert(b).ok());
  EXPECT_EQ(Alert("a1"), a);
  auto got_b = Alert("a2");
  ASSERT_TRUE(got_b.has_value());
  EXPECT_FALSE(got_b->sub_territory_code.has_value());
}

}  // namespace
}  // namespace parcours::storage
