// The alert commands on a real SQLite database behind a storage that fails
// on the Nth write: whatever write fails, the alert keeps its state and no
// event or audit row is left (the state, its event and the audit row are one
// transaction); and the checks that need no database.
#include "app/alerts/alert_service.h"

#include <gtest/gtest.h>

#include "../directory/directory_test_support.h"
#include "../failing_storage.h"
#include "../test_services.h"
#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "app/pathway_config.h"
#include "app/recontact_gate.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

using testing::FailingStorage;
using testing::FixedClock;
using testing::TempDatabase;

constexpr char kKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr domain::TimestampMs kT0 = 1795392000000;  // Monday 2026-11-23 00:00 UTC

class AlertServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(db_.get(), nullptr);
    config_ = testing::LoadPathway();
    ASSERT_NE(config_, nullptr);
    sealer_ = testing::SealerOf(kKey);
    ASSERT_NE(sealer_, nullptr);
    gate_ = std::make_unique<RecontactGate>(nullptr, nullptr);
    storage::AlertRecord a;
    a.id = "01alert0000000000000000000";
    a.reference = "ABCDE-FGHJK-MNPQR";
    a.created_at = a.updated_at = kT0;
    a.kind = "recontact";
    a.territory_code = "normandie";
    a.urgency = domain::Urgency::kWithin72h;
    a.deadline_at = kT0 + 72 * 3'600'000LL;
    a.status = "new";
    ASSERT_TRUE((*db_).Transact([&](storage::Transaction& tx) { return tx.InsertAlert(a); }).ok());
    responder_.user_id = "u1";
    responder_.role = domain::Role::kResponder;
    responder_.territories = {"normandie"};
  }

  AlertService Service(storage::Storage& s) {
    return AlertService(*config_, *gate_, s, clock_, random_, *sealer_);
  }

  int Count(const std::string& table) {
    int n = 0;
    EXPECT_TRUE((*db_)
                    .Read([&](storage::Transaction& tx) -> Status {
                      if (table == "events") {
                        auto e = tx.alerts().EventsAfter(0, 100);
                        if (!e.ok()) return e.status();
                        n = static_cast<int>(e->size());
                      } else {
                        auto a = tx.ListAudit("alert", "01alert0000000000000000000");
                        if (!a.ok()) return a.status();
                        n = static_cast<int>(a->size());
                      }
                      return Status::Ok();
                    })
                    .ok());
    return n;
  }

  TempDatabase db_;
  FixedClock clock_{kT0 + 3'600'000};
  SystemRandom random_;
  std::unique_ptr<PathwayConfig> config_;
  std::unique_ptr<Sealer> sealer_;
  std::unique_ptr<RecontactGate> gate_;
  domain::Principal responder_;
};

TEST_F(AlertServiceTest, AQualificationIsWholeOrAbsentWhateverWriteFails) {
  AlertCommandInput in;
  in.type = domain::AlertEventType::kQualify;
  in.urgency = domain::Urgency::kWithin24h;
  int fail_at = 1;
  for (;; ++fail_at) {
    FailingStorage failing(*db_, fail_at);
    AlertService s = Service(failing);
    auto r = s.Apply(responder_, "01alert0000000000000000000", in);
    if (r.ok()) break;
    EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status().ToString();
    auto d = Service(*db_).Get(responder_, "01alert0000000000000000000", false);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->item.alert.status, "new") << "write " << fail_at;
    EXPECT_EQ(d->item.alert.version, 0);
    EXPECT_EQ(Count("events"), 0);
    ASSERT_LT(fail_at, 10);
  }
  EXPECT_EQ(fail_at, 3);  // the audit row, the commit, then success
  EXPECT_EQ(Count("events"), 1);
}

TEST_F(AlertServiceTest, AccessAndScope) {
  domain::Principal other = responder_;
  other.territories = {"hauts-de-france"};
  AlertService s = Service(*db_);
  EXPECT_EQ(s.Get(other, "01alert0000000000000000000", false).status().code(),
            StatusCode::kNotFound);
  domain::Principal admin = responder_;
  admin.role = domain::Role::kAdmin;
  EXPECT_EQ(s.Get(admin, "01alert0000000000000000000", false).status().code(),
            StatusCode::kForbidden);
  AlertCommandInput bad;  // no type, a note too long
  bad.note = std::string(2001, 'x');
  auto r = s.Apply(responder_, "01alert0000000000000000000", bad);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().field_errors().size(), 2u);
}

TEST_F(AlertServiceTest, HalfDaysAreLocal) {
  // 11:30 UTC is 12:30 in Paris (pm) and 07:30 in Martinique (am).
  const domain::TimestampMs t = kT0 + 11 * 3'600'000LL + 30 * 60'000;
  EXPECT_EQ(HalfDayKey("Europe/Paris", t), "2026-11-23/pm");
  EXPECT_EQ(HalfDayKey("America/Martinique", t), "2026-11-23/am");
}

}  // namespace
}  // namespace parcours::app
