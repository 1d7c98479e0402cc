#include "app/notify/alert_notices.h"

#include <algorithm>
#include <vector>

#include "app/notify/outbox.h"
#include "app/pathway_config.h"
#include "core/log.h"
#include "domain/access/access.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

constexpr const char* kInboxPath = "/pro/alertes";

bool Covers(const storage::UserRecord& u, const std::string& sub) {
  return u.sub_territories.empty() || std::find(u.sub_territories.begin(), u.sub_territories.end(),
                                                sub) != u.sub_territories.end();
}

// A message of kind (and template) `kind` to the professionals about alert
// `a`, in French (the professional side's language), linking to the inbox;
// the caller sets channel, recipient and dedupe key.
OutgoingMessage InboxNotice(const storage::AlertRecord& a, const char* kind) {
  OutgoingMessage m;
  m.kind = kind;
  m.territory_code = a.territory_code;
  m.language = "fr";
  m.template_name = kind;
  m.vars = {{"path", kInboxPath}};
  return m;
}

Result<std::vector<storage::UserRecord>> ActiveUsers(storage::Transaction& tx,
                                                     const std::string& territory,
                                                     domain::Role role) {
  storage::UserFilter f;
  f.territories = {territory};
  f.role = std::string(domain::ToString(role));
  f.active_only = true;
  return tx.accounts().ListUsers(f);
}

}  // namespace

Result<int> AlertNotices::AlertCreated(storage::Transaction& tx,
                                       const storage::AlertRecord& a) const {
  if (a.territory_code.empty()) return 0;  // the outside queue has no responders
  auto all = ActiveUsers(tx, a.territory_code, domain::Role::kResponder);
  if (!all.ok()) return all.status();
  std::vector<storage::UserRecord> on_duty;
  if (a.sub_territory_code) {
    for (const auto& u : *all) {
      if (Covers(u, *a.sub_territory_code)) on_duty.push_back(u);
    }
  }
  if (on_duty.empty()) on_duty = std::move(*all);
  if (on_duty.empty()) {
    log::Warn("new alert: no active responder to tell", {{"territory", a.territory_code}});
    return 0;
  }
  const bool urgent = a.crisis || a.urgency == domain::Urgency::kImmediate;
  int n = 0;
  for (const auto& u : on_duty) {
    const std::string key = "alert/" + a.id + "/created/" + u.id + "/";
    OutgoingMessage m = InboxNotice(a, "alert_new");
    if (!u.email.empty()) {
      m.dedupe_key = key + "email";
      m.channel = "email";
      m.to = u.email;
      PARCOURS_RETURN_IF_ERROR(EnqueueMessage(tx, sealer_, clock_, random_, m));
      ++n;
    }
    if (urgent && u.phone && !u.phone->empty()) {
      m.dedupe_key = key + "sms";
      m.channel = "sms";
      m.to = *u.phone;
      PARCOURS_RETURN_IF_ERROR(EnqueueMessage(tx, sealer_, clock_, random_, m));
      ++n;
    }
  }
  return n;
}

Result<int> AlertNotices::Escalated(storage::Transaction& tx, const storage::AlertRecord& a,
                                    int level) const {
  const std::string key = "alert/" + a.id + "/escalated/" + std::to_string(a.deadline_at) + "/" +
                          std::to_string(level) + "/";
  OutgoingMessage m = InboxNotice(a, "alert_overdue");
  m.channel = "email";
  int n = 0;
  if (level == 1) {
    auto coordinators = ActiveUsers(tx, a.territory_code, domain::Role::kCoordinator);
    if (!coordinators.ok()) return coordinators.status();
    for (const auto& u : *coordinators) {
      if (u.email.empty()) continue;
      m.dedupe_key = key + u.id + "/email";
      m.to = u.email;
      PARCOURS_RETURN_IF_ERROR(EnqueueMessage(tx, sealer_, clock_, random_, m));
      ++n;
    }
    if (n == 0) {
      log::Warn("overdue alert: no active coordinator to tell", {{"territory", a.territory_code}});
    }
    return n;
  }
  const domain::Territory* t = config_.territories().Find(a.territory_code);
  if (t == nullptr || !t->escalation.second_level || t->escalation.second_level->email.empty()) {
    return 0;
  }
  m.dedupe_key = key + "second-level/email";
  m.to = t->escalation.second_level->email;
  PARCOURS_RETURN_IF_ERROR(EnqueueMessage(tx, sealer_, clock_, random_, m));
  return 1;
}

}  // namespace parcours::app
