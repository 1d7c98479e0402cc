// The retention purge (issue 12): personal data erased once its retention
// period is over, as data/i18n's privacy texts promise. Periods are
// settings (README, docs/operations.md):
// - `retention-alert-contact-days` (default 90): the parent's contact, its
//   keyed hashes and a third party's identity on alerts closed that long
//   ago (the alert, its history and outcome stay, without them);
// - `retention-reminder-days` (default 30): reminders sent or cancelled
//   that long ago are deleted (their contact was already erased when they
//   were sent or cancelled);
// - `retention-outbox-days` (default 1): the sealed payload (recipient
//   address, links) of outbox messages sent that long ago is emptied (the
//   row, its dedupe key and attempts stay, so nothing is sent again);
// - sessions past their absolute or idle limit are deleted at once.
// The audit log is append-only and is never purged here. Each run that
// erased something writes one audit row (actor "system", action "purge").
// Safe on several instances: every statement is a conditional update or
// delete, so a second run finds nothing left.
#pragma once

#include <cstdint>
#include <optional>

#include "app/notify/scheduled_job.h"
#include "core/thread_annotations.h"

namespace parcours::storage {
class Storage;
}

namespace parcours::app {

struct RetentionPeriods {
  int alert_contact_days = 90;
  int reminder_days = 30;
  int outbox_days = 1;
  std::int64_t session_idle_ms = 30 * 60 * 1000;  // AuthOptions::idle
};

class PurgeJob : public ScheduledJob {
 public:
  PurgeJob(storage::Storage& storage, RetentionPeriods periods)
      : storage_(storage), periods_(periods) {}
  std::string_view Name() const override { return "purge"; }
  // Returns the number of rows erased or deleted. Runs at most once an
  // hour in one process (the periods are days; the scheduler ticks often).
  Result<int> RunDue(domain::TimestampMs now) override;

 private:
  storage::Storage& storage_;
  RetentionPeriods periods_;
  core::Mutex mu_;
  std::optional<domain::TimestampMs> last_run_ GUARDED_BY(mu_);
};

}  // namespace parcours::app
