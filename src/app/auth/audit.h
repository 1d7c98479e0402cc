// Appending to the audit log from a use case: one row per read or write of
// personal data, in the same transaction as the read or write.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/common/types.h"

namespace parcours::storage {
class Transaction;
struct AuditEntry;
}  // namespace parcours::storage

namespace parcours::app {

struct AuditRow {
  std::string_view actor;   // account id, "cli:<user>", "system"
  std::string_view action;  // read, list, create, update, disable, login, search, export…
  std::string_view subject_type;
  std::string_view subject_id;
  std::string_view territory_code;
  std::string_view detail;
};

Status WriteAudit(storage::Transaction& tx, domain::TimestampMs at, const AuditRow& row);

// An audit row as the API lists it and `parcours audit export` writes it:
// id, at, actor, action, subject_type, subject_id, territory, detail.
boost::json::object AuditJson(const storage::AuditEntry& e);

}  // namespace parcours::app
