// The consultation screening use case through its typed seam (domain values
// in, outcome or every field error out), on a real SQLite database behind a
// storage that fails on the Nth write: whatever write fails, nothing is
// half-written (no screening without its consultation, no write without
// its audit row), and a refusal writes nothing.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "app/clock.h"
#include "app/consultation/consultation_service.h"
#include "app/geography.h"
#include "app/pathway_config.h"
#include "app/recontact_gate.h"
#include "app/screening/screening_service.h"
#include "directory/directory_test_support.h"
#include "failing_storage.h"
#include "storage/sqlite/sqlite_internal.h"
#include "storage/storage.h"
#include "test_services.h"

namespace parcours::app {
namespace {

using testing::FailingStorage;
using testing::FixedClock;
using testing::TempDatabase;

class Communes : public CommuneLookup {
 public:
  Result<std::vector<CommuneInfo>> ByPostcode(std::string_view postcode) const override {
    if (postcode == "59000") return std::vector<CommuneInfo>{{"59350", "Lille", "59"}};
    if (postcode == "76000") return std::vector<CommuneInfo>{{"76540", "Rouen", "76"}};
    if (postcode == "59310") {
      return std::vector<CommuneInfo>{{"59449", "Orchies", "59"}, {"59071", "Beuvry", "59"}};
    }
    return std::vector<CommuneInfo>();
  }
  Result<std::optional<CommuneInfo>> ByCode(std::string_view code) const override {
    if (code == "59350") return std::optional<CommuneInfo>(CommuneInfo{"59350", "Lille", "59"});
    if (code == "76540") return std::optional<CommuneInfo>(CommuneInfo{"76540", "Rouen", "76"});
    if (code == "59449") return std::optional<CommuneInfo>(CommuneInfo{"59449", "Orchies", "59"});
    if (code == "75056") return std::optional<CommuneInfo>(CommuneInfo{"75056", "Paris", "75"});
    return std::optional<CommuneInfo>();
  }
};

// Option indices (display order). Probable (14) without item 10; the same
// total with item 10 "sometimes" (score 2); a low total.
const domain::Answers kProbable = {1, 1, 1, 2, 1, 1, 1, 1, 1, 3};  // 1+1+2+2+2+2+2+2+2+0 = 16
const domain::Answers kItem10 = {1, 1, 1, 2, 1, 1, 1, 1, 1, 1};    // item 10 scores 2
const domain::Answers kLow = {0, 0, 3, 0, 3, 3, 3, 3, 3, 3};

domain::Principal Midwife() {
  return domain::Principal{"u-midwife", domain::Role::kProfessional, {"hauts-de-france"}, {}};
}

ConsultationInput Valid() {
  ConsultationInput in;
  in.context = domain::ConsultationContext::kEpnp;
  in.respondent = domain::Respondent::kMother;
  in.period = domain::Period::kPostnatal;
  in.child_age_weeks = 6;
  in.commune_code = "59350";
  in.answers = kProbable;
  in.vulnerability = {"violence", "isolation"};
  return in;
}

std::vector<std::string> Fields(const Status& st) {
  std::vector<std::string> out;
  for (const auto& e : st.field_errors())
    out.push_back(e.field + (e.reason.empty() ? "" : ":" + e.reason));
  return out;
}

class ConsultationUseCases : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(db_.get(), nullptr);
    config_ = testing::LoadPathway();
    ASSERT_NE(config_, nullptr);
    AddProfessional("u-midwife", "sf@example.fr");
  }

