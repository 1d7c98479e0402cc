// Alert circuit conformance (V007): the same tests on SQLite and PostgreSQL
// (test_database.h picks the backend). Each test starts from an empty,
// migrated database.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "storage/alert_repository.h"
#include "storage/storage.h"
#include "test_database.h"

namespace parcours::storage {
namespace {

using domain::AlertEventType;
using domain::AlertStatus;
using test_support::TestDatabase;

constexpr TimestampMs kT0 = 1754300000000;

AlertRecord Alert(std::string id, std::string territory, TimestampMs deadline) {
  AlertRecord a;
  a.reference = "REF-" + id;
  a.id = std::move(id);
  a.created_at = kT0;
  a.kind = "recontact";
  a.territory_code = std::move(territory);
  a.urgency = domain::Urgency::kWithin72h;
  a.deadline_at = deadline;
  a.status = "new";
  a.updated_at = kT0;
  return a;
}

AlertEventRecord Event(std::string id, const AlertRecord& a, AlertEventType type,
                       AlertStatus after) {
  AlertEventRecord e;
  e.id = std::move(id);
  e.alert_id = a.id;
  e.territory_code = a.territory_code;
  e.at = kT0 + 1000;
  e.actor = "u1";
  e.type = type;
  e.status_after = after;
  e.fields = R"({"urgency":"24h"})";
  return e;
}

class AlertConformance : public test_support::MigratedStorageTest {
 protected:
  void Insert(const AlertRecord& a) {
    Status st = store_->Transact([&](Transaction& tx) { return tx.InsertAlert(a); });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  AlertRecord Find(const std::string& id) {
    AlertRecord out;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      auto a = tx.FindAlert(id);
      if (!a.ok()) return a.status();
      if (!*a) return Status::NotFound(id);
      out = **a;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
  std::vector<std::string> SearchIds(const AlertQuery& q) {
    std::vector<std::string> ids;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      auto v = tx.alerts().Search(q);
      if (!v.ok()) return v.status();
      for (const auto& a : *v) ids.push_back(a.id);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return ids;
  }
  std::vector<AlertEventRecord> EventsAfter(std::int64_t seq) {
    std::vector<AlertEventRecord> out;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      auto v = tx.alerts().EventsAfter(seq, 1000);
      if (!v.ok()) return v.status();
      out = std::move(*v);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
};

TEST_F(AlertConformance, NewColumnsRoundTrip) {
  AlertRecord a = Alert("a1", "hauts-de-france", kT0 + 3'600'000);
  a.source = domain::AlertSource::kThirdParty;
  a.level = domain::CareLevel::kSpecialised;
  a.assigned_user_id = "u9";
  a.emitter_user_id = "u8";
  a.reporter_sealed = {1, 2, 0, 3};
  a.closed_outcome = domain::CloseOutcome::kTakenInCharge;
  a.resource_id = "r1";
  a.consultation_id = "c1";
  a.version = 4;
  Insert(a);
  EXPECT_EQ(Find("a1"), a);
  // Defaults of a recontact alert as issue 8 wrote it.
  AlertRecord plain = Alert("a2", "normandie", kT0);
  Insert(plain);
  AlertRecord back = Find("a2");
  EXPECT_EQ(back.source, domain::AlertSource::kParent);
  EXPECT_FALSE(back.level.has_value());
  EXPECT_EQ(back.version, 0);
}

TEST_F(AlertConformance, ApplyEventWritesStateAndEventTogether) {
  AlertRecord a = Alert("a1", "hauts-de-france", kT0 + 1000);
  Insert(a);
  AlertRecord next = a;
  next.status = "qualified";
  next.urgency = domain::Urgency::kWithin24h;
  next.level = domain::CareLevel::kFirstLine;
  next.deadline_at = kT0 + 86'400'000;
  next.updated_at = kT0 + 1000;
  std::int64_t seq = 0;
  Status st = store_->Transact([&](Transaction& tx) -> Status {
    auto r = tx.alerts().ApplyEvent(
        next, 0, Event("e1", a, AlertEventType::kQualify, AlertStatus::kQualified));
    if (!r.ok()) return r.status();
    seq = *r;
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_GT(seq, 0);
  AlertRecord back = Find("a1");
  EXPECT_EQ(back.status, "qualified");
  EXPECT_EQ(back.urgency, domain::Urgency::kWithin24h);
  EXPECT_EQ(back.level, domain::CareLevel::kFirstLine);
  EXPECT_EQ(back.deadline_at, kT0 + 86'400'000);
  EXPECT_EQ(back.version, 1);
  auto events = EventsAfter(0);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].seq, seq);
  EXPECT_EQ(events[0].type, AlertEventType::kQualify);
  EXPECT_EQ(events[0].status_after, AlertStatus::kQualified);
  EXPECT_EQ(events[0].fields, R"({"urgency":"24h"})");
  EXPECT_EQ(events[0].actor, "u1");
}

TEST_F(AlertConformance, StaleVersionIsAConflictAndWritesNothing) {
  AlertRecord a = Alert("a1", "hauts-de-france", kT0);
  Insert(a);
  AlertRecord next = a;
  next.status = "qualified";
  auto apply = [&](const std::string& event_id) {
    return store_->Transact([&](Transaction& tx) -> Status {
      auto r = tx.alerts().ApplyEvent(
          next, 0, Event(event_id, a, AlertEventType::kQualify, AlertStatus::kQualified));
      return r.ok() ? Status::Ok() : r.status();
    });
  };
  ASSERT_TRUE(apply("e1").ok());
  next.status = "closed";
  Status second = apply("e2");
  EXPECT_EQ(second.code(), StatusCode::kConflict);
  EXPECT_EQ(second.field(), "version");
  EXPECT_EQ(Find("a1").status, "qualified");
  EXPECT_EQ(EventsAfter(0).size(), 1u);
}

TEST_F(AlertConformance, TwoRespondersAtOnceOneWins) {
  AlertRecord a = Alert("a1", "hauts-de-france", kT0);
  Insert(a);
  std::atomic<int> ok{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      AlertRecord next = a;
      next.status = "qualified";
      next.updated_at = kT0 + i;
      Status st = store_->Transact([&](Transaction& tx) -> Status {
        auto r = tx.alerts().ApplyEvent(
            next, 0,
            Event("e" + std::to_string(i), a, AlertEventType::kQualify, AlertStatus::kQualified));
        return r.ok() ? Status::Ok() : r.status();
      });
      if (st.ok()) ++ok;
      if (st.code() == StatusCode::kConflict) ++conflicts;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), 5);
  EXPECT_EQ(Find("a1").version, 1);
  EXPECT_EQ(EventsAfter(0).size(), 1u);
}

TEST_F(AlertConformance, EscalationKeyIsUnique) {
  AlertRecord a = Alert("a1", "hauts-de-france", kT0);
  Insert(a);
  auto escalate = [&](const std::string& id) {
    AlertEventRecord e = Event(id, a, AlertEventType::kEscalated, AlertStatus::kNew);
    e.actor = "system";
    e.escalation_key = "a1/" + std::to_string(kT0) + "/1";
    return store_->Transact([&](Transaction& tx) -> Status {
      auto r = tx.alerts().AppendEvent(e);
      return r.ok() ? Status::Ok() : r.status();
    });
  };
  ASSERT_TRUE(escalate("e1").ok());
  EXPECT_EQ(escalate("e2").code(), StatusCode::kConflict);
  EXPECT_EQ(EventsAfter(0).size(), 1u);
}

TEST_F(AlertConformance, EventsAfterIsACursorInCommitOrder) {
  AlertRecord a = Alert("a1", "hauts-de-france", kT0);
  AlertRecord b = Alert("b1", "normandie", kT0);
  Insert(a);
  Insert(b);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      const AlertRecord& x = i % 2 ? a : b;
      Status st = store_->Transact([&](Transaction& tx) -> Status {
        auto r = tx.alerts().AppendEvent(
            Event("e" + std::to_string(i), x, AlertEventType::kCreated, AlertStatus::kNew));
        return r.ok() ? Status::Ok() : r.status();
      });
      EXPECT_TRUE(st.ok()) << st.ToString();
    });
  }
  for (auto& t : threads) t.join();
  auto all = EventsAfter(0);
  ASSERT_EQ(all.size(), 8u);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].seq, all[i].seq);
  auto tail = EventsAfter(all[4].seq);
  ASSERT_EQ(tail.size(), 3u);
  EXPECT_EQ(tail[0].seq, all[5].seq);
  std::int64_t last = 0;
  Status st = store_->Read([&](Transaction& tx) -> Status {
    auto v = tx.alerts().LastEventSeq();
    if (!v.ok()) return v.status();
    last = *v;
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(last, all.back().seq);
  std::vector<AlertEventRecord> of_a;
  st = store_->Read([&](Transaction& tx) -> Status {
    auto v = tx.alerts().ListEvents("a1");
    if (!v.ok()) return v.status();
    of_a = std::move(*v);
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(of_a.size(), 4u);
  for (const auto& e : of_a) EXPECT_EQ(e.alert_id, "a1");
}

TEST_F(AlertConformance, SearchFiltersByTerritoryAndPutsOverdueFirst) {
  const TimestampMs now = kT0 + 10'000;
  AlertRecord late = Alert("late", "hauts-de-france", now - 1);  // overdue
  AlertRecord soon = Alert("soon", "hauts-de-france", now + 5);
  soon.urgency = domain::Urgency::kImmediate;
  soon.sub_territory_code = "59";
  AlertRecord done = Alert("done", "hauts-de-france", now - 100);  // closed: not overdue
  done.status = "closed";
  AlertRecord other = Alert("other", "normandie", now - 50);
  AlertRecord third = Alert("third", "hauts-de-france", now + 10);
  third.source = domain::AlertSource::kThirdParty;
  third.suspected_flood = true;
  third.emitter_user_id = "u8";
  for (const auto& a : {late, soon, done, other, third}) Insert(a);

  AlertQuery q;
  q.territories = {"hauts-de-france"};
  q.now = now;
  // Overdue open first, then by deadline (the closed one is not overdue).
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"late", "done", "soon", "third"}));
  q.status = "open";
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"late", "soon", "third"}));
  q.status = "closed";
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"done"}));
  q.status = "new";
  q.overdue_only = true;
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"late"}));
  q = AlertQuery{};
  q.territories = {"hauts-de-france"};
  q.now = now;
  q.urgency = domain::Urgency::kImmediate;
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"soon"}));
  q.urgency.reset();
  q.sub_territory = "59";
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"soon"}));
  q.sub_territory.reset();
  q.source = domain::AlertSource::kThirdParty;
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"third"}));
  q.source.reset();
  q.flood_only = true;
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"third"}));
  q.flood_only = false;
  q.emitter_user_id = "u8";
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"third"}));
  // Territories are explicit: none means nothing, two means both.
  q = AlertQuery{};
  q.now = now;
  EXPECT_TRUE(SearchIds(q).empty());
  q.territories = {"normandie", "hauts-de-france"};
  q.status = "open";
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"other", "late", "soon", "third"}));
  q.limit = 2;
  EXPECT_EQ(SearchIds(q).size(), 2u);
}

