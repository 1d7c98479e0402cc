#include "app/auth/audit.h"

#include <boost/json.hpp>

#include "storage/storage.h"

namespace parcours::app {

Status WriteAudit(storage::Transaction& tx, domain::TimestampMs at, const AuditRow& row) {
  storage::AuditEntry e;
  e.at = at;
  e.actor = row.actor;
  e.action = row.action;
  e.subject_type = row.subject_type;
  e.subject_id = row.subject_id;
  e.territory_code = row.territory_code;
  e.detail = row.detail;
  auto id = tx.AppendAudit(e);
  return id.ok() ? Status::Ok() : id.status();
}

boost::json::object AuditJson(const storage::AuditEntry& e) {
  return {{"id", e.id},
          {"at", e.at},
          {"actor", e.actor},
          {"action", e.action},
          {"subject_type", e.subject_type},
          {"subject_id", e.subject_id},
          {"territory", e.territory_code},
          {"detail", e.detail}};
}

}  // namespace parcours::app
