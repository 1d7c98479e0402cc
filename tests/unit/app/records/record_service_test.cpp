// Follow-up records, share codes and referrals through their typed seam, on
// a real SQLite database: who may read a record (others get kNotFound), the
// share code (expiry, single use, attempt limit per account kept in the
// database, nothing shared without it), every read audited, and a failed
// write (FailingStorage) leaves nothing half-written.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../directory/directory_test_support.h"
#include "../failing_storage.h"
#include "../test_services.h"
#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "app/records/record_service.h"
#include "app/records/referral_service.h"
#include "storage/sqlite/sqlite_internal.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

using testing::FailingStorage;
using testing::FixedClock;
using testing::TempDatabase;

constexpr char kKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr domain::TimestampMs kNow = 1796040000000;  // 2026-11-29
constexpr domain::TimestampMs kDay = 86400000;

domain::Principal Who(std::string id, domain::Role role, std::vector<std::string> territories) {
  return domain::Principal{std::move(id), role, std::move(territories), {}};
}

class RecordUseCases : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(db_.get(), nullptr);
    sealer_ = testing::SealerOf(kKey);
    ASSERT_NE(sealer_, nullptr);
    Status st = (*db_).Transact([](storage::Transaction& tx) -> Status {
      auto user = [&](const char* id, const char* role, const char* territory) {
        storage::UserRecord u;
        u.id = id;
        u.email = std::string(id) + "@example.fr";
        u.name = std::string("Nom ") + id;
        u.role = role;
        u.territories = {territory};
        u.password_hash = "x";
        return tx.accounts().InsertUser(u);
      };
      PARCOURS_RETURN_IF_ERROR(user("sf", "professional", "normandie"));
      PARCOURS_RETURN_IF_ERROR(user("colleague", "professional", "normandie"));
      PARCOURS_RETURN_IF_ERROR(user("team", "specialised_team", "normandie"));
      PARCOURS_RETURN_IF_ERROR(user("far", "professional", "paca"));
      for (const char* id : {"scr1", "scr2"}) {
        storage::ScreeningRecord s;
        s.id = id;
        s.created_at = kNow - 3 * kDay;
        s.instrument = "epds";
        s.language = "fr";
        s.source = "direct";
        s.answers = {1, 1, 2, 1, 2, 2, 2, 2, 2, 3};
        s.score = 12;
        s.band = domain::Band::kPossible;
        s.threshold_set_id = "national-default";
        s.threshold_version = 1;
        s.territory_code = "normandie";
        PARCOURS_RETURN_IF_ERROR(tx.InsertScreening(s));
      }
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  RecordService Service(storage::Storage& s) {
    return RecordService(s, clock_, random_, *sealer_, timing_);
  }

  int Count(const std::string& table) {
    auto conn = storage::sqlite_internal::OpenConn(db_.dir() + "/test.db", /*read_only=*/true);
    EXPECT_TRUE(conn.ok());
    storage::sqlite_internal::Stmt q(**conn, ("SELECT count(*) FROM " + table).c_str());
    EXPECT_TRUE(q.Step());
    return static_cast<int>(q.Int(0));
  }
  int CountAudit(const std::string& action) {
    auto conn = storage::sqlite_internal::OpenConn(db_.dir() + "/test.db", true);
    storage::sqlite_internal::Stmt q(**conn, "SELECT count(*) FROM audit_log WHERE action = ?");
    q.Bind(action);
    EXPECT_TRUE(q.Step());
    return static_cast<int>(q.Int(0));
  }

  NewRecordInput Input() {
    NewRecordInput in;
    in.respondent = domain::Respondent::kMother;
    in.identity.name = "C.";
    in.identity.birth_year = 1993;
    in.identity.child_birth_date = "2026-11-01";
    in.identity.birth_expected = false;
    return in;
  }

  std::string NewRecord() {
    auto id = Service(*db_).Create(sf_, Input());
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : "";
  }

  TempDatabase db_;
  FixedClock clock_{kNow};
  SystemRandom random_;
  std::unique_ptr<Sealer> sealer_;
  domain::TimingRules timing_;
  domain::Principal sf_ = Who("sf", domain::Role::kProfessional, {"normandie"});
  domain::Principal colleague_ = Who("colleague", domain::Role::kProfessional, {"normandie"});
  domain::Principal team_ = Who("team", domain::Role::kSpecialisedTeam, {"normandie"});
  domain::Principal far_ = Who("far", domain::Role::kProfessional, {"paca"});
};

TEST_F(RecordUseCases, CreateSealsTheIdentityAndAuditsTheRead) {
  const std::string id = NewRecord();
  // Nothing of the identity in clear in the database.
  auto conn = storage::sqlite_internal::OpenConn(db_.dir() + "/test.db", true);
  storage::sqlite_internal::Stmt q(**conn, "SELECT identity_sealed FROM follow_up_records");
  ASSERT_TRUE(q.Step());
  const auto blob = q.Blob(0);
  EXPECT_EQ(std::string(blob.begin(), blob.end()).find("2026-11-01"), std::string::npos);

  const int reads = CountAudit("read");
  auto view = Service(*db_).Open(sf_, id);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->identity.name, "C.");
  ASSERT_TRUE(view->next);
  EXPECT_EQ(domain::ToIsoDate(view->next->second_peak), "2026-12-13");
  EXPECT_EQ(domain::ToIsoDate(view->next->epnp_from), "2026-11-29");
  EXPECT_EQ(domain::ToIsoDate(view->next->epnp_until), "2026-12-27");
  EXPECT_EQ(CountAudit("read"), reads + 1);
}

