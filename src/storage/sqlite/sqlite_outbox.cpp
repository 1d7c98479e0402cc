#include "storage/sqlite/sqlite_outbox.h"

#include <sqlite3.h>

#include "storage/codec.h"
#include "storage/row_codec.h"
#include "storage/sqlite/sqlite_internal.h"

namespace parcours::storage::sqlite_internal {
namespace {

#define PARCOURS_OUTBOX_COLS                                                            \
  "id, dedupe_key, channel, kind, territory_code, payload_sealed, status, created_at, " \
  "next_attempt_at, attempts, starts, lease_owner, lease_until, last_error, sent_at"

constexpr const char* kEnqueue =
    "INSERT INTO outbox_messages (" PARCOURS_OUTBOX_COLS
    ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (dedupe_key) DO NOTHING";
// ?1 due_before, ?2 lease_now, ?3 lease_until, ?4 owner, ?5 limit.
constexpr const char* kClaim =
    "UPDATE outbox_messages SET lease_owner = ?4, lease_until = ?3 WHERE id IN ("
    "SELECT id FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= ?1 "
    "AND lease_until <= ?2 ORDER BY next_attempt_at, id LIMIT ?5) RETURNING " PARCOURS_OUTBOX_COLS;
// ?1 status, ?2 next_attempt_at, ?3 last_error, ?4 sent_at, ?5 id, ?6 owner.
constexpr const char* kFinish =
    "UPDATE outbox_messages SET status = ?1, next_attempt_at = ?2, last_error = ?3, "
    "sent_at = ?4, attempts = attempts + 1, lease_owner = NULL, lease_until = 0 "
    "WHERE id = ?5 AND lease_owner = ?6 AND status = 'pending'";
constexpr const char* kInsertAttempt =
    "INSERT INTO outbox_attempts (message_id, at, outcome, detail) VALUES (?,?,?,?)";
constexpr const char* kMarkStarted =
    "UPDATE outbox_messages SET starts = starts + 1 "
    "WHERE id = ? AND lease_owner = ? AND status = 'pending'";
constexpr const char* kRetry =
    "UPDATE outbox_messages SET status = 'pending', next_attempt_at = ?, attempts = 0, "
    "starts = 0, lease_owner = NULL, lease_until = 0 WHERE id = ? AND status = 'failed'";
constexpr const char* kFind = "SELECT " PARCOURS_OUTBOX_COLS " FROM outbox_messages WHERE id = ?";
constexpr const char* kList =
    "SELECT " PARCOURS_OUTBOX_COLS
    " FROM outbox_messages WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR "
    "territory_code = ?2) ORDER BY created_at DESC, id DESC LIMIT ?3";
constexpr const char* kAttempts =
    "SELECT message_id, at, outcome, detail FROM outbox_attempts WHERE message_id = ? "
    "ORDER BY seq";
constexpr const char* kClaimSlot =
    "INSERT INTO job_slots (job, slot, claimed_at) VALUES (?,?,?) "
    "ON CONFLICT (job, slot) DO NOTHING";

class SqliteOutbox final : public OutboxRepository, private TxnStatements {
 public:
  SqliteOutbox(Conn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Result<bool> Enqueue(const OutboxMessageRecord& m) override {
    Stmt q(c_, kEnqueue);
    row_codec::BindOutboxMessage(q, m);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    return sqlite3_changes(c_.db()) == 1;
  }

  Result<std::vector<OutboxMessageRecord>> Claim(domain::TimestampMs due_before,
                                                 domain::TimestampMs lease_now,
                                                 std::int64_t lease_ms, std::string_view owner,
                                                 int limit) override {
    Stmt q(c_, kClaim);
    q.Bind(due_before).Bind(lease_now).Bind(lease_now + lease_ms).Bind(owner).Bind(limit);
    std::vector<OutboxMessageRecord> out;
    while (q.Step()) out.push_back(row_codec::ReadOutboxMessage<Stmt>(q));
    if (!q.ok()) return Note(q.status());
    SortClaimedDueFirst(out);
    return out;
  }

  Status Finish(std::string_view id, std::string_view owner, const OutboxAttemptRecord& attempt,
                domain::TimestampMs next_attempt_at) override {
    auto status = OutboxStatusAfter(attempt);
    if (!status.ok()) return status.status();
    Stmt q(c_, kFinish);
    q.Bind(*status)
        .Bind(next_attempt_at)
        .Bind(attempt.outcome == "sent" ? std::optional<std::string>()
                                        : std::optional<std::string>(attempt.detail))
        .Bind(attempt.outcome == "sent" ? std::optional<std::int64_t>(attempt.at) : std::nullopt)
        .Bind(id)
        .Bind(owner);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    if (sqlite3_changes(c_.db()) != 1) return OutboxNotHeld(id);
    Stmt a(c_, kInsertAttempt);
    a.Bind(id).Bind(attempt.at).Bind(attempt.outcome).Bind(attempt.detail);
    return Note(a.Run());
  }

  Status MarkStarted(std::string_view id, std::string_view owner) override {
    Stmt q(c_, kMarkStarted);
    q.Bind(id).Bind(owner);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    if (sqlite3_changes(c_.db()) != 1) return OutboxNotHeld(id);
    return Status::Ok();
  }

  Status Retry(std::string_view id, domain::TimestampMs now) override {
    Stmt q(c_, kRetry);
    q.Bind(now).Bind(id);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    if (sqlite3_changes(c_.db()) == 1) return Status::Ok();
    return OutboxRetryRefused(Find(id), id);
  }

  Result<std::optional<OutboxMessageRecord>> Find(std::string_view id) override {
    Stmt q(c_, kFind);
    q.Bind(id);
    return FindOne(q, row_codec::ReadOutboxMessage<Stmt>);
  }

  Result<std::vector<OutboxMessageRecord>> List(const OutboxQuery& query) override {
    Stmt q(c_, kList);
    q.Bind(query.status).Bind(query.territory).Bind(query.limit);
    std::vector<OutboxMessageRecord> out;
    while (q.Step()) out.push_back(row_codec::ReadOutboxMessage<Stmt>(q));
    if (!q.ok()) return Note(q.status());
    return out;
  }

  Result<std::vector<OutboxAttemptRecord>> Attempts(std::string_view message_id) override {
    Stmt q(c_, kAttempts);
    q.Bind(message_id);
    std::vector<OutboxAttemptRecord> out;
    while (q.Step()) out.push_back(OutboxAttemptRecord{q.Text(0), q.Int(1), q.Text(2), q.Text(3)});
    if (!q.ok()) return Note(q.status());
    return out;
  }

  Result<bool> ClaimJobSlot(std::string_view job, std::string_view slot,
                            domain::TimestampMs at) override {
    Stmt q(c_, kClaimSlot);
    q.Bind(job).Bind(slot).Bind(at);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    return sqlite3_changes(c_.db()) == 1;
  }
};

}  // namespace

std::unique_ptr<OutboxRepository> MakeSqliteOutbox(Conn& c, Status* first_error) {
  return std::make_unique<SqliteOutbox>(c, first_error);
}

}  // namespace parcours::storage::sqlite_internal
