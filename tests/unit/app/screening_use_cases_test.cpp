// The screening and recontact use cases driven through their typed seam
// (domain values in, outcome or every field error out), on a real SQLite
// database behind a storage that fails on the Nth write: whatever write
// fails, nothing is half-written, and a rule's refusal writes nothing.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "app/demo_mode.h"
#include "app/geography.h"
#include "app/pathway_config.h"
#include "app/recontact_gate.h"
#include "app/screening/recontact_service.h"
#include "app/screening/screening_service.h"
#include "directory/directory_test_support.h"
#include "failing_storage.h"
#include "storage/sqlite/sqlite_internal.h"
#include "test_services.h"

namespace parcours::app {
namespace {

using testing::FailingStorage;
using testing::FixedClock;
using testing::TempDatabase;

constexpr char kKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

class FixedCommunes : public CommuneLookup {
 public:
  Result<std::vector<CommuneInfo>> ByPostcode(std::string_view postcode) const override {
    if (postcode == "76000") return std::vector<CommuneInfo>{{"76540", "Rouen", "76"}};
    if (postcode == "59000") return std::vector<CommuneInfo>{{"59350", "Lille", "59"}};
    if (postcode == "76190") {
      return std::vector<CommuneInfo>{{"76758", "Yvetot", "76"}, {"76001", "Allouville", "76"}};
    }
    if (postcode == "27620") {  // communes in Normandie and outside (Paris region)
      return std::vector<CommuneInfo>{{"27213", "Gasny", "27"}, {"95011", "Amenucourt", "95"}};
    }
    return std::vector<CommuneInfo>();
  }
  Result<std::optional<CommuneInfo>> ByCode(std::string_view code) const override {
    for (const char* pc : {"76000", "59000", "76190", "27620", "05110"}) {
      auto list = ByPostcode(pc);
      for (const auto& c : *list) {
        if (c.insee_code == code) return std::optional<CommuneInfo>(c);
      }
    }
    return std::optional<CommuneInfo>();
  }
};

// Answers (option indices) giving a total of 0, and the same with item 10
// answered "yes, quite often" (crisis).
const domain::Answers kLow = {0, 0, 3, 0, 3, 3, 3, 3, 3, 3};
const domain::Answers kItem10 = {0, 0, 3, 0, 3, 3, 3, 3, 3, 1};

ScreeningInput Valid() {
  ScreeningInput in;
  in.language = "fr";
  in.about.respondent = domain::Respondent::kMother;
  in.about.period = domain::Period::kPostnatal;
  in.about.child_age_weeks = 6;
  in.about.postcode = "76000";
  in.answers = kLow;
  return in;
}

std::vector<std::string> Fields(const Status& st) {
  std::vector<std::string> out;
  for (const auto& e : st.field_errors())
    out.push_back(e.field + (e.reason.empty() ? "" : ":" + e.reason));
  return out;
}

class ScreeningUseCases : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(db_.get(), nullptr);
    config_ = testing::LoadPathway();
    ASSERT_NE(config_, nullptr);
    sealer_ = testing::SealerOf(kKey);
    ASSERT_NE(sealer_, nullptr);
    // The shipped territories are closed: demo mode opens three (in the
    // database only), as `parcours demo load` does.
    auto opened = RecordDemoMode(*db_, *config_, clock_, PARCOURS_SOURCE_DIR);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    demo_ = std::make_unique<DemoMode>(*db_, *config_, clock_);
    // No account check here (tests/unit/app/recontact_gate_test.cpp has it).
    gate_ = std::make_unique<RecontactGate>(demo_.get(), nullptr);
  }

  // Rows of a table, read behind the storage's back.
  int Count(const std::string& table) {
    auto conn = storage::sqlite_internal::OpenConn(db_.dir() + "/test.db", /*read_only=*/true);
    EXPECT_TRUE(conn.ok());
    storage::sqlite_internal::Stmt q(**conn, ("SELECT count(*) FROM " + table).c_str());
    EXPECT_TRUE(q.Step());
    return static_cast<int>(q.Int(0));
  }