TEST_F(RecordUseCases, CreateReportsEveryFieldAndWritesNothing) {
  NewRecordInput in;
  in.identity.birth_year = 3000;
  in.identity.child_birth_date = "soon";
  auto r = Service(*db_).Create(sf_, in);
  ASSERT_FALSE(r.ok());
  std::vector<std::string> fields;
  for (const auto& e : r.status().field_errors()) fields.push_back(e.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"respondent", "name", "birth_year", "child_birth_date"}));
  EXPECT_EQ(Count("follow_up_records"), 0);
  EXPECT_EQ(Count("audit_log"), 0);
}

TEST_F(RecordUseCases, OnlyMembersOfTheTerritoryReadARecord) {
  const std::string id = NewRecord();
  // A colleague of the same territory, not a member; a professional of
  // another territory; a missing id: the same answer.
  EXPECT_EQ(Service(*db_).Open(colleague_, id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Service(*db_).Open(far_, id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Service(*db_).Open(sf_, "01jzzzzzzzzzzzzzzzzzzzzzzz").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Service(*db_).AddNote(far_, id, "x").code(), StatusCode::kNotFound);
  // Shared with the colleague: readable.
  ASSERT_TRUE(Service(*db_).Share(sf_, id, "Colleague@example.fr ").ok());
  EXPECT_TRUE(Service(*db_).Open(colleague_, id).ok());
  // Not with someone of another territory.
  EXPECT_EQ(Service(*db_).Share(sf_, id, "far@example.fr").field(), "email");
  // A member who loses the territory loses the record.
  auto moved = Who("colleague", domain::Role::kProfessional, {"paca"});
  EXPECT_EQ(Service(*db_).Open(moved, id).status().code(), StatusCode::kNotFound);
}

TEST_F(RecordUseCases, NoRecordIsShownWhenItsReadCannotBeAudited) {
  const std::string id = NewRecord();
  FailingStorage failing(*db_, 1);  // the read's one write: its audit row
  auto view = Service(failing).Open(sf_, id);
  EXPECT_EQ(view.status().code(), StatusCode::kUnavailable);
  FailingStorage fhir(*db_, 1);
  EXPECT_EQ(Service(fhir).Screenings(sf_, id).status().code(), StatusCode::kUnavailable);
}

TEST_F(RecordUseCases, NotesAreSealed) {
  const std::string id = NewRecord();
  ASSERT_TRUE(Service(*db_).AddNote(sf_, id, "Revue à 15 jours, très fatiguée").ok());
  EXPECT_EQ(Service(*db_).AddNote(sf_, id, "  ").field(), "note");
  auto view = Service(*db_).Open(sf_, id);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->notes.size(), 1u);
  EXPECT_EQ(view->notes[0].text, "Revue à 15 jours, très fatiguée");
  EXPECT_EQ(view->notes[0].author_name, "Nom sf");
}

TEST_F(RecordUseCases, NothingIsSharedWithoutTheCode) {
  const std::string id = NewRecord();
  auto view = Service(*db_).Open(sf_, id);
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->screenings.empty());
  auto r = Service(*db_).AttachByShareCode(sf_, id, "ABCDE-FGHJK");
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Count("follow_up_screenings"), 0);
}