  // A professional's account of Hauts-de-France.
  void AddProfessional(const std::string& id, const std::string& email) {
    storage::UserRecord u;
    u.id = id;
    u.email = email;
    u.name = "Sage-femme";
    u.role = "professional";
    u.territories = {"hauts-de-france"};
    Status st =
        (*db_).Transact([&](storage::Transaction& tx) { return tx.accounts().InsertUser(u); });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  int Count(const std::string& table) {
    auto conn = storage::sqlite_internal::OpenConn(db_.dir() + "/test.db", /*read_only=*/true);
    EXPECT_TRUE(conn.ok());
    storage::sqlite_internal::Stmt q(**conn, ("SELECT count(*) FROM " + table).c_str());
    EXPECT_TRUE(q.Step());
    return static_cast<int>(q.Int(0));
  }
  int Rows() { return Count("screenings") + Count("consultations") + Count("audit_log"); }

  ConsultationService Service(storage::Storage& s) {
    return ConsultationService(*config_, s, clock_, random_, communes_, nullptr);
  }

  TempDatabase db_;
  FixedClock clock_{1754300000000};
  SystemRandom random_;
  Communes communes_;
  std::unique_ptr<PathwayConfig> config_;
};

TEST_F(ConsultationUseCases, EpnpWithTwoFactorsIsSpecialisedStoredWholeWhateverWriteFails) {
  std::string id;
  int writes = 0;
  for (int n = 1; n < 20; ++n) {
    FailingStorage failing(*db_, n);
    ConsultationService service = Service(failing);
    auto out = service.Submit(Midwife(), Valid());
    if (failing.writes() < n) {
      ASSERT_TRUE(out.ok()) << out.status().ToString();
      id = out->screening.id;
      writes = failing.writes();
      break;
    }
    EXPECT_EQ(out.status().code(), StatusCode::kUnavailable) << n;
    EXPECT_EQ(Rows(), 0) << "write " << n << " failed";
  }
  EXPECT_EQ(writes, 4);  // screening, consultation, audit, commit
  EXPECT_EQ(Count("screenings"), 1);
  EXPECT_EQ(Count("consultations"), 1);
  EXPECT_EQ(Count("audit_log"), 1);

  ConsultationService service = Service(*db_);
  auto back = service.Find(Midwife(), id);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->screening.score, 16);
  EXPECT_EQ(back->screening.band, domain::Band::kProbable);
  EXPECT_EQ(back->screening.source, "consultation");
  EXPECT_EQ(back->screening.territory_code, "hauts-de-france");
  EXPECT_EQ(back->screening.level, domain::CareLevel::kSpecialised);
  EXPECT_EQ(back->orientation.level, domain::CareLevel::kSpecialised);
  EXPECT_FALSE(back->orientation.crisis);
  EXPECT_EQ(back->consultation.context, domain::ConsultationContext::kEpnp);
  EXPECT_EQ(back->consultation.professional_id, "u-midwife");
  // In the order of the data list, whatever the order given.
  EXPECT_EQ(back->consultation.vulnerability, (std::vector<std::string>{"isolation", "violence"}));
  // The read is audited too.
  EXPECT_EQ(Count("audit_log"), 2);
}

TEST_F(ConsultationUseCases, TheParentSelfScreeningPathIsUnchanged) {
  // The same answers from a parent (no vulnerability there): first line.
  RecontactGate gate(nullptr, nullptr);
  ScreeningService parent(*config_, *db_, clock_, random_, communes_, gate);
  ScreeningInput in;
  in.language = "fr";
  in.about.respondent = domain::Respondent::kMother;
  in.about.period = domain::Period::kPostnatal;
  in.about.child_age_weeks = 6;
  in.about.postcode = "59000";
  in.answers = kProbable;
  auto self = parent.Submit(in);
  ASSERT_TRUE(self.ok()) << self.status().ToString();
  EXPECT_EQ(self->orientation.level, domain::CareLevel::kFirstLine);
  EXPECT_EQ(self->record.source, "direct");
  // Without any factor, a consultation gives the same.
  ConsultationInput none = Valid();
  none.vulnerability.clear();
  auto out = Service(*db_).Submit(Midwife(), none);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->orientation.level, domain::CareLevel::kFirstLine);
  EXPECT_EQ(out->orientation.within_hours, 72);
}