// The search reads the inbox index by territory, status and deadline
// (storage/alert_search.h): the rows of every status come back merged in one
// order, ties broken by created_at then id, cut at the limit.
TEST_F(AlertConformance, SearchMergesStatusesInOneOrderAndCutsAtTheLimit) {
  const TimestampMs now = kT0 + 10'000;
  AlertRecord a1 = Alert("a1", "normandie", now - 30);  // overdue, new
  AlertRecord a2 = Alert("a2", "normandie", now - 30);  // overdue, qualified, older
  a2.status = "qualified";
  a2.created_at = kT0 - 5;
  AlertRecord a3 = Alert("a3", "normandie", now - 20);  // overdue, assigned
  a3.status = "assigned";
  AlertRecord a4 = Alert("a4", "normandie", now);  // due now: not overdue
  a4.status = "in_contact";
  AlertRecord a5 = Alert("a5", "normandie", now - 40);  // closed: never overdue
  a5.status = "closed";
  AlertRecord a6 = Alert("a6", "normandie", now);       // same deadline and time as a4
  AlertRecord b1 = Alert("b1", "occitanie", now - 25);  // overdue, other territory
  for (const auto& a : {a6, a5, a4, a3, a2, a1, b1}) Insert(a);

  AlertQuery q;
  q.territories = {"normandie", "occitanie", "normandie"};  // given twice: listed once
  q.now = now;
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"a2", "a1", "b1", "a3", "a5", "a4", "a6"}));
  q.limit = 4;
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"a2", "a1", "b1", "a3"}));
  q.limit = 5;
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"a2", "a1", "b1", "a3", "a5"}));
  q.limit = 2;
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"a2", "a1"}));
  q.limit = 0;
  EXPECT_TRUE(SearchIds(q).empty());
  q.limit = 200;
  q.overdue_only = true;
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"a2", "a1", "b1", "a3"}));
  q.overdue_only = false;
  q.status = "in_contact";
  EXPECT_EQ(SearchIds(q), (std::vector<std::string>{"a4"}));
  q.status = "no_such_status";
  EXPECT_TRUE(SearchIds(q).empty());
  q.status.reset();
  q.territories = {"normandie,occitanie"};  // a code holding a comma matches nothing
  EXPECT_TRUE(SearchIds(q).empty());
}