TEST_F(RecordUseCases, ShareCodeWorksOnceThenConflicts) {
  const std::string id = NewRecord();
  auto code = Service(*db_).IssueShareCode("scr1");
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  EXPECT_EQ(code->code.size(), 11u);
  EXPECT_EQ(code->expires_at, kNow + 30 * kDay);
  // Stored hashed: the code is nowhere in the database.
  auto conn = storage::sqlite_internal::OpenConn(db_.dir() + "/test.db", true);
  storage::sqlite_internal::Stmt q(**conn, "SELECT count(*) FROM share_codes WHERE code_hash = ?");
  q.Bind(code->code);
  ASSERT_TRUE(q.Step());
  EXPECT_EQ(q.Int(0), 0);

  std::string typed = code->code;
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto attached = Service(*db_).AttachByShareCode(sf_, id, typed);
  ASSERT_TRUE(attached.ok()) << attached.status().ToString();
  EXPECT_EQ(attached->screening.id, "scr1");
  EXPECT_EQ(attached->screening.answers.size(), 10u);
  auto view = Service(*db_).Open(sf_, id);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->screenings.size(), 1u);
  EXPECT_EQ(view->screenings[0].link.via, "share_code");

  // A second use, even on another record: refused, audited.
  auto other = Service(*db_).Create(sf_, Input());
  ASSERT_TRUE(other.ok());
  auto again = Service(*db_).AttachByShareCode(sf_, *other, code->code);
  EXPECT_EQ(again.status().code(), StatusCode::kConflict);
  EXPECT_EQ(CountAudit("share_code_failed"), 1);
}

TEST_F(RecordUseCases, ShareCodeExpiresAfterThirtyDays) {
  const std::string id = NewRecord();
  auto code = Service(*db_).IssueShareCode("scr1");
  ASSERT_TRUE(code.ok());
  clock_.Set(kNow + 30 * kDay);
  EXPECT_EQ(Service(*db_).AttachByShareCode(sf_, id, code->code).status().code(),
            StatusCode::kNotFound);
  clock_.Set(kNow + 30 * kDay - 1);
  EXPECT_TRUE(Service(*db_).AttachByShareCode(sf_, id, code->code).ok());
}

TEST_F(RecordUseCases, AttemptsAreLimitedPerAccountAcrossServiceInstances) {
  const std::string id = NewRecord();
  auto code = Service(*db_).IssueShareCode("scr2");
  ASSERT_TRUE(code.ok());
  for (int i = 0; i < RecordService::kShareAttemptLimit; ++i) {
    // A new service each time: the count lives in the database.
    auto r = Service(*db_).AttachByShareCode(sf_, id, i % 2 ? "00000-00000" : "not a code");
    EXPECT_NE(r.status().code(), StatusCode::kTooManyRequests) << i;
  }
  // Even the right code is refused now, and nothing is attached.
  EXPECT_EQ(Service(*db_).AttachByShareCode(sf_, id, code->code).status().code(),
            StatusCode::kTooManyRequests);
  EXPECT_EQ(Count("follow_up_screenings"), 0);
  EXPECT_EQ(CountAudit("share_code_refused"), 1);
  // Another account is not affected.
  ASSERT_TRUE(Service(*db_).Share(sf_, id, "colleague@example.fr").ok());
  EXPECT_TRUE(Service(*db_).AttachByShareCode(colleague_, id, code->code).ok());
  // An hour later the first account may try again.
  clock_.Set(kNow + 3600 * 1000);
  auto code2 = Service(*db_).IssueShareCode("scr1");
  ASSERT_TRUE(code2.ok());
  EXPECT_TRUE(Service(*db_).AttachByShareCode(sf_, id, code2->code).ok());
}