  // Runs `use_case` with the Nth write failing, for N = 1, 2… until it
  // succeeds; after each failure the database must be as before. Returns
  // the number of writes of the successful run.
  int EveryFailureLeavesNothing(
      const std::function<Status(ScreeningService&, RecontactService&)>& use_case) {
    const int screenings = Count("screenings");
    const int alerts = Count("alerts");
    const int audit = Count("audit_log");
    for (int n = 1; n < 20; ++n) {
      FailingStorage failing(*db_, n);
      ScreeningService screening(*config_, failing, clock_, random_, communes_, *gate_);
      RecontactService recontact(screening, failing, clock_, random_, *sealer_);
      Status st = use_case(screening, recontact);
      if (failing.writes() < n) {
        EXPECT_TRUE(st.ok()) << st.ToString();
        return failing.writes();
      }
      EXPECT_EQ(st.code(), StatusCode::kUnavailable) << "write " << n << ": " << st.ToString();
      EXPECT_EQ(Count("screenings"), screenings) << "write " << n << " failed";
      EXPECT_EQ(Count("alerts"), alerts) << "write " << n << " failed";
      EXPECT_EQ(Count("audit_log"), audit) << "write " << n << " failed";
    }
    ADD_FAILURE() << "never succeeded";
    return 0;
  }

  // A rule's refusal: the use case through a storage that never fails,
  // and nothing written.
  template <typename Fn>
  auto Refused(Fn use_case) {
    const int before = Count("screenings") + Count("alerts") + Count("audit_log");
    FailingStorage storage(*db_, 0);
    ScreeningService screening(*config_, storage, clock_, random_, communes_, *gate_);
    RecontactService recontact(screening, storage, clock_, random_, *sealer_);
    auto result = use_case(screening, recontact);
    EXPECT_FALSE(result.ok());
    EXPECT_EQ(storage.writes(), 0);
    EXPECT_EQ(Count("screenings") + Count("alerts") + Count("audit_log"), before);
    return result.status();
  }

  Result<ScreeningOutcome> Submit(const ScreeningInput& in) {
    ScreeningService screening(*config_, *db_, clock_, random_, communes_, *gate_);
    return screening.Submit(in);
  }

  TempDatabase db_;
  FixedClock clock_{1754300000000};  // Monday 4 August 2025, 09:33 UTC
  SystemRandom random_;
  FixedCommunes communes_;
  std::unique_ptr<PathwayConfig> config_;
  std::unique_ptr<Sealer> sealer_;
  std::unique_ptr<DemoMode> demo_;
  std::unique_ptr<RecontactGate> gate_;
};

TEST_F(ScreeningUseCases, ASubmittedScreeningIsWholeOrAbsentWhateverWriteFails) {
  std::string id;
  const int writes = EveryFailureLeavesNothing([&](ScreeningService& s, RecontactService&) {
    auto out = s.Submit(Valid());
    if (out.ok()) id = out->record.id;
    return out.status();
  });
  EXPECT_EQ(writes, 2);  // the insert and the commit
  ScreeningService s(*config_, *db_, clock_, random_, communes_, *gate_);
  auto stored = s.Find(id);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->record.respondent, domain::Respondent::kMother);
  EXPECT_EQ(stored->record.period, domain::Period::kPostnatal);
  EXPECT_EQ(stored->record.band, domain::Band::kLow);
  EXPECT_EQ(stored->record.territory_code, "normandie");
  EXPECT_EQ(stored->record.commune_code, "76540");
  EXPECT_EQ(Count("screenings"), 1);
}

TEST_F(ScreeningUseCases, EveryFieldErrorAtOnceInApiOrderAndNothingStored) {
  ScreeningInput in = Valid();
  in.about.respondent.reset();
  in.about.period = domain::Period::kPrenatal;  // with an age
  in.about.postcode = "5900";
  in.answers = {0, std::nullopt, 0, 9, 0, 0, 0, 0, 0, 0};
  in.id = "not-an-id";
  Status st = Refused([&](ScreeningService& s, RecontactService&) { return s.Submit(in); });
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(st),
            (std::vector<std::string>{"respondent", "child_age_weeks:prenatal", "postcode",
                                      "answers[1]:missing", "answers[3]:range", "id"}));
  EXPECT_EQ(st.field(), "respondent");
}

