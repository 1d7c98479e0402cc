#include "app/notify/outbox_admin.h"

#include <algorithm>

#include "app/auth/access_rules.h"
#include "app/auth/audit.h"
#include "app/clock.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

// Admins see every territory; coordinators their own.
std::optional<std::vector<std::string>> Scope(const domain::Principal& p) {
  if (p.role == domain::Role::kAdmin) return std::nullopt;
  return p.territories;
}

bool InScope(const std::optional<std::vector<std::string>>& territories,
             const std::string& territory) {
  return !territories ||
         std::find(territories->begin(), territories->end(), territory) != territories->end();
}

}  // namespace

Result<std::vector<storage::OutboxMessageRecord>> OutboxAdmin::ListIn(
    const std::string& actor, const std::optional<std::vector<std::string>>& territories,
    std::optional<std::string> status, int limit) {
  if (status && *status != "pending" && *status != "sent" && *status != "failed") {
    return Status::InvalidArgument("status", "pending, sent or failed");
  }
  std::vector<storage::OutboxMessageRecord> out;
  Status st = storage_.Transact([&](storage::Transaction& tx) -> Status {
    out.clear();
    std::vector<std::optional<std::string>> scopes;
    if (!territories) {
      scopes.push_back(std::nullopt);
    } else {
      for (const auto& t : *territories) scopes.push_back(t);
    }
    for (const auto& t : scopes) {
      auto rows = tx.outbox().List({.status = status, .territory = t, .limit = limit});
      if (!rows.ok()) return rows.status();
      out.insert(out.end(), rows->begin(), rows->end());
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.created_at, a.id) > std::tie(b.created_at, b.id);
    });
    if (out.size() > static_cast<std::size_t>(limit)) out.resize(static_cast<std::size_t>(limit));
    std::string scope;
    if (territories) {
      for (const auto& t : *territories) scope += (scope.empty() ? "" : ",") + t;
    }
    return WriteAudit(tx, clock_.NowMs(),
                      {actor, "list", "outbox", status.value_or("all"), scope,
                       std::to_string(out.size()) + " messages"});
  });
  if (!st.ok()) return st;
  return out;
}

Status OutboxAdmin::ReplayIn(const std::string& actor,
                             const std::optional<std::vector<std::string>>& territories,
                             const std::string& id) {
  return storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto m = tx.outbox().Find(id);
    if (!m.ok()) return m.status();
    if (!*m || !InScope(territories, (*m)->territory_code)) {
      return Status::NotFound("no such message");
    }
    const domain::TimestampMs now = clock_.NowMs();
    PARCOURS_RETURN_IF_ERROR(tx.outbox().Retry(id, now));
    return WriteAudit(tx, now,
                      {actor, "replay", "outbox_message", id, (*m)->territory_code,
                       (*m)->channel + " " + (*m)->kind});
  });
}

Result<std::vector<storage::OutboxMessageRecord>> OutboxAdmin::List(
    const domain::Principal& p, std::optional<std::string> status, int limit) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kMessagesRead, &p));
  return ListIn(p.user_id, Scope(p), std::move(status), limit);
}

Status OutboxAdmin::Replay(const domain::Principal& p, const std::string& id) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kMessagesReplay, &p));
  return ReplayIn(p.user_id, Scope(p), id);
}

Result<std::vector<storage::OutboxMessageRecord>> OutboxAdmin::ListAll(
    const std::string& actor, std::optional<std::string> status, int limit) {
  return ListIn(actor, std::nullopt, std::move(status), limit);
}

Status OutboxAdmin::ReplayAny(const std::string& actor, const std::string& id) {
  return ReplayIn(actor, std::nullopt, id);
}

}  // namespace parcours::app
