#include "app/notify/purge_job.h"

#include <string>

#include "app/auth/audit.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

constexpr domain::TimestampMs kDay = 86'400'000;

}  // namespace

Result<int> PurgeJob::RunDue(domain::TimestampMs now) {
  {
    core::MutexLock lock(mu_);
    if (last_run_ && now >= *last_run_ && now - *last_run_ < kDay / 24) return 0;
    last_run_ = now;
  }
  std::int64_t contacts = 0, reminders = 0, payloads = 0, sessions = 0;
  Status st = storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto c = tx.retention().EraseClosedAlertContacts(now - periods_.alert_contact_days * kDay);
    if (!c.ok()) return c.status();
    auto r = tx.reminders().DeleteFinishedReminders(now - periods_.reminder_days * kDay);
    if (!r.ok()) return r.status();
    auto p = tx.retention().EraseSentMessagePayloads(now - periods_.outbox_days * kDay);
    if (!p.ok()) return p.status();
    auto s = tx.accounts().DeleteExpiredSessions(now, now - periods_.session_idle_ms);
    if (!s.ok()) return s.status();
    contacts = *c;
    reminders = *r;
    payloads = *p;
    sessions = *s;
    if (contacts + reminders + payloads == 0) return Status::Ok();
    const std::string detail = "alert contacts erased: " + std::to_string(contacts) +
                               ", reminders deleted: " + std::to_string(reminders) +
                               ", sent message payloads erased: " + std::to_string(payloads);
    return WriteAudit(tx, now,
                      {.actor = "system",
                       .action = "purge",
                       .subject_type = "retention",
                       .subject_id = "",
                       .territory_code = "",
                       .detail = detail});
  });
  if (!st.ok()) return st;
  return static_cast<int>(contacts + reminders + payloads + sessions);
}

}  // namespace parcours::app
