// Parents' reminders (issue 12) through their use cases on a real SQLite
// database: the opt-in (every field error at once, nothing half-written
// whatever write fails), the opt-out link (a GET alone changes nothing),
// and ReminderJob handing due reminders to a fake outbox (unit tests only:
// the real outbox is tested with the sender).
#include "app/notify/reminder_service.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../directory/directory_test_support.h"
#include "../failing_storage.h"
#include "../test_services.h"
#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "app/geography.h"
#include "app/notify/outbox.h"
#include "app/pathway_config.h"
#include "app/recontact_gate.h"
#include "app/screening/screening_service.h"
#include "storage/sqlite/sqlite_internal.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

using testing::FailingStorage;
using testing::FixedClock;
using testing::TempDatabase;

constexpr char kKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr domain::TimestampMs kDay = 86'400'000;
constexpr domain::TimestampMs kWeek = 7 * kDay;
// Monday 4 August 2025, 09:33 UTC (11:33 in Normandie, 05:33 in Martinique).
constexpr domain::TimestampMs kNow = 1754300000000;

class FixedCommunes : public CommuneLookup {
 public:
  Result<std::vector<CommuneInfo>> ByPostcode(std::string_view postcode) const override {
    if (postcode == "76000") return std::vector<CommuneInfo>{{"76540", "Rouen", "76"}};
    if (postcode == "97200") {
      return std::vector<CommuneInfo>{{"97209", "Fort-de-France", "972"}};
    }
    return std::vector<CommuneInfo>();
  }
  Result<std::optional<CommuneInfo>> ByCode(std::string_view code) const override {
    for (const char* pc : {"76000", "97200"}) {
      for (const auto& c : *ByPostcode(pc)) {
        if (c.insee_code == code) return std::optional<CommuneInfo>(c);
      }
    }
    return std::optional<CommuneInfo>();
  }
};

const domain::Answers kLow = {0, 0, 3, 0, 3, 3, 3, 3, 3, 3};

struct Sent {
  OutgoingMessage m;
};

