// A piece of scheduled work: the outbox sender, the alert notifications'
// sweeps, the parents' reminders, the daily digest, the retention purge.
// The scheduler inside `serve` calls every job's RunDue periodically;
// `parcours jobs run [--now ISO-8601]` calls each once and exits. `now`
// decides what is due only (it may be simulated); leases and claims keep
// using the real clock. RunDue must be safe on several instances at once
// (claims in storage: OutboxRepository::Claim, ClaimJobSlot).
#pragma once

#include <string_view>

#include "core/status.h"
#include "domain/common/types.h"

namespace parcours::app {

class ScheduledJob {
 public:
  virtual ~ScheduledJob() = default;
  virtual std::string_view Name() const = 0;
  // Does what is due at `now`; returns how many things it did (messages
  // enqueued or sent, rows purged), for the log.
  virtual Result<int> RunDue(domain::TimestampMs now) = 0;
};

}  // namespace parcours::app
