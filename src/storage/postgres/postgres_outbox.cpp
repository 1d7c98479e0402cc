#include "storage/postgres/postgres_outbox.h"

#include "storage/codec.h"
#include "storage/postgres/postgres_internal.h"
#include "storage/row_codec.h"

namespace parcours::storage::postgres_internal {
namespace {

#define PARCOURS_OUTBOX_COLS                                                            \
  "id, dedupe_key, channel, kind, territory_code, payload_sealed, status, created_at, " \
  "next_attempt_at, attempts, starts, lease_owner, lease_until, last_error, sent_at"

constexpr StatementDef kEnqueue{"parcours_outbox_enqueue",
                                "INSERT INTO outbox_messages (" PARCOURS_OUTBOX_COLS
                                ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) "
                                "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id"};
// $1 due_before, $2 lease_now, $3 lease_until, $4 owner, $5 limit. SKIP
// LOCKED: rows another transaction is claiming are left to it.
constexpr StatementDef kClaim{
    "parcours_outbox_claim",
    "WITH c AS (SELECT id FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= $1 "
    "AND lease_until <= $2 ORDER BY next_attempt_at, id COLLATE \"C\" LIMIT $5 "
    "FOR UPDATE SKIP LOCKED) "
    "UPDATE outbox_messages o SET lease_owner = $4, lease_until = $3 FROM c WHERE o.id = c.id "
    "RETURNING o.id, o.dedupe_key, o.channel, o.kind, o.territory_code, o.payload_sealed, "
    "o.status, o.created_at, o.next_attempt_at, o.attempts, o.starts, o.lease_owner, "
    "o.lease_until, o.last_error, o.sent_at"};
// $1 status, $2 next_attempt_at, $3 last_error, $4 sent_at, $5 id, $6 owner.
constexpr StatementDef kFinish{
    "parcours_outbox_finish",
    "UPDATE outbox_messages SET status = $1, next_attempt_at = $2, last_error = $3, "
    "sent_at = $4, attempts = attempts + 1, lease_owner = NULL, lease_until = 0 "
    "WHERE id = $5 AND lease_owner = $6 AND status = 'pending' RETURNING id"};
constexpr StatementDef kInsertAttempt{
    "parcours_outbox_insert_attempt",
    "INSERT INTO outbox_attempts (message_id, at, outcome, detail) VALUES ($1,$2,$3,$4)"};
constexpr StatementDef kMarkStarted{
    "parcours_outbox_mark_started",
    "UPDATE outbox_messages SET starts = starts + 1 "
    "WHERE id = $1 AND lease_owner = $2 AND status = 'pending' RETURNING id"};
constexpr StatementDef kRetry{
    "parcours_outbox_retry",
    "UPDATE outbox_messages SET status = 'pending', next_attempt_at = $1, attempts = 0, "
    "starts = 0, lease_owner = NULL, lease_until = 0 WHERE id = $2 AND status = 'failed' "
    "RETURNING id"};
constexpr StatementDef kFind{"parcours_outbox_find",
                             "SELECT " PARCOURS_OUTBOX_COLS " FROM outbox_messages WHERE id = $1"};
constexpr StatementDef kList{
    "parcours_outbox_list",
    "SELECT " PARCOURS_OUTBOX_COLS
    " FROM outbox_messages WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR "
    "territory_code = $2) ORDER BY created_at DESC, id COLLATE \"C\" DESC LIMIT $3"};
constexpr StatementDef kAttempts{
    "parcours_outbox_attempts",
    "SELECT message_id, at, outcome, detail FROM outbox_attempts WHERE message_id = $1 "
    "ORDER BY seq"};
constexpr StatementDef kClaimSlot{"parcours_outbox_claim_slot",
                                  "INSERT INTO job_slots (job, slot, claimed_at) VALUES ($1,$2,$3) "
                                  "ON CONFLICT (job, slot) DO NOTHING RETURNING job"};

class PostgresOutbox final : public OutboxRepository, private TxnStatements {
 public:
  PostgresOutbox(PgConn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Result<bool> Enqueue(const OutboxMessageRecord& m) override {
    Params p;
    row_codec::BindOutboxMessage(p, m);
    return Changed(kEnqueue, p);
  }

  Result<std::vector<OutboxMessageRecord>> Claim(domain::TimestampMs due_before,
                                                 domain::TimestampMs lease_now,
                                                 std::int64_t lease_ms, std::string_view owner,
                                                 int limit) override {
    Params p;
    p.Int(due_before).Int(lease_now).Int(lease_now + lease_ms).Text(owner).Int(limit);
    auto out = Messages(kClaim, p);
    if (!out.ok()) return out;
    SortClaimedDueFirst(*out);
    return out;
  }

  Status Finish(std::string_view id, std::string_view owner, const OutboxAttemptRecord& attempt,
                domain::TimestampMs next_attempt_at) override {
    auto status = OutboxStatusAfter(attempt);
    if (!status.ok()) return status.status();
    const bool sent = attempt.outcome == "sent";
    Params p;
    p.Text(*status)
        .Int(next_attempt_at)
        .OptText(sent ? std::nullopt : std::optional<std::string>(attempt.detail))
        .OptInt64(sent ? std::optional<std::int64_t>(attempt.at) : std::nullopt)
        .Text(id)
        .Text(owner);
    auto held = Changed(kFinish, p);
    if (!held.ok()) return held.status();
    if (!*held) return OutboxNotHeld(id);
    Params a;
    a.Text(id).Int(attempt.at).Text(attempt.outcome).Text(attempt.detail);
    return Exec(kInsertAttempt, a);
  }

  Status MarkStarted(std::string_view id, std::string_view owner) override {
    Params p;
    p.Text(id).Text(owner);
    auto held = Changed(kMarkStarted, p);
    if (!held.ok()) return held.status();
    return *held ? Status::Ok() : OutboxNotHeld(id);
  }

  Status Retry(std::string_view id, domain::TimestampMs now) override {
    Params p;
    p.Int(now).Text(id);
    auto changed = Changed(kRetry, p);
    if (!changed.ok()) return changed.status();
    if (*changed) return Status::Ok();
    return OutboxRetryRefused(Find(id), id);
  }

  Result<std::optional<OutboxMessageRecord>> Find(std::string_view id) override {
    Params p;
    p.Text(id);
    return FindOne(kFind, p, row_codec::ReadOutboxMessage<Row>, "outbox_messages");
  }

  Result<std::vector<OutboxMessageRecord>> List(const OutboxQuery& query) override {
    Params p;
    p.OptText(query.status).OptText(query.territory).Int(query.limit);
    return Messages(kList, p);
  }

  Result<std::vector<OutboxAttemptRecord>> Attempts(std::string_view message_id) override {
    Params p;
    p.Text(message_id);
    auto r = Run(kAttempts, p);
    if (!r.ok()) return r.status();
    Rows q(r->get());
    std::vector<OutboxAttemptRecord> out;
    out.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) {
      out.push_back(OutboxAttemptRecord{q.Text(i, 0), q.Int(i, 1), q.Text(i, 2), q.Text(i, 3)});
    }
    if (q.corrupt()) return Track(Status::Internal("corrupt row in outbox_attempts"));
    return out;
  }

  Result<bool> ClaimJobSlot(std::string_view job, std::string_view slot,
                            domain::TimestampMs at) override {
    Params p;
    p.Text(job).Text(slot).Int(at);
    return Changed(kClaimSlot, p);
  }

 private:
  // Runs a statement that RETURNS one row per row it changed; true when it
  // changed one.
  Result<bool> Changed(const StatementDef& st, const Params& p) {
    auto r = Run(st, p);
    if (!r.ok()) return r.status();
    return PQntuples(r->get()) > 0;
  }

  Result<std::vector<OutboxMessageRecord>> Messages(const StatementDef& st, const Params& p) {
    auto r = Run(st, p);
    if (!r.ok()) return r.status();
    Rows q(r->get());
    std::vector<OutboxMessageRecord> out;
    out.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) {
      Row row(q, i);
      out.push_back(row_codec::ReadOutboxMessage<Row>(row));
    }
    if (q.corrupt()) return Track(Status::Internal("corrupt row in outbox_messages"));
    return out;
  }
};

}  // namespace

std::unique_ptr<OutboxRepository> MakePostgresOutbox(PgConn& c, Status* first_error) {
  return std::make_unique<PostgresOutbox>(c, first_error);
}

}  // namespace parcours::storage::postgres_internal
