#include "storage/postgres/postgres_retention.h"

#include "storage/postgres/postgres_internal.h"

namespace parcours::storage::postgres_internal {
namespace {

constexpr StatementDef kEraseClosedAlertContacts{
    "parcours_ret_erase_alert_contacts",
    "UPDATE alerts SET contact_sealed = NULL, contact_key = NULL, reporter_sealed = NULL "
    "WHERE status = 'closed' AND updated_at < $1 AND (contact_sealed IS NOT NULL OR "
    "contact_key IS NOT NULL OR reporter_sealed IS NOT NULL)"};
constexpr StatementDef kEraseSentPayloads{
    "parcours_ret_erase_sent_payloads",
    "UPDATE outbox_messages SET payload_sealed = ''::bytea "
    "WHERE status = 'sent' AND sent_at < $1 AND octet_length(payload_sealed) > 0"};

class PostgresRetention : public RetentionRepository, private TxnStatements {
 public:
  PostgresRetention(PgConn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Result<std::int64_t> EraseClosedAlertContacts(domain::TimestampMs before) override {
    return Changed(kEraseClosedAlertContacts, before);
  }
  Result<std::int64_t> EraseSentMessagePayloads(domain::TimestampMs before) override {
    return Changed(kEraseSentPayloads, before);
  }

 private:
  Result<std::int64_t> Changed(const StatementDef& st, domain::TimestampMs before) {
    return ExecCount(st, Params().Int(before));
  }
};

}  // namespace

std::unique_ptr<RetentionRepository> MakePostgresRetention(PgConn& c, Status* first_error) {
  return std::make_unique<PostgresRetention>(c, first_error);
}

}  // namespace parcours::storage::postgres_internal