TEST_F(ConsultationUseCases, ItemTenShowsTheEmergencyFirstAndIsRecorded) {
  ConsultationInput in = Valid();
  in.answers = kItem10;
  auto out = Service(*db_).Submit(Midwife(), in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->orientation.crisis);
  EXPECT_TRUE(out->screening.item10_positive);
  EXPECT_EQ(out->orientation.level, domain::CareLevel::kEmergency);
  EXPECT_EQ(out->orientation.follow_up_level, domain::CareLevel::kSpecialised);
  EXPECT_EQ(out->orientation.within_hours, 24);
  std::vector<storage::AuditEntry> audit;
  Status st = (*db_).Read([&](storage::Transaction& tx) -> Status {
    auto a = tx.ListAudit("screening", out->screening.id);
    if (!a.ok()) return a.status();
    audit = *a;
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "create");
  EXPECT_EQ(audit[0].actor, "u-midwife");
  EXPECT_EQ(audit[0].detail, "consultation epnp item10");
  std::vector<storage::ConsultationCount> counts;
  st = (*db_).Read([&](storage::Transaction& tx) -> Status {
    auto c = tx.consultations().CountByContext("hauts-de-france", 0, 1LL << 50);
    if (!c.ok()) return c.status();
    counts = *c;
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(
      counts,
      (std::vector<storage::ConsultationCount>{{domain::ConsultationContext::kEpnp, 1, 1, 1}}));
}

TEST_F(ConsultationUseCases, EveryFieldErrorAtOnceInApiOrderAndNothingStored) {
  ConsultationInput in = Valid();
  in.context.reset();
  in.respondent.reset();
  in.period = domain::Period::kPrenatal;  // with an age
  in.commune_code = "99999";
  in.answers = {0, std::nullopt, 0, 9, 0, 0, 0, 0, 0, 0};
  in.vulnerability = {"violence", "bad_luck"};
  FailingStorage storage(*db_, 0);
  auto out = Service(storage).Submit(Midwife(), in);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Fields(out.status()),
      (std::vector<std::string>{"context:missing", "respondent:missing", "child_age_weeks:prenatal",
                                "commune_code:unknown", "answers[1]:missing", "answers[3]:range",
                                "vulnerability[1]:unknown"}));
  EXPECT_EQ(storage.writes(), 0);
  EXPECT_EQ(Rows(), 0);
}

TEST_F(ConsultationUseCases, AnUnknownVulnerabilityCodeNamesTheField) {
  ConsultationInput in = Valid();
  in.vulnerability = {"isolation", "tired"};
  auto out = Service(*db_).Submit(Midwife(), in);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().field(), "vulnerability[1]");
  EXPECT_EQ(Rows(), 0);
}

TEST_F(ConsultationUseCases, TheCommuneMustBeInTheProfessionalsTerritories) {
  ConsultationInput in = Valid();
  in.commune_code = "76540";  // Normandie
  auto out = Service(*db_).Submit(Midwife(), in);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(Fields(out.status()), (std::vector<std::string>{"commune_code:scope"}));
  in.commune_code = "75056";  // outside the experiment
  out = Service(*db_).Submit(Midwife(), in);
  EXPECT_EQ(Fields(out.status()), (std::vector<std::string>{"commune_code:scope"}));
  in.commune_code.reset();
  out = Service(*db_).Submit(Midwife(), in);
  EXPECT_EQ(Fields(out.status()), (std::vector<std::string>{"postcode:missing"}));
  in.postcode = "76000";  // Rouen: one commune, in Normandie
  out = Service(*db_).Submit(Midwife(), in);
  EXPECT_EQ(Fields(out.status()), (std::vector<std::string>{"postcode:scope"}));
  EXPECT_EQ(Rows(), 0);
}

TEST_F(ConsultationUseCases, APostcodeGivesTheCommuneOrAsksWhichOne) {
  ConsultationInput in = Valid();
  in.commune_code.reset();
  in.postcode = "59000";  // Lille alone
  auto one = Service(*db_).Submit(Midwife(), in);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->screening.commune_code, "59350");
  in.postcode = "59310";  // two communes
  auto two = Service(*db_).Submit(Midwife(), in);
  EXPECT_EQ(Fields(two.status()), (std::vector<std::string>{"commune_code:choose"}));
  in.commune_code = "59350";  // Lille: not a commune of 59310
  auto wrong = Service(*db_).Submit(Midwife(), in);
  EXPECT_EQ(Fields(wrong.status()), (std::vector<std::string>{"commune_code:unknown"}));
  in.commune_code = "59449";
  auto chosen = Service(*db_).Submit(Midwife(), in);
  ASSERT_TRUE(chosen.ok()) << chosen.status().ToString();
  EXPECT_EQ(chosen->screening.commune_code, "59449");
  const auto rows = Rows();
  in.postcode = "590";
  auto malformed = Service(*db_).Submit(Midwife(), in);
  EXPECT_EQ(Fields(malformed.status()), (std::vector<std::string>{"postcode:format"}));
  in.postcode = "59999";
  in.commune_code.reset();
  auto unknown = Service(*db_).Submit(Midwife(), in);
  EXPECT_EQ(Fields(unknown.status()), (std::vector<std::string>{"postcode:unknown"}));
  EXPECT_EQ(Rows(), rows);
}