class Reminders : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(db_.get(), nullptr);
    config_ = testing::LoadPathway();
    ASSERT_NE(config_, nullptr);
    sealer_ = testing::SealerOf(kKey);
    ASSERT_NE(sealer_, nullptr);
    screenings_ =
        std::make_unique<ScreeningService>(*config_, *db_, clock_, random_, communes_, gate_);
  }

  std::string Screen(domain::Period period, std::optional<int> age,
                     const std::string& postcode = "76000") {
    ScreeningInput in;
    in.language = "fr";
    in.about.respondent = domain::Respondent::kMother;
    in.about.period = period;
    in.about.child_age_weeks = age;
    in.about.postcode = postcode;
    in.answers = kLow;
    auto out = screenings_->Submit(in);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? out->record.id : "";
  }

  ReminderService Service(storage::Storage& s, std::string public_url = "https://dpp.example") {
    ReminderService service(*screenings_, s, clock_, random_, *sealer_, std::move(public_url));
    service.SetChannels(/*email=*/true, /*sms=*/true);
    return service;
  }

  ReminderJob Job(std::vector<OutgoingMessage>& out, int fail_at = 0) {
    return ReminderJob(
        *db_, *sealer_,
        [&out, fail_at, n = 0](storage::Transaction&, const OutgoingMessage& m) mutable {
          if (++n == fail_at) return Status::Unavailable("outbox down");
          out.push_back(m);
          return Status::Ok();
        },
        "https://dpp.example/");
  }

  ReminderOptIn Both(const std::string& screening_id) {
    ReminderOptIn in;
    in.screening_id = screening_id;
    in.by_email = in.by_sms = true;
    in.email = " parent@example.fr ";
    in.phone = "06 12 34 56 78";
    in.consent = true;
    return in;
  }

  int Count(const std::string& sql) {
    auto conn = storage::sqlite_internal::OpenConn(db_.dir() + "/test.db", /*read_only=*/true);
    EXPECT_TRUE(conn.ok());
    storage::sqlite_internal::Stmt q(**conn, sql.c_str());
    EXPECT_TRUE(q.Step());
    return static_cast<int>(q.Int(0));
  }

  storage::ReminderRecord Stored(const std::string& id) {
    storage::ReminderRecord out;
    Status st = (*db_).Read([&](storage::Transaction& tx) -> Status {
      auto r = tx.reminders().FindReminder(id);
      if (!r.ok()) return r.status();
      if (!*r) return Status::NotFound("no reminder");
      out = **r;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  TempDatabase db_;
  FixedClock clock_{kNow};
  SystemRandom random_;
  FixedCommunes communes_;
  RecontactGate gate_{nullptr, nullptr};
  std::unique_ptr<PathwayConfig> config_;
  std::unique_ptr<Sealer> sealer_;
  std::unique_ptr<ScreeningService> screenings_;
};

TEST_F(Reminders, BothChannelsAtWeekOneGiveOneEmailAndOneSmsAtWeekSix) {
  const std::string screening = Screen(domain::Period::kPostnatal, 1);
  auto service = Service(*db_);
  auto receipt = service.OptIn(Both(screening));
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_FALSE(receipt->already_requested);
  const storage::ReminderRecord& r = receipt->reminder;
  // Week 6 = 5 weeks after a screening at week 1; Monday 11:33 local is decent.
  EXPECT_EQ(r.due_at, kNow + 5 * kWeek);
  EXPECT_EQ(r.channels, "email,sms");
  EXPECT_EQ(r.status, "scheduled");
  EXPECT_TRUE(r.contact_sealed.empty());  // never handed back
  const storage::ReminderRecord stored = Stored(r.id);
  auto opened = sealer_->Open(stored.contact_sealed);
  ASSERT_TRUE(opened.ok());
  auto contact = DecodeReminderContact(*opened);
  ASSERT_TRUE(contact.ok());
  EXPECT_EQ(contact->email, "parent@example.fr");
  EXPECT_EQ(contact->phone, "+33612345678");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE subject_type = 'reminder' AND "
                  "action = 'create' AND actor = 'parent'"),
            1);

  std::vector<OutgoingMessage> sent;
  ReminderJob job = Job(sent);
  auto early = job.RunDue(r.due_at - 1);
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(*early, 0);
  EXPECT_TRUE(sent.empty());

  auto ran = job.RunDue(r.due_at);
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_EQ(*ran, 2);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].channel, "email");
  EXPECT_EQ(sent[0].to, "parent@example.fr");
  EXPECT_EQ(sent[0].dedupe_key, "reminder/" + r.id + "/email");
  EXPECT_EQ(sent[1].channel, "sms");
  EXPECT_EQ(sent[1].to, "+33612345678");
  EXPECT_EQ(sent[1].dedupe_key, "reminder/" + r.id + "/sms");
  const std::string token = ReminderOptOutToken(*sealer_, r.id);
  for (const auto& m : sent) {
    EXPECT_EQ(m.kind, "reminder");
    EXPECT_EQ(m.template_name, "reminder");
    EXPECT_EQ(m.language, "fr");
    EXPECT_EQ(m.territory_code, "normandie");
    EXPECT_EQ(m.vars.at("site_url"), "https://dpp.example/");
    EXPECT_EQ(m.vars.at("unsubscribe_url"), "https://dpp.example/rappel/arret?t=" + token);
    EXPECT_EQ(m.unsubscribe_url, m.vars.at("unsubscribe_url"));
    for (const auto& [k, v] : m.vars) {  // nothing a lock screen could betray
      for (const char* word : {"depist", "depress", "epds", "score", "bebe", "baby"}) {
        EXPECT_EQ(v.find(word), std::string::npos) << k << "=" << v;
      }
    }
  }
  const storage::ReminderRecord after = Stored(r.id);
  EXPECT_EQ(after.status, "sent");
  EXPECT_EQ(after.sent_at, r.due_at);
  EXPECT_TRUE(after.contact_sealed.empty());

  // Once only, however often the job runs.
  auto again = job.RunDue(r.due_at + kWeek);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(sent.size(), 2u);
}

TEST_F(Reminders, MartiniqueSmsIsE164AndSentAtADecentLocalHour) {
  // 02:00 UTC on a Monday = Sunday 22:00 in Martinique (UTC−4): week 6 falls
  // on a Sunday night, moved to Monday 10:00 local (14:00 UTC).
  clock_.Set(1795392000000 + 2 * 3'600'000);  // 2026-11-23T02:00Z
  const std::string screening = Screen(domain::Period::kPostnatal, 1, "97200");
  auto service = Service(*db_);
  ReminderOptIn in = Both(screening);
  in.by_email = false;
  in.email.clear();
  in.phone = "0696 12 34 56";
  auto receipt = service.OptIn(in);
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_EQ(receipt->reminder.territory_code, "martinique");
  EXPECT_EQ(receipt->reminder.channels, "sms");
  EXPECT_EQ(receipt->reminder.due_at, 1795392000000 + 5 * kWeek + 14 * 3'600'000);
  std::vector<OutgoingMessage> sent;
  ReminderJob job = Job(sent);
  ASSERT_TRUE(job.RunDue(receipt->reminder.due_at).ok());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, "+596696123456");
}

