// RecontactGate over demo mode, against a real SQLite database and the
// shipped configuration: the shipped territories are closed; `demo load`
// opens three with fictional teams (holidays kept); a broken setting keeps
// the previous snapshot; a snapshot held by a caller outlives a change.
#include "app/recontact_gate.h"

#include <gtest/gtest.h>

#include "app/demo_mode.h"
#include "app/pathway_config.h"
#include "directory/directory_test_support.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

PathwayConfig Shipped() {
  auto c = PathwayConfig::Load(PARCOURS_SOURCE_DIR);
  EXPECT_TRUE(c.ok()) << c.status().message();
  return std::move(*c);
}

TEST(RecontactGate, ShippedTerritoriesAreClosedUntilDemoModeOpensThree) {
  testing::TempDatabase db;
  ASSERT_NE(db.get(), nullptr);
  const PathwayConfig config = Shipped();
  testing::FixedClock clock(1000000);
  DemoMode demo(*db, config, clock);
  RecontactGate gate(&demo, nullptr);  // demo rules alone here
  for (const auto& t : config.territories().all()) EXPECT_FALSE(gate.IsOpen(t)) << t.code;
  EXPECT_FALSE(demo.Current()->loaded);

  auto opened = RecordDemoMode(*db, config, clock, PARCOURS_SOURCE_DIR);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(*opened, (std::vector<std::string>{"hauts-de-france", "martinique", "normandie"}));
  // Read again at most once a second.
  EXPECT_FALSE(demo.Current()->loaded);
  clock.Set(1'001'000);
  EXPECT_TRUE(demo.Current()->loaded);
  auto terms = gate.Terms(*config.territories().Find("martinique"));
  ASSERT_NE(terms, nullptr);
  EXPECT_NE(domain::TeamName(*terms, "fr").find("(fictive)"), std::string::npos);
  EXPECT_FALSE(terms->hours.empty());
  EXPECT_TRUE(terms->closed_days.Contains({2026, 5, 22}));  // the territory's holidays kept
  EXPECT_FALSE(gate.IsOpen(*config.territories().Find("occitanie")));
  EXPECT_FALSE(gate.IsOpen(config.territories().outside()));

  // A setting that no longer parses keeps the last good snapshot; the terms
  // a caller holds stay valid whatever happens next.
  ASSERT_TRUE(db.get()
                  ->Transact([](storage::Transaction& tx) {
                    return tx.PutSetting(kDemoSetting, R"({"recontact": {"atlantis": {}}})");
                  })
                  .ok());
  clock.Set(1'002'000);
  EXPECT_TRUE(gate.IsOpen(*config.territories().Find("normandie")));
  ASSERT_TRUE(db.get()
                  ->Transact([](storage::Transaction& tx) {
                    return tx.PutSetting(kDemoSetting, R"({"recontact": {}})");
                  })
                  .ok());
  clock.Set(1'003'000);
  EXPECT_FALSE(gate.IsOpen(*config.territories().Find("normandie")));
  EXPECT_EQ(domain::TeamName(*terms, "en").find("demo team"), 4u);
}

TEST(RecontactGate, DemoStateIsCheckedAgainstTheTerritories) {
  const PathwayConfig config = Shipped();
  EXPECT_EQ(
      ParseDemoState(config, R"({"recontact": {"atlantis": {"open": true}}})").status().field(),
      "recontact.atlantis");
  EXPECT_EQ(ParseDemoState(config, R"({"recontact": {"paca": {"open": true}}})").status().field(),
            "paca.recontact.team");
  EXPECT_EQ(ParseDemoState(config, R"({"recontact": {"paca": {"open": false}}})").status().field(),
            "recontact.paca");
  EXPECT_TRUE(ParseDemoState(config, R"({"recontact": {}})").ok());
}

TEST(RecontactGate, AnOpenFileWinsWithoutDemoMode) {
  domain::Territory t;
  t.code = "x";
  t.recontact.open = true;
  t.recontact.team["fr"] = "équipe";
  RecontactGate gate(nullptr, nullptr);
  auto terms = gate.Terms(t);
  ASSERT_NE(terms, nullptr);
  EXPECT_EQ(terms.get(), &t.recontact);
  t.recontact.open = false;
  EXPECT_FALSE(gate.IsOpen(t));
}

// Issue 7: a territory open in its file takes requests only while it has
// an active (not disabled) responder or coordinator account, checked at
// each call; other roles do not count, nor do other territories' accounts.
TEST(RecontactGate, AnOpenTerritoryNeedsAnActiveResponderOrCoordinator) {
  testing::TempDatabase db;
  ASSERT_NE(db.get(), nullptr);
  domain::Territory t;
  t.code = "normandie";
  t.recontact.open = true;
  t.recontact.team["fr"] = "équipe";
  RecontactGate gate(nullptr, db.get());
  EXPECT_FALSE(gate.IsOpen(t)) << "no account at all";

  auto put = [&](const std::string& id, const std::string& role, const std::string& territory,
                 bool disabled, bool insert) {
    storage::UserRecord u;
    u.id = id;
    u.email = id + "@example.org";
    u.name = id;
    u.role = role;
    u.territories = {territory};
    u.disabled = disabled;
    u.created_at = 1000;
    u.updated_at = 1000;
    ASSERT_TRUE(db.get()
                    ->Transact([&](storage::Transaction& tx) {
                      return insert ? tx.accounts().InsertUser(u) : tx.accounts().UpdateUser(u);
                    })
                    .ok());
  };
  put("pro", "professional", "normandie", false, true);
  put("team-elsewhere", "responder", "occitanie", false, true);
  EXPECT_FALSE(gate.IsOpen(t)) << "a professional, or another territory's responder, is no team";
  put("resp", "responder", "normandie", false, true);
  EXPECT_TRUE(gate.IsOpen(t)) << "an active responder who never logged in counts";
  put("resp", "responder", "normandie", true, false);
  EXPECT_FALSE(gate.IsOpen(t)) << "disabled: closed again";
  put("lead", "coordinator", "normandie", false, true);
  EXPECT_TRUE(gate.IsOpen(t)) << "a coordinator counts";
  t.recontact.open = false;
  EXPECT_FALSE(gate.IsOpen(t)) << "accounts never open a territory its file closes";
}

}  // namespace
}  // namespace parcours::app