TEST_F(AlertConformance, ListOverdueSpansTerritoriesAndSkipsClosed) {
  const TimestampMs now = kT0 + 10'000;
  AlertRecord a = Alert("a", "hauts-de-france", now - 10);
  AlertRecord b = Alert("b", "normandie", now - 20);
  AlertRecord c = Alert("c", "normandie", now - 30);
  c.status = "closed";
  AlertRecord d = Alert("d", "normandie", now + 30);
  for (const auto& x : {a, b, c, d}) Insert(x);
  auto overdue = [&](int level) {
    std::vector<std::string> ids;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      auto v = tx.alerts().ListOverdue(now, level, std::nullopt, 10);
      if (!v.ok()) return v.status();
      for (const auto& x : *v) ids.push_back(x.id);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return ids;
  };
  EXPECT_EQ(overdue(1), (std::vector<std::string>{"b", "a"}));
  // Once escalated at level 1 for its deadline, b leaves the level-1 list
  // but not the level-2 one.
  AlertEventRecord e = Event("e1", b, AlertEventType::kEscalated, AlertStatus::kNew);
  e.escalation_key = "b/" + std::to_string(b.deadline_at) + "/1";
  Status st = store_->Transact([&](Transaction& tx) -> Status {
    auto r = tx.alerts().AppendEvent(e);
    return r.ok() ? Status::Ok() : r.status();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(overdue(1), (std::vector<std::string>{"a"}));
  EXPECT_EQ(overdue(2), (std::vector<std::string>{"b", "a"}));
  // One territory, and an earlier bound.
  std::vector<std::string> ids;
  st = store_->Read([&](Transaction& tx) -> Status {
    auto v = tx.alerts().ListOverdue(now - 15, 2, std::string("normandie"), 10);
    if (!v.ok()) return v.status();
    for (const auto& x : *v) ids.push_back(x.id);
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(ids, (std::vector<std::string>{"b"}));
}

}  // namespace
}  // namespace parcours::storage