TEST_F(Reminders, EveryFieldErrorAtOnceAndNothingWritten) {
  const std::string screening = Screen(domain::Period::kPostnatal, 1);
  const int before = Count("SELECT count(*) FROM audit_log");
  FailingStorage storage(*db_, 0);
  auto service = Service(storage);
  ReminderOptIn in;
  in.screening_id = screening;
  auto st = service.OptIn(in).status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& e : st.field_errors()) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"channels", "consent"}));

  in = Both(screening);
  in.email = "not an address";
  in.phone = "01 23 45 67 89";  // a landline: no text message reaches it
  in.consent = false;
  st = service.OptIn(in).status();
  fields.clear();
  for (const auto& e : st.field_errors()) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"email", "phone", "consent"}));

  in = Both("no-such-screening");
  st = service.OptIn(in).status();
  EXPECT_EQ(st.field(), "screening_id");
  EXPECT_EQ(storage.writes(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM reminders"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), before);
}

TEST_F(Reminders, NeverOfferedWithoutAComputableDateOrAPublicAddress) {
  auto service = Service(*db_);
  for (const std::string& id :
       {Screen(domain::Period::kPrenatal, std::nullopt), Screen(domain::Period::kPostnatal, 8)}) {
    auto st = service.OptIn(Both(id)).status();
    EXPECT_EQ(st.code(), StatusCode::kConflict);
    EXPECT_EQ(st.field(), "reminder");
    auto outcome = screenings_->Find(id);
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(service.SendTime(*outcome), std::nullopt);
  }
  // Without `public-url` no link could be sent: not offered either.
  const std::string week1 = Screen(domain::Period::kPostnatal, 1);
  auto no_url = Service(*db_, "");
  EXPECT_EQ(no_url.OptIn(Both(week1)).status().code(), StatusCode::kConflict);
  EXPECT_EQ(Count("SELECT count(*) FROM reminders"), 0);
}

TEST_F(Reminders, ASecondOptInReturnsTheFirst) {
  const std::string screening = Screen(domain::Period::kPostnatal, 1);
  auto service = Service(*db_);
  auto first = service.OptIn(Both(screening));
  ASSERT_TRUE(first.ok());
  ReminderOptIn other = Both(screening);
  other.by_sms = false;
  auto second = service.OptIn(other);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->already_requested);
  EXPECT_EQ(second->reminder.id, first->reminder.id);
  EXPECT_EQ(second->reminder.channels, "email,sms");
  EXPECT_EQ(Count("SELECT count(*) FROM reminders"), 1);
}

TEST_F(Reminders, AnOptInIsWholeOrAbsentWhateverWriteFails) {
  const std::string screening = Screen(domain::Period::kPostnatal, 1);
  const int audit = Count("SELECT count(*) FROM audit_log");
  int n = 1;
  for (; n < 10; ++n) {
    FailingStorage failing(*db_, n);
    auto service = Service(failing);
    auto r = service.OptIn(Both(screening));
    if (failing.writes() < n) {
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      break;
    }
    EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
    EXPECT_EQ(Count("SELECT count(*) FROM reminders"), 0) << "write " << n;
    EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audit) << "write " << n;
  }
  EXPECT_EQ(n, 3);  // the audit row and the commit
  EXPECT_EQ(Count("SELECT count(*) FROM reminders"), 1);
}

