#include "app/alerts/escalation.h"

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <vector>

#include "app/auth/audit.h"
#include "app/clock.h"
#include "app/notify/alert_notices.h"
#include "app/pathway_config.h"
#include "core/log.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

constexpr domain::TimestampMs kHourMs = 3'600'000;

std::string EscalationKey(const storage::AlertRecord& a, int level) {
  return a.id + "/" + std::to_string(a.deadline_at) + "/" + std::to_string(level);
}

}  // namespace

Result<AlertEscalation::Report> AlertEscalation::SweepOnce(int batch) {
  return SweepAt(clock_.NowMs(), batch);
}

Result<AlertEscalation::Report> AlertEscalation::SweepAt(domain::TimestampMs now, int batch) {
  const domain::TimestampMs stamp = std::min(now, clock_.NowMs());
  Report report;
  // Level 1 everywhere; level 2 per territory naming a second level, for
  // alerts past their deadline by its delay.
  struct Pass {
    int level;
    std::optional<std::string> territory;
    domain::TimestampMs before;
  };
  std::vector<Pass> passes{{1, std::nullopt, now}};
  for (const auto& t : config_.territories().all()) {
    if (t.escalation.second_level) {
      passes.push_back({2, t.code, now - t.escalation.second_level->after_hours * kHourMs});
    }
  }
  for (const Pass& pass : passes) {
    const int level = pass.level;
    std::vector<storage::AlertRecord> overdue;
    Status st = storage_.Read([&](storage::Transaction& tx) -> Status {
      auto rows = tx.alerts().ListOverdue(pass.before, level, pass.territory, batch);
      if (!rows.ok()) return rows.status();
      overdue = std::move(*rows);
      return Status::Ok();
    });
    if (!st.ok()) return st;
    for (const auto& a : overdue) {
      auto status = domain::ParseAlertStatus(a.status);
      if (!status) continue;  // a stored status that does not parse: the reads report it
      storage::AlertEventRecord e;
      e.id = NewId(clock_, random_);
      e.alert_id = a.id;
      e.territory_code = a.territory_code;
      e.at = stamp;
      e.actor = "system";
      e.type = domain::AlertEventType::kEscalated;
      e.status_after = *status;
      e.escalation_key = EscalationKey(a, level);
      boost::json::object f;
      f["level"] = level;
      f["deadline_at"] = a.deadline_at;
      f["overdue_ms"] = now - a.deadline_at;
      f["urgency"] = domain::ToString(a.urgency);
      f["notify"] = level == 1 ? "coordinators" : "second_level";
      if (a.sub_territory_code) f["sub_territory"] = *a.sub_territory_code;
      e.fields = boost::json::serialize(f);
      Status written = storage_.Transact([&](storage::Transaction& tx) -> Status {
        auto seq = tx.alerts().AppendEvent(e);
        if (!seq.ok()) return seq.status();
        if (notices_) {
          auto sent = notices_->Escalated(tx, a, level);
          if (!sent.ok()) return sent.status();
        }
        return WriteAudit(tx, stamp,
                          {"system", "escalate", "alert", a.id, a.territory_code,
                           "level " + std::to_string(level)});
      });
      if (written.ok()) {
        ++report.recorded;
        if (notices_) notices_->Enqueued();
      } else if (written.code() == StatusCode::kConflict) {
        ++report.already;  // another instance recorded it first
      } else {
        return written;
      }
    }
  }
  return report;
}

void AlertEscalation::StartPeriodic(std::chrono::seconds interval,
                                    std::function<void()> on_recorded) {
  Stop();
  {
    core::MutexLock lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this, interval, on_recorded = std::move(on_recorded)] {
    for (;;) {
      {
        core::MutexLock lock(mu_);
        if (stopping_) return;
        std::unique_lock<std::mutex> wait(mu_.native(), std::adopt_lock);
        cv_.wait_for(wait, interval);
        wait.release();
        if (stopping_) return;
      }
      auto r = SweepOnce();
      if (!r.ok()) {
        log::Warn("escalation sweep failed", {{"error", r.status().ToString()}});
      } else if (r->recorded > 0) {
        log::Info("alerts escalated", {{"recorded", static_cast<std::int64_t>(r->recorded)}});
        if (on_recorded) on_recorded();
      }
    }
  });
}

void AlertEscalation::Stop() {
  {
    core::MutexLock lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace parcours::app
