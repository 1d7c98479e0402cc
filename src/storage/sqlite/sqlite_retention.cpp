#include "storage/sqlite/sqlite_retention.h"

#include "storage/sqlite/sqlite_internal.h"

namespace parcours::storage::sqlite_internal {
namespace {

constexpr const char* kEraseClosedAlertContacts =
    "UPDATE alerts SET contact_sealed = NULL, contact_key = NULL, reporter_sealed = NULL "
    "WHERE status = 'closed' AND updated_at < ? AND (contact_sealed IS NOT NULL OR "
    "contact_key IS NOT NULL OR reporter_sealed IS NOT NULL)";
constexpr const char* kEraseSentPayloads =
    "UPDATE outbox_messages SET payload_sealed = X'' "
    "WHERE status = 'sent' AND sent_at < ? AND length(payload_sealed) > 0";

class SqliteRetention : public RetentionRepository, TxnStatements {
 public:
  SqliteRetention(Conn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Result<std::int64_t> EraseClosedAlertContacts(domain::TimestampMs before) override {
    return Changed(kEraseClosedAlertContacts, before);
  }
  Result<std::int64_t> EraseSentMessagePayloads(domain::TimestampMs before) override {
    return Changed(kEraseSentPayloads, before);
  }

 private:
  Result<std::int64_t> Changed(const char* sql, domain::TimestampMs before) {
    Stmt q(c_, sql);
    q.Bind(before);
    return WriteCount(q);
  }
};

}  // namespace

std::unique_ptr<RetentionRepository> MakeSqliteRetention(Conn& c, Status* first_error) {
  return std::make_unique<SqliteRetention>(c, first_error);
}

}  // namespace parcours::storage::sqlite_internal
