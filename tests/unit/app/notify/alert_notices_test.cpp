// Who hears of a new or overdue alert, on which channel, written in the
// transaction of the cause and exactly once (real SQLite database).
#include "app/notify/alert_notices.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../directory/directory_test_support.h"
#include "../test_services.h"
#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "app/notify/outbox.h"
#include "app/pathway_config.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

namespace fs = std::filesystem;
using testing::FixedClock;
using testing::TempDatabase;

constexpr char kKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr domain::TimestampMs kT0 = 1795392000000;

// A copy of data/ whose Normandie file names a second level with an e-mail.
class ShareWithSecondLevel {
 public:
  ShareWithSecondLevel() {
    dir_ = fs::temp_directory_path() / ("parcours-notices-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::copy(fs::path(PARCOURS_SOURCE_DIR) / "data", dir_ / "data", fs::copy_options::recursive);
    const fs::path file = dir_ / "data/territories/normandie.json";
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    auto v = boost::json::parse(text.str());
    v.as_object()["escalation"] = boost::json::parse(
        R"({"second_level":{"names":{"fr":"DSRP"},"email":"astreinte@dsrp.example.fr","after_hours":4}})");
    std::ofstream(file) << boost::json::serialize(v);
  }
  ~ShareWithSecondLevel() { fs::remove_all(dir_); }
  std::string dir() const { return dir_.string(); }

 private:
  fs::path dir_;
};

storage::UserRecord User(std::string id, std::string role, std::vector<std::string> subs = {},
                         std::optional<std::string> phone = std::nullopt, bool disabled = false) {
  storage::UserRecord u;
  u.email = id + "@example.fr";
  u.id = std::move(id);
  u.name = "X";
  u.role = std::move(role);
  u.territories = {"normandie"};
  u.sub_territories = std::move(subs);
  u.phone = std::move(phone);
  u.disabled = disabled;
  u.created_at = u.updated_at = kT0;
  return u;
}

storage::AlertRecord Alert(domain::Urgency urgency, bool crisis,
                           std::optional<std::string> sub = std::nullopt) {
  storage::AlertRecord a;
  a.id = "01alert0000000000000000000";
  a.reference = "ABCDE-FGHJK-MNPQR";
  a.created_at = a.updated_at = kT0;
  a.kind = crisis ? "item10" : "recontact";
  a.territory_code = "normandie";
  a.sub_territory_code = std::move(sub);
  a.urgency = urgency;
  a.crisis = crisis;
  a.deadline_at = kT0 + 3'600'000;
  a.status = "new";
  return a;
}

int Or(const Result<int>& r, int otherwise) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : otherwise;
}

class AlertNoticesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(db_.get(), nullptr);
    auto config = PathwayConfig::Load(share_.dir());
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    config_ = std::make_unique<PathwayConfig>(std::move(*config));
    sealer_ = testing::SealerOf(kKey);
    ASSERT_NE(sealer_, nullptr);
    notices_ = std::make_unique<AlertNotices>(*config_, *sealer_, clock_, random_);
  }

  void AddUsers(const std::vector<storage::UserRecord>& users) {
    Status st = (*db_).Transact([&](storage::Transaction& tx) -> Status {
      for (const auto& u : users) PARCOURS_RETURN_IF_ERROR(tx.accounts().InsertUser(u));
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  Result<int> Created(const storage::AlertRecord& a) {
    int n = 0;
    Status st = (*db_).Transact([&](storage::Transaction& tx) -> Status {
      auto r = notices_->AlertCreated(tx, a);
      if (!r.ok()) return r.status();
      n = *r;
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return n;
  }

  // "channel:to" of every message, sorted.
  std::vector<std::string> Outbox() {
    std::vector<std::string> out;
    Status st = (*db_).Read([&](storage::Transaction& tx) -> Status {
      auto rows = tx.outbox().List({});
      if (!rows.ok()) return rows.status();
      for (const auto& m : *rows) {
        auto plain = sealer_->Open(m.payload_sealed);
        if (!plain.ok()) return plain.status();
        auto p = DecodePayload(*plain);
        if (!p.ok()) return p.status();
        out.push_back(m.channel + ":" + p->to);
        EXPECT_EQ(m.territory_code, "normandie");
        // Nothing about the parent or the request: the inbox link only.
        EXPECT_EQ(p->vars, (std::map<std::string, std::string>{{"path", "/pro/alertes"}}));
      }
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    std::sort(out.begin(), out.end());
    return out;
  }

  ShareWithSecondLevel share_;
  TempDatabase db_;
  std::unique_ptr<PathwayConfig> config_;
  std::unique_ptr<Sealer> sealer_;
  std::unique_ptr<AlertNotices> notices_;
  FixedClock clock_{kT0};
  SystemRandom random_;
};

TEST_F(AlertNoticesTest, EveryActiveResponderByEmailAndSmsOnlyWhenImmediate) {
  AddUsers({User("r1", "responder", {}, "+33611111111"), User("r2", "responder"),
            User("off", "responder", {}, "+33622222222", /*disabled=*/true),
            User("coord", "coordinator"), User("pro", "professional")});
  EXPECT_EQ(Or(Created(Alert(domain::Urgency::kWithin72h, false)), -1), 2);
  EXPECT_EQ(Outbox(), (std::vector<std::string>{"email:r1@example.fr", "email:r2@example.fr"}));
}

TEST_F(AlertNoticesTest, ImmediateOrItem10AlsoBySms) {
  AddUsers({User("r1", "responder", {}, "+33611111111"), User("r2", "responder")});
  EXPECT_EQ(Or(Created(Alert(domain::Urgency::kImmediate, false)), -1), 3);
  EXPECT_EQ(Outbox(), (std::vector<std::string>{"email:r1@example.fr", "email:r2@example.fr",
                                                "sms:+33611111111"}));
  // Created again (an event replayed): nothing more.
  EXPECT_EQ(Outbox().size(), 3u);
  ASSERT_TRUE(Created(Alert(domain::Urgency::kImmediate, false)).ok());
  EXPECT_EQ(Outbox().size(), 3u);
}

TEST_F(AlertNoticesTest, Item10WhateverTheUrgency) {
  AddUsers({User("r1", "responder", {}, "+33611111111")});
  EXPECT_EQ(Or(Created(Alert(domain::Urgency::kWithin24h, true)), -1), 2);
}

TEST_F(AlertNoticesTest, TheSubTerritorysRespondersElseTheTerritorys) {
  AddUsers({User("caen", "responder", {"caen"}), User("rouen", "responder", {"rouen"}),
            User("all", "responder")});
  ASSERT_TRUE(Created(Alert(domain::Urgency::kWithin72h, false, "caen")).ok());
  EXPECT_EQ(Outbox(), (std::vector<std::string>{"email:all@example.fr", "email:caen@example.fr"}));
}

TEST_F(AlertNoticesTest, NobodyNarrowedToTheSubTerritoryMeansTheWholeTerritory) {
  AddUsers({User("rouen", "responder", {"rouen"}), User("havre", "responder", {"havre"})});
  ASSERT_TRUE(Created(Alert(domain::Urgency::kWithin72h, false, "caen")).ok());
  EXPECT_EQ(Outbox(),
            (std::vector<std::string>{"email:havre@example.fr", "email:rouen@example.fr"}));
}

TEST_F(AlertNoticesTest, OverdueGoesToCoordinatorsThenTheSecondLevel) {
  AddUsers({User("coord", "coordinator"), User("r1", "responder")});
  const storage::AlertRecord a = Alert(domain::Urgency::kWithin24h, false);
  Status st = (*db_).Transact([&](storage::Transaction& tx) -> Status {
    auto one = notices_->Escalated(tx, a, 1);
    if (!one.ok()) return one.status();
    EXPECT_EQ(*one, 1);
    auto again = notices_->Escalated(tx, a, 1);  // two instances sweeping
    if (!again.ok()) return again.status();
    auto two = notices_->Escalated(tx, a, 2);
    if (!two.ok()) return two.status();
    EXPECT_EQ(*two, 1);
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(Outbox(), (std::vector<std::string>{"email:astreinte@dsrp.example.fr",
                                                "email:coord@example.fr"}));
}

TEST_F(AlertNoticesTest, AFailedCauseLeavesNoMessage) {
  AddUsers({User("r1", "responder")});
  Status st = (*db_).Transact([&](storage::Transaction& tx) -> Status {
    auto r = notices_->AlertCreated(tx, Alert(domain::Urgency::kImmediate, false));
    if (!r.ok()) return r.status();
    return Status::Unavailable("the alert could not be written");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_TRUE(Outbox().empty());
}

}  // namespace
}  // namespace parcours::app
