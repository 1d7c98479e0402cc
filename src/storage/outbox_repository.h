// OutboxRepository: messages to send (e-mail, SMS) and the claims of
// scheduled jobs. Reached from a Transaction (Transaction::outbox()), so a
// message is written in the same transaction as the event that causes it:
// no event without its messages, no message without its event.
//
// One row per channel and recipient: a failing SMS never resends the e-mail.
// The row's payload (recipient address, language, template, variables) is
// sealed with the contact key: the outbox holds contact data.
//
// Contract (both backends, tests/storage/outbox_conformance_test.cpp):
// - Enqueue inserts a `pending` message; a second message with the same
//   dedupe_key is not inserted and Enqueue returns false (the cause was
//   already handled: an event replayed, two instances sweeping at once).
// - Claim hands each due message to one claimer at a time: it returns
//   pending messages with next_attempt_at <= due_before whose lease is free
//   (lease_until <= lease_now), oldest next_attempt_at first, and sets
//   lease_owner = owner, lease_until = lease_now + lease_ms on them.
//   PostgreSQL uses FOR UPDATE SKIP LOCKED; SQLite's single writer
//   serialises claims. `due_before` may come from a simulated clock
//   (`jobs run --now`); `lease_now` is always the real clock.
// - Finish records one attempt and the message's new state, only while
//   `owner` still holds the lease (kConflict otherwise: the lease expired
//   and someone else may be sending it). outcome "sent" → status sent;
//   "retry" → pending again at next_attempt_at, lease released; "failed" →
//   status failed (permanent; the coordinator sees it).
// - MarkStarted records that `owner` begins sending the message (an
//   e-mail: the sender commits it before talking to the SMTP server), only
//   while `owner` holds the lease (kConflict otherwise). `starts` greater
//   than `attempts` on a claimed message means a send was interrupted (a
//   crash between send and Finish): the sender resends an e-mail at most
//   once more, with the same Message-ID.
// - Retry puts a failed message back to pending, due at `now`, with its
//   counters (`attempts`, `starts`) reset so the replay gets the whole
//   retry budget; the attempts already recorded stay. kNotFound for an
//   unknown id, kConflict for a message that is not failed.
// - ClaimJobSlot returns true for the first claim of (job, slot) and false
//   for every later one, across instances: a daily digest's slot is its
//   local date, a reminder's is its id.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/common/types.h"

namespace parcours::storage {

struct OutboxMessageRecord {
  // Time-ordered id (app::NewId). Also the gateway's idempotency key for an
  // SMS and the local part of an e-mail's Message-ID, so a message resent
  // after a crash is recognisably the same one.
  std::string id;
  // Unique. The cause, the recipient and the channel, e.g.
  // "alert/<alert id>/created/<user id>/email", "reminder/<id>/sms".
  std::string dedupe_key;
  std::string channel;  // "email", "sms"
  // What it is, for lists and counts: "alert_new", "alert_overdue",
  // "invitation", "reset", "reminder", "digest".
  std::string kind;
  std::string territory_code;  // whose coordinators see its failure ("" = admins)
  // Sealed JSON {"to","language","template","vars":{…}}.
  std::vector<unsigned char> payload_sealed;
  std::string status = "pending";  // "pending", "sent", "failed"
  domain::TimestampMs created_at = 0;
  domain::TimestampMs next_attempt_at = 0;
  int attempts = 0;  // attempts finished (Finish) since enqueue or the last Retry
  int starts = 0;    // sends begun (MarkStarted) since enqueue or the last Retry
  std::optional<std::string> lease_owner;
  domain::TimestampMs lease_until = 0;
  std::optional<std::string> last_error;  // never contains the payload
  std::optional<domain::TimestampMs> sent_at;

  bool operator==(const OutboxMessageRecord&) const = default;
};

struct OutboxAttemptRecord {
  std::string message_id;
  domain::TimestampMs at = 0;
  std::string outcome;  // "sent", "retry", "failed"
  std::string detail;   // the server's answer, without the payload

  bool operator==(const OutboxAttemptRecord&) const = default;
};

struct OutboxQuery {
  std::optional<std::string> status;     // nullopt = every status
  std::optional<std::string> territory;  // nullopt = every territory
  int limit = 200;
};

class OutboxRepository {
 public:
  virtual ~OutboxRepository() = default;

  // True when inserted, false when dedupe_key already existed.
  virtual Result<bool> Enqueue(const OutboxMessageRecord& m) = 0;
  virtual Result<std::vector<OutboxMessageRecord>> Claim(domain::TimestampMs due_before,
                                                         domain::TimestampMs lease_now,
                                                         std::int64_t lease_ms,
                                                         std::string_view owner, int limit) = 0;
  virtual Status Finish(std::string_view id, std::string_view owner,
                        const OutboxAttemptRecord& attempt,
                        domain::TimestampMs next_attempt_at) = 0;
  virtual Status MarkStarted(std::string_view id, std::string_view owner) = 0;
  virtual Status Retry(std::string_view id, domain::TimestampMs now) = 0;
  virtual Result<std::optional<OutboxMessageRecord>> Find(std::string_view id) = 0;
  virtual Result<std::vector<OutboxMessageRecord>> List(const OutboxQuery& q) = 0;
  virtual Result<std::vector<OutboxAttemptRecord>> Attempts(std::string_view message_id) = 0;

  virtual Result<bool> ClaimJobSlot(std::string_view job, std::string_view slot,
                                    domain::TimestampMs at) = 0;
};

}  // namespace parcours::storage
