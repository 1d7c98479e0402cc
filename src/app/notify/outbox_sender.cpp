#include "app/notify/outbox_sender.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "app/notify/message_renderer.h"
#include "app/notify/outbox.h"
#include "core/log.h"
#include "storage/storage.h"

namespace parcours::app {

struct OutboxSender::Channels {
  std::unique_ptr<EmailChannel> email;
  std::unique_ptr<SmsChannel> sms;
};

OutboxSender::OutboxSender(storage::Storage& storage, const Sealer& sealer, const Clock& real_clock,
                           const MessageRenderer& renderer, ChannelFactory channels,
                           SenderOptions options)
    : storage_(storage),
      sealer_(sealer),
      clock_(real_clock),
      renderer_(renderer),
      channels_(std::move(channels)),
      options_(std::move(options)) {}

std::int64_t OutboxSender::Backoff(int attempts) const {
  std::int64_t d = options_.backoff_base_ms;
  for (int i = 1; i < attempts && d < options_.backoff_cap_ms; ++i) d *= 2;
  return std::min(d, options_.backoff_cap_ms);
}

Status OutboxSender::Finish(const storage::OutboxMessageRecord& m, const std::string& outcome,
                            const std::string& detail, domain::TimestampMs next) {
  storage::OutboxAttemptRecord a{m.id, clock_.NowMs(), outcome, detail};
  Status st = storage_.Transact(
      [&](storage::Transaction& tx) { return tx.outbox().Finish(m.id, options_.owner, a, next); });
  if (!st.ok()) {
    log::Warn("outbox: attempt not recorded",
              {{"message", m.id}, {"outcome", outcome}, {"error", st.ToString()}});
  } else if (outcome == "failed") {
    log::Warn("outbox: message failed", {{"message", m.id},
                                         {"kind", m.kind},
                                         {"channel", m.channel},
                                         {"territory", m.territory_code},
                                         {"detail", detail}});
  }
  return st;
}

bool OutboxSender::Process(const storage::OutboxMessageRecord& m, Channels& ch,
                           domain::TimestampMs now) {
  // Not enough lease left for a send: leave it to be claimed again.
  if (m.lease_until - clock_.NowMs() < options_.send_timeout_ms) return false;
  auto plain = sealer_.Open(m.payload_sealed);
  if (!plain.ok()) {
    (void)Finish(m, "failed", "payload cannot be opened with this key", 0);
    return false;
  }
  auto payload = DecodePayload(*plain);
  if (!payload.ok()) {
    (void)Finish(m, "failed", "damaged payload", 0);
    return false;
  }
  const bool email = m.channel == "email";
  if ((email && !ch.email) || (!email && !ch.sms)) {
    const char* why = email ? "e-mail off: no smtp-url on this instance"
                            : "SMS off: no sms-gateway-url on this instance";
    log::Info("outbox: message skipped", {{"message", m.id}, {"channel", m.channel}});
    (void)Finish(m, "failed", why, 0);
    return false;
  }
  SendOutcome outcome;
  if (email) {
    const int interrupted = m.starts - m.attempts;
    if (interrupted >= 2) {
      (void)Finish(m, "failed",
                   "sending was interrupted twice (process stopped mid-send): not sent again, "
                   "so it is received at most twice; replay it to send it anew",
                   0);
      return false;
    }
    auto rendered = renderer_.RenderEmail(*payload, m.id);
    if (!rendered.ok()) {
      (void)Finish(m, "failed", "cannot render: " + rendered.status().message(), 0);
      return false;
    }
    // The start is durable before the server hears of the message.
    Status started = storage_.Transact(
        [&](storage::Transaction& tx) { return tx.outbox().MarkStarted(m.id, options_.owner); });
    if (!started.ok()) {
      log::Warn("outbox: not started", {{"message", m.id}, {"error", started.ToString()}});
      return false;
    }
    if (interrupted == 1) {
      log::Info("outbox: resending an interrupted e-mail", {{"message", m.id}});
    }
    outcome = ch.email->Send(*rendered);
  } else {
    auto rendered = renderer_.RenderSms(*payload, m.id);
    if (!rendered.ok()) {
      (void)Finish(m, "failed", "cannot render: " + rendered.status().message(), 0);
      return false;
    }
    outcome = ch.sms->Send(*rendered);
  }
  switch (outcome.kind) {
    case SendOutcome::Kind::kSent: return Finish(m, "sent", outcome.detail, 0).ok();
    case SendOutcome::Kind::kPermanent: (void)Finish(m, "failed", outcome.detail, 0); return false;
    case SendOutcome::Kind::kTemporary: break;
  }
  const int attempts = m.attempts + 1;
  if (attempts >= options_.max_attempts) {
    (void)Finish(m, "failed",
                 outcome.detail + " (gave up after " + std::to_string(attempts) + " attempts)", 0);
  } else {
    (void)Finish(m, "retry", outcome.detail, now + Backoff(attempts));
  }
  return false;
}

Result<int> OutboxSender::Drain(domain::TimestampMs now) {
  Channels ch;
  if (channels_.email) ch.email = channels_.email();
  if (channels_.sms) ch.sms = channels_.sms();
  int sent = 0;
  for (;;) {
    std::vector<storage::OutboxMessageRecord> batch;
    Status st = storage_.Transact([&](storage::Transaction& tx) -> Status {
      auto r =
          tx.outbox().Claim(now, clock_.NowMs(), options_.lease_ms, options_.owner, options_.batch);
      if (!r.ok()) return r.status();
      batch = std::move(*r);
      return Status::Ok();
    });
    if (!st.ok()) return st;
    if (batch.empty()) return sent;
    for (const auto& m : batch) {
      if (Process(m, ch, now)) ++sent;
    }
  }
}

Result<int> OutboxSender::RunDue(domain::TimestampMs now) {
  const int workers = std::max(1, options_.workers);
  if (workers == 1) return Drain(now);
  std::vector<Result<int>> results(static_cast<std::size_t>(workers), 0);
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(workers));
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] { results[static_cast<std::size_t>(w)] = Drain(now); });
  }
  for (auto& t : threads) t.join();
  int sent = 0;
  for (auto& r : results) {
    if (!r.ok()) return r.status();
    sent += *r;
  }
  return sent;
}

}  // namespace parcours::app