TEST_F(ScreeningUseCases, InstrumentLanguagePeriodAndAgeRules) {
  auto fields = [&](const std::function<void(ScreeningInput&)>& change) {
    ScreeningInput in = Valid();
    change(in);
    return Fields(Refused([&](ScreeningService& s, RecontactService&) { return s.Submit(in); }));
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(fields([](auto& in) { in.instrument = "phq9"; }), V{"instrument"});
  EXPECT_EQ(fields([](auto& in) { in.language = "de"; }), V{"language"});
  EXPECT_EQ(fields([](auto& in) { in.about.period.reset(); }), V{"period"});
  EXPECT_EQ(fields([](auto& in) { in.about.child_age_weeks.reset(); }),
            V{"child_age_weeks:missing"});
  EXPECT_EQ(fields([](auto& in) { in.about.child_age_weeks = kMaxChildAgeWeeks + 1; }),
            V{"child_age_weeks:range"});
  EXPECT_EQ(fields([](auto& in) { in.about.child_age_weeks = -1; }), V{"child_age_weeks:range"});
  EXPECT_EQ(fields([](auto& in) { in.answers.pop_back(); }), V{"answers"});
  // What the caller could not read is reported with the rest, once.
  EXPECT_EQ(fields([](auto& in) {
              in.unreadable.Add("child_age_weeks", "must be an integer");
              in.about.child_age_weeks.reset();
              in.about.respondent.reset();
            }),
            (V{"respondent", "child_age_weeks"}));
}

TEST_F(ScreeningUseCases, TheCommuneIsChosenAmongThePostcodesOnesLookedUpOnce) {
  ScreeningService s(*config_, *db_, clock_, random_, communes_, *gate_);
  ScreeningInput in = Valid();
  in.about.postcode = "76190";  // two communes, one territory
  AboutCheck same = s.CheckAbout(in);
  EXPECT_TRUE(same.status.ok()) << same.status.ToString();
  EXPECT_TRUE(same.commune_choice);
  EXPECT_EQ(same.communes.size(), 2u);
  EXPECT_EQ(same.place.territory->code, "normandie");

  in.about.postcode = "27620";  // two territories: the commune is needed
  AboutCheck cross = s.CheckAbout(in);
  EXPECT_EQ(Fields(cross.status), std::vector<std::string>{"commune_code:choose"});
  EXPECT_TRUE(cross.commune_choice);
  EXPECT_EQ(cross.communes.size(), 2u);
  in.about.commune_code = "59350";
  AboutCheck wrong = s.CheckAbout(in);
  EXPECT_EQ(Fields(wrong.status), std::vector<std::string>{"commune_code:unknown"});
  EXPECT_FALSE(wrong.commune_choice);
  in.about.commune_code = "95011";
  AboutCheck chosen = s.CheckAbout(in);
  ASSERT_TRUE(chosen.status.ok()) << chosen.status.ToString();
  EXPECT_TRUE(chosen.place.territory->outside());
  EXPECT_EQ(chosen.place.commune_code, "95011");

  in.about.postcode.reset();  // a commune without its postcode
  EXPECT_EQ(Fields(s.CheckAbout(in).status), std::vector<std::string>{"commune_code"});
}

TEST_F(ScreeningUseCases, AResentFormIsTheSameScreeningAndOtherAnswersAConflict) {
  ScreeningInput in = Valid();
  in.id = NewId(clock_, random_);
  auto first = Submit(in);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto again = Submit(in);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->record, first->record);
  in.answers = kItem10;
  EXPECT_EQ(Submit(in).status().code(), StatusCode::kConflict);
  EXPECT_EQ(Count("screenings"), 1);
}