TEST_F(RecordUseCases, OtherParentNeedsConsentAndBothRecords) {
  const std::string mother = NewRecord();
  auto in = Input();
  in.respondent = domain::Respondent::kFather;
  in.identity.name = "J.";
  auto father = Service(*db_).Create(sf_, in);
  ASSERT_TRUE(father.ok());
  EXPECT_EQ(Service(*db_).LinkOtherParent(sf_, mother, *father, false).field(), "consent");
  EXPECT_EQ(Service(*db_).LinkOtherParent(sf_, mother, mother, true).field(), "other_record");
  EXPECT_EQ(CountAudit("consent"), 0);
  ASSERT_TRUE(Service(*db_).LinkOtherParent(sf_, mother, *father, true).ok());
  EXPECT_EQ(CountAudit("consent"), 1);
  auto view = Service(*db_).Open(sf_, mother);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->other_parents.size(), 1u);
  EXPECT_EQ(view->other_parents[0].name, "J.");
  EXPECT_EQ(view->other_parents[0].consent_at, kNow);
}

TEST_F(RecordUseCases, EveryFailedWriteOfAnAttachLeavesTheCodeUnused) {
  const std::string id = NewRecord();
  auto code = Service(*db_).IssueShareCode("scr1");
  ASSERT_TRUE(code.ok());
  const int audit = Count("audit_log");
  // Writes counted by the decorator: AppendAudit (1), then the commit (2).
  for (int n = 1; n <= 2; ++n) {
    FailingStorage failing(*db_, n);
    auto r = Service(failing).AttachByShareCode(sf_, id, code->code);
    EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << n;
    EXPECT_EQ(Count("follow_up_screenings"), 0) << n;
    EXPECT_EQ(Count("audit_log"), audit) << n;
  }
  FailingStorage works(*db_, 0);
  EXPECT_TRUE(Service(works).AttachByShareCode(sf_, id, code->code).ok());
}

