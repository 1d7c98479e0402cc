// The outbox sender on a real SQLite database, with a clock the test moves
// and channels that record what they are given and answer as told: sent,
// retried with back-off, failed on a permanent answer or after the last
// attempt, failed at once for a channel that is off, and the crash rules
// (an SMS resent with the same idempotency key; an e-mail at most once more,
// with the same Message-ID).
#include "app/notify/outbox_sender.h"

#include <gtest/gtest.h>

#include <deque>
#include <mutex>
#include <set>

#include "../auth/test_clock.h"
#include "../directory/directory_test_support.h"
#include "../test_services.h"
#include "app/crypto/sealer.h"
#include "app/notify/message_renderer.h"
#include "app/notify/outbox.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

using testing::TempDatabase;
using testing::TestClock;

constexpr char kKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr domain::TimestampMs kT0 = 1795392000000;  // 2026-11-23 00:00 UTC
constexpr std::int64_t kBase = 60'000;

// The value, or `otherwise` for a failure (reported).
int Or(const Result<int>& r, int otherwise) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : otherwise;
}

class FakeRenderer : public MessageRenderer {
 public:
  Result<RenderedEmail> RenderEmail(const MessagePayload& p, const std::string& id) const override {
    RenderedEmail e;
    e.to = p.to;
    e.subject = "s:" + p.template_name;
    e.text = "t:" + p.vars.at("path");
    e.html = "h";
    e.message_id = id + "@test";
    return e;
  }
  Result<RenderedSms> RenderSms(const MessagePayload& p, const std::string& id) const override {
    return RenderedSms{p.to, "sms:" + p.template_name, id};
  }
};

// What the fake channels saw, and the answers they give (front first; the
// last one repeats).
struct Wire {
  std::mutex mu;
  std::vector<RenderedEmail> emails;
  std::vector<RenderedSms> sms;
  std::deque<SendOutcome> answers{SendOutcome{SendOutcome::Kind::kSent, "250 ok"}};
  SendOutcome Next() {
    SendOutcome o = answers.front();
    if (answers.size() > 1) answers.pop_front();
    return o;
  }
};

class FakeEmail : public EmailChannel {
 public:
  explicit FakeEmail(Wire& w) : w_(w) {}
  SendOutcome Send(const RenderedEmail& m) override {
    std::lock_guard<std::mutex> l(w_.mu);
    w_.emails.push_back(m);
    return w_.Next();
  }

 private:
  Wire& w_;
};

class FakeSms : public SmsChannel {
 public:
  explicit FakeSms(Wire& w) : w_(w) {}
  SendOutcome Send(const RenderedSms& m) override {
    std::lock_guard<std::mutex> l(w_.mu);
    w_.sms.push_back(m);
    return w_.Next();
  }

 private:
  Wire& w_;
};

class OutboxSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(db_.get(), nullptr);
    sealer_ = testing::SealerOf(kKey);
    ASSERT_NE(sealer_, nullptr);
    options_.owner = "me";
    options_.max_attempts = 3;
    options_.backoff_base_ms = kBase;
    options_.backoff_cap_ms = 10 * kBase;
    options_.workers = 1;
  }

  OutboxSender Sender(bool sms_on = true) {
    ChannelFactory f;
    f.email = [this] { return std::make_unique<FakeEmail>(wire_); };
    if (sms_on) f.sms = [this] { return std::make_unique<FakeSms>(wire_); };
    return OutboxSender(*db_, *sealer_, clock_, renderer_, f, options_);
  }

  std::string Enqueue(const std::string& channel, const std::string& key) {
    OutgoingMessage m;
    m.dedupe_key = key;
    m.channel = channel;
    m.kind = "alert_new";
    m.territory_code = "normandie";
    m.to = channel == "email" ? "r@example.fr" : "+33600000000";
    m.language = "fr";
    m.template_name = "alert_new";
    m.vars = {{"path", "/pro/alertes"}};
    EXPECT_TRUE((*db_)
                    .Transact([&](storage::Transaction& tx) {
                      return EnqueueMessage(tx, *sealer_, clock_, random_, m);
                    })
                    .ok());
    std::string id;
    EXPECT_TRUE((*db_)
                    .Read([&](storage::Transaction& tx) -> Status {
                      auto rows = tx.outbox().List({});
                      if (!rows.ok()) return rows.status();
                      for (const auto& r : *rows) {
                        if (r.dedupe_key == key) id = r.id;
                      }
                      return Status::Ok();
                    })
                    .ok());
    return id;
  }

  storage::OutboxMessageRecord Find(const std::string& id) {
    storage::OutboxMessageRecord out;
    EXPECT_TRUE((*db_)
                    .Read([&](storage::Transaction& tx) -> Status {
                      auto r = tx.outbox().Find(id);
                      if (!r.ok()) return r.status();
                      if (*r) out = **r;
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  std::vector<storage::OutboxAttemptRecord> Attempts(const std::string& id) {
    std::vector<storage::OutboxAttemptRecord> out;
    EXPECT_TRUE((*db_)
                    .Read([&](storage::Transaction& tx) -> Status {
                      auto r = tx.outbox().Attempts(id);
                      if (!r.ok()) return r.status();
                      out = *r;
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  // A sender that claimed `id`, maybe began an e-mail, and died: its lease
  // has expired by the time the next sender looks.
  void CrashedSender(const std::string& id, bool started) {
    Status st = (*db_).Transact([&](storage::Transaction& tx) -> Status {
      // A lease of 0 ms: already expired when the next sender claims.
      auto got = tx.outbox().Claim(clock_.NowMs(), clock_.NowMs(), 0, "dead", 10);
      if (!got.ok()) return got.status();
      EXPECT_EQ(got->size(), 1u);
      if (started) return tx.outbox().MarkStarted(id, "dead");
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  Result<int> Run(OutboxSender& s) { return s.RunDue(clock_.NowMs()); }

  TempDatabase db_;
  std::unique_ptr<Sealer> sealer_;
  TestClock clock_{kT0};
  SystemRandom random_;
  FakeRenderer renderer_;
  Wire wire_;
  SenderOptions options_;
};

TEST_F(OutboxSenderTest, SendsEachDueMessageOnItsChannelOnce) {
  const std::string mail = Enqueue("email", "a/email");
  const std::string sms = Enqueue("sms", "a/sms");
  OutboxSender sender = Sender();
  auto r = Run(sender);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, 2);
  ASSERT_EQ(wire_.emails.size(), 1u);
  EXPECT_EQ(wire_.emails[0].to, "r@example.fr");
  EXPECT_EQ(wire_.emails[0].message_id, mail + "@test");
  EXPECT_EQ(wire_.emails[0].text, "t:/pro/alertes");
  ASSERT_EQ(wire_.sms.size(), 1u);
  EXPECT_EQ(wire_.sms[0].idempotency_key, sms);
  EXPECT_EQ(Find(mail).status, "sent");
  EXPECT_EQ(Find(sms).status, "sent");
  EXPECT_EQ(Attempts(mail).size(), 1u);
  // Nothing left: a second run sends nothing.
  EXPECT_EQ(Or(Run(sender), -1), 0);
  EXPECT_EQ(wire_.emails.size(), 1u);
}

TEST_F(OutboxSenderTest, NotBeforeItsDueTime) {
  OutgoingMessage m;
  m.dedupe_key = "later";
  m.channel = "email";
  m.kind = "reminder";
  m.to = "p@example.fr";
  m.template_name = "alert_new";
  m.vars = {{"path", "/"}};
  m.due_at = kT0 + 3'600'000;
  ASSERT_TRUE((*db_)
                  .Transact([&](storage::Transaction& tx) {
                    return EnqueueMessage(tx, *sealer_, clock_, random_, m);
                  })
                  .ok());
  OutboxSender sender = Sender();
  EXPECT_EQ(Or(Run(sender), -1), 0);
  // `now` decides what is due (jobs run --now), whatever the real clock says.
  EXPECT_EQ(Or(sender.RunDue(kT0 + 3'600'000), -1), 1);
}

TEST_F(OutboxSenderTest, TemporaryFailuresBackOffThenFail) {
  wire_.answers = {SendOutcome{SendOutcome::Kind::kTemporary, "451 4.3.0 busy"}};
  const std::string id = Enqueue("email", "a/email");
  OutboxSender sender = Sender();
  EXPECT_EQ(Or(Run(sender), -1), 0);
  auto m = Find(id);
  EXPECT_EQ(m.status, "pending");
  EXPECT_EQ(m.next_attempt_at, kT0 + kBase);
  EXPECT_EQ(m.last_error, "451 4.3.0 busy");
  // Not again before its time.
  clock_.Advance(kBase - 1);
  EXPECT_EQ(Or(Run(sender), -1), 0);
  EXPECT_EQ(wire_.emails.size(), 1u);
  clock_.Advance(1);
  EXPECT_EQ(Or(Run(sender), -1), 0);
  EXPECT_EQ(wire_.emails.size(), 2u);
  EXPECT_EQ(Find(id).next_attempt_at, clock_.NowMs() + 2 * kBase);  // doubled
  clock_.Advance(2 * kBase);
  EXPECT_EQ(Or(Run(sender), -1), 0);
  m = Find(id);
  EXPECT_EQ(m.status, "failed");
  EXPECT_EQ(m.attempts, 3);
  EXPECT_NE(m.last_error->find("gave up after 3 attempts"), std::string::npos);
  auto attempts = Attempts(id);
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].outcome, "retry");
  EXPECT_EQ(attempts[2].outcome, "failed");
  // Every send of one message carries the same Message-ID.
  for (const auto& e : wire_.emails) EXPECT_EQ(e.message_id, id + "@test");
  clock_.Advance(100 * kBase);
  EXPECT_EQ(Or(Run(sender), -1), 0);
  EXPECT_EQ(wire_.emails.size(), 3u);
}

TEST_F(OutboxSenderTest, BackoffIsCapped) {
  OutboxSender sender = Sender();
  EXPECT_EQ(sender.Backoff(1), kBase);
  EXPECT_EQ(sender.Backoff(2), 2 * kBase);
  EXPECT_EQ(sender.Backoff(4), 8 * kBase);
  EXPECT_EQ(sender.Backoff(5), 10 * kBase);
  EXPECT_EQ(sender.Backoff(40), 10 * kBase);
}

TEST_F(OutboxSenderTest, APermanentAnswerFailsAtOnce) {
  wire_.answers = {SendOutcome{SendOutcome::Kind::kPermanent, "550 5.1.1 no such user"}};
  const std::string id = Enqueue("email", "a/email");
  OutboxSender sender = Sender();
  EXPECT_EQ(Or(Run(sender), -1), 0);
  EXPECT_EQ(Find(id).status, "failed");
  EXPECT_EQ(Find(id).last_error, "550 5.1.1 no such user");
  EXPECT_EQ(Attempts(id).size(), 1u);
}

TEST_F(OutboxSenderTest, AChannelThatIsOffFailsItsMessagesInsteadOfKeepingThem) {
  const std::string sms = Enqueue("sms", "a/sms");
  const std::string mail = Enqueue("email", "a/email");
  OutboxSender sender = Sender(/*sms_on=*/false);
  EXPECT_EQ(Or(Run(sender), -1), 1);
  EXPECT_TRUE(wire_.sms.empty());
  EXPECT_EQ(Find(sms).status, "failed");
  EXPECT_NE(Find(sms).last_error->find("SMS off"), std::string::npos);
  EXPECT_EQ(Find(mail).status, "sent");  // the e-mail is not held back by the SMS
}

TEST_F(OutboxSenderTest, AnSmsInterruptedMidSendIsResentWithTheSameKey) {
  const std::string id = Enqueue("sms", "a/sms");
  CrashedSender(id, /*started=*/false);
  OutboxSender sender = Sender();
  EXPECT_EQ(Or(Run(sender), -1), 1);
  ASSERT_EQ(wire_.sms.size(), 1u);
  EXPECT_EQ(wire_.sms[0].idempotency_key, id);
  EXPECT_EQ(Find(id).status, "sent");
}

TEST_F(OutboxSenderTest, AnEmailInterruptedMidSendIsSentOnceMoreThenNever) {
  // Interrupted once: one last send, same Message-ID.
  const std::string once = Enqueue("email", "once/email");
  CrashedSender(once, /*started=*/true);
  OutboxSender sender = Sender();
  EXPECT_EQ(Or(Run(sender), -1), 1);
  ASSERT_EQ(wire_.emails.size(), 1u);
  EXPECT_EQ(wire_.emails[0].message_id, once + "@test");
  EXPECT_EQ(Find(once).status, "sent");

  // Interrupted twice: not sent a third time; failed for a person to look.
  const std::string twice = Enqueue("email", "twice/email");
  CrashedSender(twice, true);
  CrashedSender(twice, true);
  EXPECT_EQ(Or(Run(sender), -1), 0);
  EXPECT_EQ(wire_.emails.size(), 1u);
  EXPECT_EQ(Find(twice).status, "failed");
  EXPECT_NE(Find(twice).last_error->find("interrupted twice"), std::string::npos);
}

TEST_F(OutboxSenderTest, AMessageLeasedByALiveSenderIsLeftToIt) {
  const std::string id = Enqueue("email", "a/email");
  ASSERT_TRUE((*db_)
                  .Transact([&](storage::Transaction& tx) -> Status {
                    auto got = tx.outbox().Claim(kT0, kT0, options_.lease_ms, "other", 10);
                    return got.ok() ? Status::Ok() : got.status();
                  })
                  .ok());
  OutboxSender sender = Sender();
  EXPECT_EQ(Or(Run(sender), -1), 0);
  EXPECT_TRUE(wire_.emails.empty());
  EXPECT_EQ(Find(id).lease_owner, "other");
}

TEST_F(OutboxSenderTest, SeveralWorkersSendEachMessageOnce) {
  for (int i = 0; i < 60; ++i) Enqueue("email", "m" + std::to_string(i));
  options_.workers = 4;
  options_.batch = 5;
  OutboxSender sender = Sender();
  EXPECT_EQ(Or(Run(sender), -1), 60);
  std::set<std::string> ids;
  for (const auto& e : wire_.emails) ids.insert(e.message_id);
  EXPECT_EQ(wire_.emails.size(), 60u);
  EXPECT_EQ(ids.size(), 60u);
}

TEST(MessagePayloadTest, RoundTripsAndRefusesDamage) {
  MessagePayload p{
      "a@b.fr", "en", "alert_new", {{"path", "/pro/alertes"}, {"n", "3"}}, "https://x/u"};
  auto back = DecodePayload(EncodePayload(p));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->to, p.to);
  EXPECT_EQ(back->language, "en");
  EXPECT_EQ(back->template_name, "alert_new");
  EXPECT_EQ(back->vars, p.vars);
  EXPECT_EQ(back->unsubscribe_url, p.unsubscribe_url);
  EXPECT_FALSE(DecodePayload("{}").ok());
  EXPECT_FALSE(DecodePayload("not json").ok());
}

}  // namespace
}  // namespace parcours::app
