// The professionals' messages of the alert circuit, enqueued in the outbox
// in the SAME transaction as their cause, with dedupe keys that make each
// one exactly once (an event replayed, two instances sweeping at once):
// - a new alert (any source: parent, professional, third party) → every
//   active responder "on duty" by e-mail, and by SMS (the account's phone)
//   when the urgency is `immediate` or item 10 > 0. On duty = every active
//   responder covering the alert's sub-territory (accounts narrowed to it,
//   and accounts of the whole territory); when none does, every active
//   responder of the territory. There is no rota yet: all are on duty.
// - an escalated event → level 1: the territory's active coordinators by
//   e-mail; level 2: the `escalation.second_level.email` of the territory
//   file, when it names one.
// Texts say nothing of the parent, the score or the urgency ("Parcours DPP :
// une demande à traiter") and link to the inbox (templates/mail/).
//
// Thread-safe (the Random must be, as SystemRandom is).
#pragma once

#include <functional>
#include <string>

#include "core/status.h"

namespace parcours::storage {
class Transaction;
struct AlertRecord;
}  // namespace parcours::storage

namespace parcours::app {

class Clock;
class PathwayConfig;
class Random;
class Sealer;

class AlertNotices {
 public:
  AlertNotices(const PathwayConfig& config, const Sealer& sealer, const Clock& clock,
               Random& random)
      : config_(config), sealer_(sealer), clock_(clock), random_(random) {}

  // Called after a transaction that enqueued something committed (the
  // scheduler's Nudge), so the sender runs at once. Set before use.
  void SetOnEnqueued(std::function<void()> f) { on_enqueued_ = std::move(f); }
  void Enqueued() const {
    if (on_enqueued_) on_enqueued_();
  }

  // In the transaction that inserted `a`. Returns how many messages were
  // enqueued (0 when nobody is on duty: logged).
  Result<int> AlertCreated(storage::Transaction& tx, const storage::AlertRecord& a) const;
  // In the transaction that recorded the escalated event of `a` at `level`.
  Result<int> Escalated(storage::Transaction& tx, const storage::AlertRecord& a, int level) const;

 private:
  const PathwayConfig& config_;
  const Sealer& sealer_;
  const Clock& clock_;
  Random& random_;
  std::function<void()> on_enqueued_;
};

}  // namespace parcours::app
