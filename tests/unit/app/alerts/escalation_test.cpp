// The escalation sweep on a real SQLite database with a clock the test
// moves: one `escalated` event per overdue open alert per deadline per
// level, however many sweeps (or instances) run; level 2 only where the
// territory file names a second level, `after_hours` past the deadline.
#include "app/alerts/escalation.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "../auth/test_clock.h"
#include "../directory/directory_test_support.h"
#include "app/clock.h"
#include "app/pathway_config.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

namespace fs = std::filesystem;
using testing::kHour;
using testing::TempDatabase;
using testing::TestClock;

constexpr domain::TimestampMs kT0 = 1795392000000;  // 2026-11-23 00:00 UTC

// A copy of data/ whose Hauts-de-France file names a second level (4 h).
class ShareWithSecondLevel {
 public:
  ShareWithSecondLevel() {
    dir_ = fs::temp_directory_path() / ("parcours-esc-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::copy(fs::path(PARCOURS_SOURCE_DIR) / "data", dir_ / "data", fs::copy_options::recursive);
    const fs::path file = dir_ / "data/territories/hauts-de-france.json";
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    auto v = boost::json::parse(text.str());
    v.as_object()["escalation"] = boost::json::parse(
        R"({"second_level":{"names":{"fr":"DSRP d'astreinte"},"after_hours":4}})");
    std::ofstream(file) << boost::json::serialize(v);
  }
  ~ShareWithSecondLevel() { fs::remove_all(dir_); }
  std::string dir() const { return dir_.string(); }

 private:
  fs::path dir_;
};

storage::AlertRecord Alert(std::string id, std::string territory, domain::TimestampMs deadline,
                           std::string status = "new") {
  storage::AlertRecord a;
  a.reference = "REF-" + id;
  a.id = std::move(id);
  a.created_at = kT0;
  a.kind = "recontact";
  a.territory_code = std::move(territory);
  a.urgency = domain::Urgency::kWithin24h;
  a.deadline_at = deadline;
  a.status = std::move(status);
  a.updated_at = kT0;
  return a;
}

class EscalationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(db_.get(), nullptr);
    auto config = PathwayConfig::Load(share_.dir());
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    config_ = std::make_unique<PathwayConfig>(std::move(*config));
  }

  void Insert(const storage::AlertRecord& a) {
    Status st = (*db_).Transact([&](storage::Transaction& tx) { return tx.InsertAlert(a); });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  // "alert/level" of every escalated event, in seq order.
  std::vector<std::string> Escalations() {
    std::vector<std::string> out;
    Status st = (*db_).Read([&](storage::Transaction& tx) -> Status {
      auto events = tx.alerts().EventsAfter(0, 1000);
      if (!events.ok()) return events.status();
      for (const auto& e : *events) {
        if (e.type != domain::AlertEventType::kEscalated) continue;
        auto f = boost::json::parse(e.fields).as_object();
        out.push_back(e.alert_id + "/" + std::to_string(f.at("level").as_int64()));
        EXPECT_EQ(e.actor, "system");
        EXPECT_EQ(f.at("notify").as_string(),
                  f.at("level").as_int64() == 1 ? "coordinators" : "second_level");
      }
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  ShareWithSecondLevel share_;
  TempDatabase db_;
  std::unique_ptr<PathwayConfig> config_;
  TestClock clock_{kT0};
  SystemRandom random_;
};

TEST_F(EscalationTest, OneEventPerOverdueAlertPerDeadline) {
  Insert(Alert("late", "normandie", kT0 + kHour));
  Insert(Alert("later", "normandie", kT0 + 3 * kHour));
  Insert(Alert("closed", "normandie", kT0, "closed"));
  AlertEscalation sweep(*config_, *db_, clock_, random_);
  clock_.Set(kT0 + 2 * kHour);
  auto r = sweep.SweepOnce();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->recorded, 1);
  EXPECT_EQ(Escalations(), (std::vector<std::string>{"late/1"}));
  // Later sweeps add nothing for the same deadline; a newly overdue alert
  // gets its own.
  ASSERT_TRUE(sweep.SweepOnce().ok());
  clock_.Set(kT0 + 4 * kHour);
  r = sweep.SweepOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->recorded, 1);
  EXPECT_EQ(Escalations(), (std::vector<std::string>{"late/1", "later/1"}));
}

TEST_F(EscalationTest, TwoInstancesRecordEachEscalationOnce) {
  for (int i = 0; i < 20; ++i) Insert(Alert("a" + std::to_string(i), "normandie", kT0));
  clock_.Set(kT0 + kHour);
  AlertEscalation one(*config_, *db_, clock_, random_);
  AlertEscalation two(*config_, *db_, clock_, random_);
  int recorded = 0;
  std::thread t1([&] {
    auto r = one.SweepOnce();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    recorded += r->recorded;
  });
  auto r2 = two.SweepOnce();
  t1.join();
  ASSERT_TRUE(r2.ok()) << r2.status().ToString();
  recorded += r2->recorded;
  EXPECT_EQ(recorded, 20);
  EXPECT_EQ(Escalations().size(), 20u);
}

TEST_F(EscalationTest, SecondLevelOnlyWhereNamedAndAfterItsDelay) {
  Insert(Alert("hdf", "hauts-de-france", kT0));
  Insert(Alert("nor", "normandie", kT0));
  AlertEscalation sweep(*config_, *db_, clock_, random_);
  clock_.Set(kT0 + 3 * kHour);  // before the 4 h of the second level
  ASSERT_TRUE(sweep.SweepOnce().ok());
  EXPECT_EQ(Escalations(), (std::vector<std::string>{"hdf/1", "nor/1"}));
  clock_.Set(kT0 + 5 * kHour);
  ASSERT_TRUE(sweep.SweepOnce().ok());
  ASSERT_TRUE(sweep.SweepOnce().ok());
  EXPECT_EQ(Escalations(), (std::vector<std::string>{"hdf/1", "nor/1", "hdf/2"}));
}

}  // namespace
}  // namespace parcours::app