TEST_F(ConsultationUseCases, AFormSentAgainReturnsTheFirstScreening) {
  ConsultationService service = Service(*db_);
  ConsultationInput in = Valid();
  in.submission_id = service.NewSubmissionId();
  auto first = service.Submit(Midwife(), in);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->screening.id, *in.submission_id);
  EXPECT_FALSE(first->repeated);
  const auto rows = Rows();
  in.answers = kLow;  // changed after Back: still the first result
  auto again = service.Submit(Midwife(), in);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->repeated);
  EXPECT_EQ(again->screening, first->screening);
  EXPECT_EQ(Rows(), rows);
  // Another account with the same form id: a conflict, nothing written.
  AddProfessional("u-other", "sf2@example.fr");
  domain::Principal other = Midwife();
  other.user_id = "u-other";
  auto stolen = service.Submit(other, in);
  EXPECT_EQ(stolen.status().code(), StatusCode::kConflict);
  EXPECT_EQ(stolen.status().field(), "submission_id");
  EXPECT_EQ(Rows(), rows);
  // A form id too old, or not an id: a new screening with an id of its own.
  ConsultationInput late = Valid();
  late.submission_id = service.NewSubmissionId();
  clock_.Set(clock_.NowMs() + kSubmissionLifetimeMs + 1);
  auto fresh = service.Submit(Midwife(), late);
  ASSERT_TRUE(fresh.ok());
  EXPECT_NE(fresh->screening.id, *late.submission_id);
  late.submission_id = "zzzz";
  auto junk = service.Submit(Midwife(), late);
  ASSERT_TRUE(junk.ok());
  EXPECT_NE(junk->screening.id, "zzzz");
}

TEST_F(ConsultationUseCases, OnlyProfessionalsAndOnlyTheirTerritories) {
  domain::Principal responder = Midwife();
  responder.role = domain::Role::kResponder;
  auto refused = Service(*db_).Submit(responder, Valid());
  EXPECT_EQ(refused.status().code(), StatusCode::kForbidden);
  EXPECT_EQ(Rows(), 0);

  auto out = Service(*db_).Submit(Midwife(), Valid());
  ASSERT_TRUE(out.ok());
  domain::Principal other = Midwife();
  other.user_id = "u-other";
  other.territories = {"normandie"};
  auto hidden = Service(*db_).Find(other, out->screening.id);
  EXPECT_EQ(hidden.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Service(*db_).Find(Midwife(), "not-an-id").status().code(), StatusCode::kNotFound);
  // A parent's self-screening is not a consultation.
  RecontactGate gate(nullptr, nullptr);
  ScreeningService parent(*config_, *db_, clock_, random_, communes_, gate);
  ScreeningInput self;
  self.language = "fr";
  self.about.respondent = domain::Respondent::kMother;
  self.about.period = domain::Period::kPrenatal;
  self.about.postcode = "59000";
  self.answers = kLow;
  auto s = parent.Submit(self);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Service(*db_).Find(Midwife(), s->record.id).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace parcours::app