TEST_F(RecordUseCases, ReferralToATeamSharesTheRecordAndTheTeamAnswers) {
  const std::string id = NewRecord();
  ReferralService referrals(*db_, clock_, random_, *sealer_);
  NewReferralInput in;
  in.record_id = id;
  in.target_kind = "team";
  in.team_user_id = "team";
  auto missing = referrals.Create(sf_, in);
  EXPECT_EQ(missing.status().field(), "joint_care");
  EXPECT_EQ(Count("referrals"), 0);
  in.joint_care = domain::JointCare::kYes;
  auto r = referrals.Create(sf_, in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, "sent");
  // The team now reads the record; a colleague still does not.
  EXPECT_TRUE(Service(*db_).Open(team_, id).ok());
  EXPECT_EQ(Service(*db_).Open(colleague_, id).status().code(), StatusCode::kNotFound);
  // Only the addressee accepts; an outsider gets kNotFound.
  EXPECT_EQ(referrals.Apply(sf_, r->id, domain::ReferralEvent::kAccept, {}).status().code(),
            StatusCode::kForbidden);
  EXPECT_EQ(referrals.Apply(colleague_, r->id, domain::ReferralEvent::kAccept, {}).status().code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(referrals.Apply(team_, r->id, domain::ReferralEvent::kAccept, {}).ok());
  domain::ReferralEventData date;
  date.appointment_date = "2026-12-07";
  auto met = referrals.Apply(team_, r->id, domain::ReferralEvent::kFirstAppointment, date);
  ASSERT_TRUE(met.ok()) << met.status().ToString();
  // The referrer sees every change, attributed and in order.
  auto sent = referrals.ListSent(sf_);
  ASSERT_TRUE(sent.ok());
  ASSERT_EQ(sent->size(), 1u);
  const auto& v = sent->front();
  EXPECT_EQ(v.referral.first_appointment, "2026-12-07");
  std::vector<std::string> steps;
  for (const auto& e : v.events) steps.push_back(e.to_status + "/" + e.actor);
  EXPECT_EQ(steps, (std::vector<std::string>{"proposed/sf", "sent/sf", "accepted/team",
                                             "first_appointment/team"}));
  auto inbox = referrals.ListReceived(team_);
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ(inbox->size(), 1u);
  EXPECT_EQ(inbox->front().parent_name, "C.");
}

TEST_F(RecordUseCases, AReferralBringsTheCallersOwnConsultationScreeningOnly) {
  const std::string id = NewRecord();
  ASSERT_TRUE((*db_)
                  .Transact([](storage::Transaction& tx) -> Status {
                    storage::ConsultationRecord c;
                    c.screening_id = "scr1";
                    c.created_at = kNow;
                    c.context = domain::ConsultationContext::kEpnp;
                    c.professional_id = "colleague";  // not the referrer
                    c.territory_code = "normandie";
                    PARCOURS_RETURN_IF_ERROR(tx.consultations().InsertConsultation(c));
                    c.screening_id = "scr2";
                    c.professional_id = "sf";
                    return tx.consultations().InsertConsultation(c);
                  })
                  .ok());
  ReferralService referrals(*db_, clock_, random_, *sealer_);
  NewReferralInput in;
  in.record_id = id;
  in.target_kind = "team";
  in.team_user_id = "team";
  in.joint_care = domain::JointCare::kToAssess;
  in.screening_id = "scr1";
  EXPECT_EQ(referrals.Create(sf_, in).status().field(), "screening");
  EXPECT_EQ(Count("follow_up_screenings"), 0);
  in.screening_id = "scr2";
  auto r = referrals.Create(sf_, in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->screening_id, "scr2");
  auto view = Service(*db_).Open(sf_, id);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->screenings.size(), 1u);
  EXPECT_EQ(view->screenings[0].link.via, "consultation");
}

TEST_F(RecordUseCases, ReferralToAResourceIsTrackedByTheReferrer) {
  const std::string id = NewRecord();
  storage::ResourceRecord res;
  res.source = "manual";
  res.resource.name = "CMP de Rouen";
  res.resource.kind = domain::ResourceKind::kAdultCmp;
  res.resource.postcode = "76000";
  res.resource.commune_code = "76540";
  std::int64_t resource_id = 0;
  ASSERT_TRUE((*db_)
                  .Transact([&](storage::Transaction& tx) -> Status {
                    auto r = tx.directory().InsertResource(res);
                    if (!r.ok()) return r.status();
                    resource_id = *r;
                    return Status::Ok();
                  })
                  .ok());
  ReferralService referrals(*db_, clock_, random_, *sealer_);
  NewReferralInput in;
  in.record_id = id;
  in.target_kind = "resource";
  in.resource_id = std::to_string(resource_id);
  in.joint_care = domain::JointCare::kNo;
  auto r = referrals.Create(sf_, in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(referrals.Apply(sf_, r->id, domain::ReferralEvent::kAccept, {}).ok());
  domain::ReferralEventData end;
  end.outcome = "care_started";
  EXPECT_EQ(referrals.Apply(sf_, r->id, domain::ReferralEvent::kEnd, {}).status().field(),
            "outcome");
  ASSERT_TRUE(referrals.Apply(sf_, r->id, domain::ReferralEvent::kEnd, end).ok());
  auto sent = referrals.ListSent(sf_);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->front().referral.status, "ended");
  EXPECT_EQ(sent->front().target_name, "CMP de Rouen");
}

}  // namespace
}  // namespace parcours::app
