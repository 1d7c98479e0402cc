// DigestJob and PurgeJob with a simulated clock on a real SQLite database;
// the outbox is a fake here (unit tests only).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../directory/directory_test_support.h"
#include "../test_services.h"
#include "app/notify/digest_job.h"
#include "app/notify/purge_job.h"
#include "app/pathway_config.h"
#include "storage/sqlite/sqlite_internal.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

using testing::TempDatabase;

constexpr domain::TimestampMs kHour = 3'600'000;
constexpr domain::TimestampMs kDay = 24 * kHour;
// Monday 2026-11-23 00:00 UTC: 01:00 in Normandie, Sunday 20:00 in Martinique.
constexpr domain::TimestampMs kMonday = 1795392000000;

storage::UserRecord Responder(std::string id, std::string territory, bool disabled = false) {
  storage::UserRecord u;
  u.id = id;
  u.email = id + "@example.fr";
  u.name = "Répondant " + id;
  u.role = "responder";
  u.territories = {std::move(territory)};
  u.disabled = disabled;
  u.created_at = u.updated_at = kMonday - 30 * kDay;
  return u;
}

storage::AlertRecord Alert(std::string id, std::string territory, domain::Urgency urgency,
                           domain::TimestampMs deadline, std::string status = "new") {
  storage::AlertRecord a;
  a.reference = "REF-" + id;
  a.id = std::move(id);
  a.created_at = kMonday - 3 * kDay;
  a.kind = "recontact";
  a.territory_code = std::move(territory);
  a.urgency = urgency;
  a.deadline_at = deadline;
  a.status = std::move(status);
  a.updated_at = a.created_at;
  a.contact_sealed = {1, 2, 3};
  a.contact_key = "p:x";
  if (a.status == "closed") a.closed_outcome = domain::CloseOutcome::kTakenInCharge;
  return a;
}

class Jobs : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(db_.get(), nullptr);
    config_ = testing::LoadPathway();
    ASSERT_NE(config_, nullptr);
  }
  DigestJob Digest(std::vector<OutgoingMessage>& out) {
    return DigestJob(
        *db_, config_->territories(),
        [&out](storage::Transaction&, const OutgoingMessage& m) {
          // The real outbox ignores a second message with the same key.
          for (const auto& o : out) {
            if (o.dedupe_key == m.dedupe_key) return Status::Ok();
          }
          out.push_back(m);
          return Status::Ok();
        },
        "https://dpp.example");
  }
  int Count(const std::string& sql) {
    auto conn = storage::sqlite_internal::OpenConn(db_.dir() + "/test.db", /*read_only=*/true);
    EXPECT_TRUE(conn.ok());
    storage::sqlite_internal::Stmt q(**conn, sql.c_str());
    EXPECT_TRUE(q.Step());
    return static_cast<int>(q.Int(0));
  }

  TempDatabase db_;
  std::unique_ptr<PathwayConfig> config_;
};

