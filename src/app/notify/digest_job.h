// The daily digest of open alerts (issue 12): one e-mail per active
// responder per local date, at `digest-hour` in the time zone of the
// responder's first territory, with counts only (open and overdue alerts
// per urgency) and the link to the inbox: no health data, no names.
//
// Rule against catch-up: a digest is written only while the local time is
// within the digest hour (08:00 to 08:59 with the default). A scheduler
// that first starts, or comes back, after that hour sends none for that
// day: the next one comes the following morning. One per responder and
// local date across instances and runs: its outbox dedupe key is
// "digest/<user id>/<local date>/email". A digest is sent also when no
// alert is open: it then says so, and its arrival shows the chain works.
#pragma once

#include <set>
#include <string>

#include "core/thread_annotations.h"

#include "app/notify/reminder_service.h"
#include "app/notify/scheduled_job.h"

namespace parcours::domain {
class TerritoryCatalog;
}

namespace parcours::app {

class DigestJob : public ScheduledJob {
 public:
  DigestJob(storage::Storage& storage, const domain::TerritoryCatalog& territories,
            Enqueuer enqueue, std::string public_url, int digest_hour = 8);
  std::string_view Name() const override { return "digest"; }
  Result<int> RunDue(domain::TimestampMs now) override;

 private:
  storage::Storage& storage_;
  const domain::TerritoryCatalog& territories_;
  Enqueuer enqueue_;
  std::string public_url_;
  int digest_hour_;
  // "<user id>/<local date>" written by this process: later ticks of the
  // hour skip them without a transaction (other instances find the key).
  core::Mutex mu_;
  std::set<std::string> done_ GUARDED_BY(mu_);
};

}  // namespace parcours::app