TEST_F(Reminders, OptOutLinkChangesNothingUntilPostedThenCancelsOnce) {
  const std::string screening = Screen(domain::Period::kPostnatal, 1);
  auto service = Service(*db_);
  auto receipt = service.OptIn(Both(screening));
  ASSERT_TRUE(receipt.ok());
  const std::string token = ReminderOptOutToken(*sealer_, receipt->reminder.id);
  const storage::ReminderRecord before = Stored(receipt->reminder.id);

  // What the GET does: a lookup.
  auto found = service.FindByToken(token);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->status, "scheduled");
  EXPECT_EQ(Stored(receipt->reminder.id), before);
  EXPECT_EQ(service.FindByToken("wrong").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service.OptOut("wrong").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service.OptOut(std::string(65, 'a')).status().code(), StatusCode::kNotFound);

  clock_.Set(kNow + kDay);
  auto cancelled = service.OptOut(token);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().ToString();
  EXPECT_EQ(cancelled->status, "cancelled");
  const storage::ReminderRecord after = Stored(receipt->reminder.id);
  EXPECT_EQ(after.status, "cancelled");
  EXPECT_EQ(after.cancelled_at, kNow + kDay);
  EXPECT_TRUE(after.contact_sealed.empty());
  auto twice = service.OptOut(token);  // idempotent
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->status, "cancelled");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE subject_type = 'reminder' AND "
                  "action = 'cancel'"),
            1);

  std::vector<OutgoingMessage> sent;
  ReminderJob job = Job(sent);
  ASSERT_TRUE(job.RunDue(receipt->reminder.due_at + kWeek).ok());
  EXPECT_TRUE(sent.empty());
}

TEST_F(Reminders, AFailingOutboxLeavesTheReminderScheduled) {
  const std::string screening = Screen(domain::Period::kPostnatal, 1);
  auto service = Service(*db_);
  auto receipt = service.OptIn(Both(screening));
  ASSERT_TRUE(receipt.ok());
  std::vector<OutgoingMessage> sent;
  ReminderJob failing = Job(sent, /*fail_at=*/2);  // the SMS
  EXPECT_EQ(failing.RunDue(receipt->reminder.due_at).status().code(), StatusCode::kUnavailable);
  const storage::ReminderRecord r = Stored(receipt->reminder.id);
  EXPECT_EQ(r.status, "scheduled");
  EXPECT_FALSE(r.contact_sealed.empty());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'send'"), 0);

  std::vector<OutgoingMessage> retried;
  ReminderJob job = Job(retried);
  auto ran = job.RunDue(receipt->reminder.due_at);
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(*ran, 2);
}

TEST_F(Reminders, WithTheRealOutboxEachChannelIsOneSealedRowOnce) {
  const std::string screening = Screen(domain::Period::kPostnatal, 1);
  auto service = Service(*db_);
  auto receipt = service.OptIn(Both(screening));
  ASSERT_TRUE(receipt.ok());
  auto enqueue = [this](storage::Transaction& tx, const OutgoingMessage& m) {
    return EnqueueMessage(tx, *sealer_, clock_, random_, m);
  };
  ReminderJob first(*db_, *sealer_, enqueue, "https://dpp.example");
  ReminderJob second(*db_, *sealer_, enqueue, "https://dpp.example");  // another instance
  const domain::TimestampMs due = receipt->reminder.due_at;
  ASSERT_TRUE(first.RunDue(due).ok());
  ASSERT_TRUE(second.RunDue(due + 60'000).ok());
  const std::string id = receipt->reminder.id;
  EXPECT_EQ(Count("SELECT count(*) FROM outbox_messages WHERE kind = 'reminder'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox_messages WHERE dedupe_key = 'reminder/" + id +
                  "/email' AND channel = 'email' AND territory_code = 'normandie'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox_messages WHERE dedupe_key = 'reminder/" + id +
                  "/sms' AND channel = 'sms'"),
            1);
  // Sealed: the address is not in the row in clear.
  EXPECT_EQ(Count("SELECT count(*) FROM outbox_messages WHERE instr(payload_sealed, "
                  "CAST('parent@example.fr' AS BLOB)) > 0"),
            0);
  storage::OutboxMessageRecord email;
  ASSERT_TRUE((*db_)
                  .Read([&](storage::Transaction& tx) -> Status {
                    auto list = tx.outbox().List(storage::OutboxQuery{});
                    if (!list.ok()) return list.status();
                    for (const auto& m : *list) {
                      if (m.channel == "email") email = m;
                    }
                    return Status::Ok();
                  })
                  .ok());
  auto payload = sealer_->Open(email.payload_sealed);
  ASSERT_TRUE(payload.ok());
  auto decoded = DecodePayload(*payload);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->to, "parent@example.fr");
  EXPECT_EQ(decoded->template_name, "reminder");
  EXPECT_EQ(decoded->unsubscribe_url,
            "https://dpp.example/rappel/arret?t=" + ReminderOptOutToken(*sealer_, id));
  EXPECT_EQ(email.next_attempt_at, due);
}

}  // namespace
}  // namespace parcours::app