TEST_F(Jobs, DigestAtTheLocalHourOncePerDayAndNeverAsACatchUp) {
  ASSERT_TRUE(
      (*db_)
          .Transact([](storage::Transaction& tx) -> Status {
            PARCOURS_RETURN_IF_ERROR(tx.accounts().InsertUser(Responder("r-nor", "normandie")));
            PARCOURS_RETURN_IF_ERROR(tx.accounts().InsertUser(Responder("r-mtq", "martinique")));
            PARCOURS_RETURN_IF_ERROR(
                tx.accounts().InsertUser(Responder("r-off", "normandie", true)));
            // Normandie: one immediate overdue, one 72h on time, one closed.
            PARCOURS_RETURN_IF_ERROR(tx.InsertAlert(
                Alert("a1", "normandie", domain::Urgency::kImmediate, kMonday - kHour)));
            PARCOURS_RETURN_IF_ERROR(tx.InsertAlert(
                Alert("a2", "normandie", domain::Urgency::kWithin72h, kMonday + kDay)));
            PARCOURS_RETURN_IF_ERROR(tx.InsertAlert(
                Alert("a3", "normandie", domain::Urgency::kWithin24h, kMonday - kDay, "closed")));
            return Status::Ok();
          })
          .ok());
  std::vector<OutgoingMessage> sent;
  DigestJob job = Digest(sent);
  // 06:59 in Normandie (UTC+1): too early.
  auto early = job.RunDue(kMonday + 5 * kHour + 59 * 60'000);
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(sent.empty());
  // 08:00 Paris = 07:00 UTC: the Normandie responder only (03:00 in Martinique).
  ASSERT_TRUE(job.RunDue(kMonday + 7 * kHour).ok());
  ASSERT_EQ(sent.size(), 1u);
  const OutgoingMessage& m = sent[0];
  EXPECT_EQ(m.to, "r-nor@example.fr");
  EXPECT_EQ(m.channel, "email");
  EXPECT_EQ(m.kind, "digest");
  EXPECT_EQ(m.dedupe_key, "digest/r-nor/2026-11-23/email");
  EXPECT_EQ(m.vars.at("open_total"), "2");
  EXPECT_EQ(m.vars.at("overdue_total"), "1");
  EXPECT_EQ(m.vars.at("open_immediate"), "1");
  EXPECT_EQ(m.vars.at("overdue_immediate"), "1");
  EXPECT_EQ(m.vars.at("open_72h"), "1");
  EXPECT_EQ(m.vars.at("open_24h"), "0");
  EXPECT_EQ(m.vars.at("inbox_url"), "https://dpp.example/pro/alertes");
  for (const auto& [k, v] : m.vars) EXPECT_EQ(v.find("REF-"), std::string::npos) << k;
  // Later in the same hour (another instance, another tick): the same key.
  ASSERT_TRUE(job.RunDue(kMonday + 7 * kHour + 40 * 60'000).ok());
  EXPECT_EQ(sent.size(), 1u);
  // A scheduler first started at 10:00 local: no catch-up for anyone.
  std::vector<OutgoingMessage> late;
  DigestJob restarted = Digest(late);
  ASSERT_TRUE(restarted.RunDue(kMonday + 9 * kHour).ok());
  EXPECT_TRUE(late.empty());
  // 08:00 in Martinique = 12:00 UTC: its responder, with no open alert.
  ASSERT_TRUE(job.RunDue(kMonday + 12 * kHour).ok());
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].to, "r-mtq@example.fr");
  EXPECT_EQ(sent[1].vars.at("open_total"), "0");
  EXPECT_EQ(sent[1].vars.at("none_open"), "1");
  // The next morning: a new one.
  ASSERT_TRUE(job.RunDue(kMonday + kDay + 7 * kHour).ok());
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[2].dedupe_key, "digest/r-nor/2026-11-24/email");
}

TEST_F(Jobs, PurgeRemovesWhatIsDueAndNothingElse) {
  const domain::TimestampMs now = kMonday;
  auto closed_at = [](storage::AlertRecord a, domain::TimestampMs at) {
    a.updated_at = at;
    return a;
  };
  ASSERT_TRUE((*db_)
                  .Transact([&](storage::Transaction& tx) -> Status {
                    PARCOURS_RETURN_IF_ERROR(tx.InsertAlert(closed_at(
                        Alert("old", "normandie", domain::Urgency::kWithin7d, 0, "closed"),
                        now - 91 * kDay)));
                    PARCOURS_RETURN_IF_ERROR(tx.InsertAlert(closed_at(
                        Alert("recent", "normandie", domain::Urgency::kWithin7d, 0, "closed"),
                        now - 89 * kDay)));
                    PARCOURS_RETURN_IF_ERROR(tx.InsertAlert(closed_at(
                        Alert("open", "normandie", domain::Urgency::kWithin7d, 0, "assigned"),
                        now - 200 * kDay)));
                    return Status::Ok();
                  })
                  .ok());
  const int audit = Count("SELECT count(*) FROM audit_log");
  PurgeJob purge(*db_, RetentionPeriods{});
  auto n = purge.RunDue(now);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM alerts WHERE contact_sealed IS NULL"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM alerts WHERE id = 'old' AND contact_sealed IS NULL "
                  "AND contact_key IS NULL"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM alerts"), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'purge'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audit + 1);
  // Nothing left: another run (a fresh process) erases nothing and writes
  // no audit row.
  PurgeJob later(*db_, RetentionPeriods{});
  auto again = later.RunDue(now);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audit + 1);
}

}  // namespace
}  // namespace parcours::app
