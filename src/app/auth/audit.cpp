#include "app/auth/audit.h"

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

}  // namespace parcours::app
