#include "app/notify/digest_job.h"

#include <algorithm>
#include <array>

#include "domain/calendar/holidays.h"
#include "domain/pathway/opening_hours.h"
#include "domain/territory/territory.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

// Open alerts counted per urgency (enough for one territory's inbox).
constexpr int kMaxCounted = 100000;

constexpr std::array<domain::Urgency, 4> kUrgencies = {
    domain::Urgency::kImmediate, domain::Urgency::kWithin24h, domain::Urgency::kWithin72h,
    domain::Urgency::kWithin7d};

}  // namespace

DigestJob::DigestJob(storage::Storage& storage, const domain::TerritoryCatalog& territories,
                     Enqueuer enqueue, std::string public_url, int digest_hour)
    : storage_(storage),
      territories_(territories),
      enqueue_(std::move(enqueue)),
      public_url_(std::move(public_url)),
      digest_hour_(digest_hour) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

Result<int> DigestJob::RunDue(domain::TimestampMs now) {
  if (public_url_.empty()) return 0;  // no link to the inbox could be given
  std::vector<storage::UserRecord> users;
  Status st = storage_.Read([&](storage::Transaction& tx) -> Status {
    storage::UserFilter f;
    f.role = "responder";
    f.active_only = true;
    auto r = tx.accounts().ListUsers(f);
    if (!r.ok()) return r.status();
    users = std::move(*r);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  int written = 0;
  for (const auto& u : users) {
    if (u.disabled || u.territories.empty()) continue;
    const domain::Territory* t = territories_.Find(u.territories.front());
    if (t == nullptr || t->time_zone.empty()) continue;
    const domain::LocalTime local = domain::ToLocal(t->time_zone, now);
    if (local.hour != digest_hour_) continue;  // no catch-up outside the hour
    const std::string date =
        domain::ToIsoDate(domain::LocalDate{local.year, local.month, local.day});
    const std::string done_key = u.id + "/" + date;
    {
      core::MutexLock lock(mu_);
      if (done_.contains(done_key)) continue;
    }
    st = storage_.Transact([&](storage::Transaction& tx) -> Status {
      storage::AlertQuery q;
      q.territories = u.territories;
      q.status = "open";
      q.now = now;
      q.limit = kMaxCounted;
      auto alerts = tx.alerts().Search(q);
      if (!alerts.ok()) return alerts.status();
      std::array<int, 4> open{}, overdue{};
      for (const auto& a : *alerts) {
        if (!u.sub_territories.empty() &&
            (!a.sub_territory_code ||
             !std::binary_search(u.sub_territories.begin(), u.sub_territories.end(),
                                 *a.sub_territory_code))) {
          continue;
        }
        const auto i = static_cast<std::size_t>(
            std::find(kUrgencies.begin(), kUrgencies.end(), a.urgency) - kUrgencies.begin());
        if (i >= kUrgencies.size()) continue;
        ++open[i];
        if (a.deadline_at < now) ++overdue[i];
      }
      OutgoingMessage m;
      m.dedupe_key = "digest/" + u.id + "/" + date + "/email";
      m.channel = "email";
      m.kind = "digest";
      m.territory_code = u.territories.front();
      m.to = u.email;
      m.language = "fr";  // the professional pages are in French
      m.template_name = "digest";
      m.due_at = now;
      m.vars["date"] = date;
      m.vars["inbox_url"] = public_url_ + "/pro/alertes";
      int open_total = 0, overdue_total = 0;
      for (std::size_t i = 0; i < kUrgencies.size(); ++i) {
        const std::string key(domain::ToString(kUrgencies[i]));
        m.vars["open_" + key] = std::to_string(open[i]);
        m.vars["overdue_" + key] = std::to_string(overdue[i]);
        open_total += open[i];
        overdue_total += overdue[i];
      }
      m.vars["open_total"] = std::to_string(open_total);
      m.vars["overdue_total"] = std::to_string(overdue_total);
      if (open_total == 0) m.vars["none_open"] = "1";
      return enqueue_(tx, m);
    });
    if (!st.ok()) return st;
    ++written;
    core::MutexLock lock(mu_);
    // Yesterday's keys are no longer needed.
    std::erase_if(done_, [&](const std::string& k) { return !k.ends_with("/" + date); });
    done_.insert(done_key);
  }
  return written;
}

}  // namespace parcours::app
