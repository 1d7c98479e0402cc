// The outbox sender: a ScheduledJob that claims due messages with a lease
// (the real clock), renders them, sends them through their channel and
// records the attempt (storage/outbox_repository.h).
//
// Rules:
// - Retries: a temporary failure (SMTP 4xx, gateway 5xx/429, network) is
//   tried again after backoff_base_ms × 2^(attempts−1), at most
//   backoff_cap_ms; after max_attempts attempts, or at once on a permanent
//   answer (SMTP 5xx, gateway 4xx), the message is `failed`: the
//   coordinators of its territory see it and may replay it.
// - A channel that is off (no smtp-url / no sms-gateway-url on this
//   instance) fails its messages at once ("… off"), logged: a message never
//   stays pending for a channel nobody configured, and a replay sends it
//   once the setting is there.
// - Crash between send and acknowledge: an SMS is sent again with the same
//   idempotency key (its message id); the gateway drops the copy. An
//   e-mail's start is committed (MarkStarted) before it is sent; a message
//   found with a start not followed by an attempt is sent once more with
//   the same Message-ID, and found so a second time it is failed instead
//   (at most one duplicate, never a stream of them).
// - A message is only sent while this sender's lease has at least the send
//   timeout left; otherwise it is left to expire and be claimed again.
//
// Thread-safe: RunDue may run on several threads and instances at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "app/notify/channels.h"
#include "app/notify/scheduled_job.h"

namespace parcours::storage {
class Storage;
struct OutboxMessageRecord;
}  // namespace parcours::storage

namespace parcours::app {

class Clock;
class Sealer;
class MessageRenderer;

struct SenderOptions {
  std::int64_t lease_ms = 120'000;
  int batch = 20;
  int max_attempts = 8;
  std::int64_t backoff_base_ms = 60'000;
  std::int64_t backoff_cap_ms = 6 * 3'600'000;
  int workers = 2;  // threads sending at once in one RunDue
  // The longest a send may take (channel timeouts): a message is only sent
  // with at least this much lease left.
  std::int64_t send_timeout_ms = 40'000;
  std::string owner;  // unique per process, e.g. "host:pid:random"
};

// Channels for one sending thread; nullptr = the channel is off.
struct ChannelFactory {
  std::function<std::unique_ptr<EmailChannel>()> email;
  std::function<std::unique_ptr<SmsChannel>()> sms;
};

class OutboxSender : public ScheduledJob {
 public:
  OutboxSender(storage::Storage& storage, const Sealer& sealer, const Clock& real_clock,
               const MessageRenderer& renderer, ChannelFactory channels, SenderOptions options);

  std::string_view Name() const override { return "outbox"; }
  // Sends every message due at `now` (claimed on the real clock) until none
  // is left; returns how many were sent.
  Result<int> RunDue(domain::TimestampMs now) override;

  // Backoff before the attempt after `attempts` failed ones.
  std::int64_t Backoff(int attempts) const;

 private:
  struct Channels;
  // One claimed message: returns true when it was sent.
  bool Process(const storage::OutboxMessageRecord& m, Channels& ch, domain::TimestampMs now);
  Status Finish(const storage::OutboxMessageRecord& m, const std::string& outcome,
                const std::string& detail, domain::TimestampMs next);
  Result<int> Drain(domain::TimestampMs now);

  storage::Storage& storage_;
  const Sealer& sealer_;
  const Clock& clock_;
  const MessageRenderer& renderer_;
  ChannelFactory channels_;
  SenderOptions options_;
};

}  // namespace parcours::app