TEST_F(ScreeningUseCases, ARecontactRequestIsAlertAndAuditTogetherOrNothing) {
  ScreeningInput sin = Valid();
  sin.answers = kItem10;
  auto screening = Submit(sin);
  ASSERT_TRUE(screening.ok()) << screening.status().ToString();
  ASSERT_TRUE(screening->orientation.crisis);
  RecontactInput in;
  in.screening_id = screening->record.id;
  in.name = " Camille ";
  in.phone = "+33 6 12 34 56 78";
  in.slots = {TimeSlot::kEvening, TimeSlot::kMorning, TimeSlot::kEvening};
  in.may_leave_message = false;
  in.caller_intro = CallerIntro::kNeutral;
  in.consent = true;
  std::optional<RecontactReceipt> receipt;
  const int writes = EveryFailureLeavesNothing([&](ScreeningService&, RecontactService& r) {
    auto out = r.Request(in);
    if (out.ok()) receipt = *out;
    return out.status();
  });
  EXPECT_EQ(writes, 3);  // alert, audit entry, commit
  ASSERT_TRUE(receipt.has_value());
  EXPECT_FALSE(receipt->already_requested);
  EXPECT_EQ(receipt->alert.kind, "item10");
  EXPECT_EQ(receipt->alert.urgency, domain::Urgency::kImmediate);
  EXPECT_EQ(receipt->alert.territory_code, "normandie");
  EXPECT_EQ(Count("alerts"), 1);
  EXPECT_EQ(Count("audit_log"), 1);
  auto contact = DecodeContact(*sealer_->Open(receipt->alert.contact_sealed));
  ASSERT_TRUE(contact.ok());
  EXPECT_EQ(contact->name, "Camille");
  EXPECT_EQ(contact->phone, "0612345678");  // the one phone normaliser
  EXPECT_EQ(contact->slots, (std::vector<std::string>{"evening", "morning"}));
  EXPECT_EQ(contact->caller_intro, "neutral");
  EXPECT_EQ(contact->language, "fr");

  // Asked again: the first request, nothing new.
  ScreeningService s(*config_, *db_, clock_, random_, communes_, *gate_);
  RecontactService again(s, *db_, clock_, random_, *sealer_);
  auto second = again.Request(in);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(second->already_requested);
  EXPECT_EQ(second->alert.reference, receipt->alert.reference);
  EXPECT_EQ(Count("alerts"), 1);
  EXPECT_EQ(Count("audit_log"), 1);
  auto found = again.FindByReference(receipt->alert.reference);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->alert.id, receipt->alert.id);
}

TEST_F(ScreeningUseCases, RecontactRulesReportEveryFieldAtOnceAndWriteNothing) {
  auto screening = Submit(Valid());
  ASSERT_TRUE(screening.ok());
  RecontactInput good;
  good.screening_id = screening->record.id;
  good.name = "Sam";
  good.email = "sam@exemple.fr";
  good.may_leave_message = true;
  good.caller_intro = CallerIntro::kService;
  good.consent = true;

  RecontactInput bad;
  bad.screening_id = "nope";
  bad.name = std::string(61, 'x');
  bad.phone = "3114";  // a service, not the parent's number
  bad.email = "sam@exemple";
  bad.unreadable.Add("slots", "unknown time slot");
  Status st = Refused([&](ScreeningService&, RecontactService& r) { return r.Request(bad); });
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"screening_id", "name", "phone", "email", "slots",
                                                  "may_leave_message", "caller_intro", "consent"}));

  auto fields = [&](const std::function<void(RecontactInput&)>& change) {
    RecontactInput in = good;
    change(in);
    return Fields(Refused([&](ScreeningService&, RecontactService& r) { return r.Request(in); }));
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(fields([](auto& in) { in.name = "  "; }), V{"name"});
  EXPECT_EQ(fields([](auto& in) { in.name = "a\nb"; }), V{"name"});
  EXPECT_EQ(fields([](auto& in) { in.email = ""; }), V{"contact"});
  EXPECT_EQ(fields([](auto& in) { in.phone = "call me"; }), V{"phone"});
  EXPECT_EQ(fields([](auto& in) { in.consent = false; }), V{"consent"});

  // A territory where no team answers: a conflict, before any field.
  ScreeningInput outside = Valid();
  outside.about.postcode = "75011";
  auto far = Submit(outside);
  ASSERT_TRUE(far.ok());
  RecontactInput closed = bad;
  closed.screening_id = far->record.id;
  Status refused =
      Refused([&](ScreeningService&, RecontactService& r) { return r.Request(closed); });
  EXPECT_EQ(refused.code(), StatusCode::kConflict);
  EXPECT_EQ(refused.field(), "recontact");
}

}  // namespace
}  // namespace parcours::app
