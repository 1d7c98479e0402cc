// The storage interface: one abstract Storage with two real backends
// (sqlite/, postgres/) that pass the same conformance suite
// (tests/storage/conformance_test.cpp).
//
// Contract:
// - Every write happens inside Transact(): the callback's repositories are
//   bound to one transaction; if the callback returns a non-OK Status (or a
//   repository call fails) nothing it did is kept. Transact() returns only
//   once the transaction is durable (committed to disk / acknowledged by the
//   server), so an acknowledged write survives a crash.
// - Implementations are thread-safe: Transact() may be called from many
//   threads at once. A backend may group several callers' transactions into
//   one commit (group commit) as long as each caller's work stays atomic.
// - A backend may run a Transact() callback again, after everything it did
//   was rolled back (PostgreSQL retries a group commit that lost a deadlock
//   or a serialization conflict): a callback must not carry state from one
//   run to the next (assign what it hands back; do not append to it).
// - Expected failures are Status values: kConflict for a duplicate key,
//   kUnavailable when the database cannot be reached (or a conflict with
//   concurrent transactions outlasted the backend's retries: try again),
//   kInternal otherwise.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/account_repository.h"
#include "storage/alert_repository.h"
#include "storage/consultation_repository.h"
#include "storage/directory_repository.h"
#include "storage/follow_up_repository.h"
#include "storage/outbox_repository.h"
#include "storage/records.h"
#include "storage/reminder_repository.h"
#include "storage/retention_repository.h"

namespace parcours::storage {

// Repositories bound to one open transaction. Valid only inside Transact().
class Transaction {
 public:
  virtual ~Transaction() = default;

  virtual Status InsertScreening(const ScreeningRecord& s) = 0;
  virtual Result<std::optional<ScreeningRecord>> FindScreening(std::string_view id) = 0;

  virtual Status InsertAlert(const AlertRecord& a) = 0;
  virtual Result<std::optional<AlertRecord>> FindAlert(std::string_view id) = 0;
  virtual Result<std::optional<AlertRecord>> FindAlertByReference(std::string_view reference) = 0;
  // The alert raised from a screening (at most one), if any.
  virtual Result<std::optional<AlertRecord>> FindAlertByScreening(
      std::string_view screening_id) = 0;
  // An open alert (status other than "closed") of `territory_code` whose
  // contact_key shares one hash with `hashes` (each a "p:…" or "e:…"
  // token), if any.
  virtual Result<std::optional<AlertRecord>> FindOpenAlertByContact(
      std::string_view territory_code, const std::vector<std::string>& hashes) = 0;
  // Alerts of one territory ("" = outside queue), oldest deadline first.
  virtual Result<std::vector<AlertRecord>> ListAlerts(std::string_view territory_code,
                                                      int limit) = 0;

  // Installation settings (name → value); PutSetting inserts or replaces.
  virtual Result<std::optional<std::string>> GetSetting(std::string_view name) = 0;
  virtual Status PutSetting(std::string_view name, std::string_view value) = 0;
  // Inserts the setting only when it does not exist yet; true when it was
  // inserted. Two transactions racing on a new name: exactly one inserts.
  virtual Result<bool> InsertSettingIfAbsent(std::string_view name, std::string_view value) = 0;

  // Appends to the audit log; returns the entry's id.
  virtual Result<std::int64_t> AppendAudit(const AuditEntry& e) = 0;
  virtual Result<std::vector<AuditEntry>> ListAudit(std::string_view subject_type,
                                                    std::string_view subject_id) = 0;

  // The directory's repositories, bound to this transaction.
  virtual DirectoryRepository& directory() = 0;
  // Accounts, sessions, login throttling, one-time tokens, audit search.
  virtual AccountRepository& accounts() = 0;
  // Follow-up records, share codes, attempt counters, referrals.
  virtual FollowUpRepository& follow_up() = 0;
  // The alert circuit: state changes with their events, inbox searches.
  virtual AlertRepository& alerts() = 0;
  // What a screening made in consultation adds to it (context, professional,
  // vulnerability factors), keyed by the screening id.
  virtual ConsultationRepository& consultations() = 0;
  // Messages to send (e-mail, SMS), their attempts, and scheduled jobs'
  // claims: a message is written in the transaction of its cause.
  virtual OutboxRepository& outbox() = 0;
  // Parents' reminders to screen again (issue 12).
  virtual ReminderRepository& reminders() = 0;
  // Erasure of personal data past its retention period (issue 12).
  virtual RetentionRepository& retention() = 0;
};

class Storage {
 public:
  virtual ~Storage() = default;

  // "sqlite" or "postgresql".
  virtual std::string_view Backend() const = 0;

  // Applies pending migrations in order; returns the schema version reached.
  virtual Result<int> Migrate() = 0;
  // Highest applied migration (0 on an empty database).
  virtual Result<int> SchemaVersion() = 0;

  // Cheap round trip to the database, for /healthz.
  virtual Status Ping() = 0;

  // Runs fn in one transaction (see the contract above).
  virtual Status Transact(const std::function<Status(Transaction&)>& fn) = 0;

  // Runs fn in a read-only snapshot; fn must not write.
  virtual Status Read(const std::function<Status(Transaction&)>& fn) = 0;

  // Pool / connection figures for /metrics.
  struct PoolStats {
    int size = 0;
    int in_use = 0;
    long long waits = 0;
    // Write transactions committed since the storage was opened: fewer than
    // the Transact() calls when a backend groups them (group commit).
    long long commits = 0;
  };
  virtual PoolStats Stats() const = 0;
};

// Runs fn in one transaction and rolls it back even when fn succeeds: a dry
// run does exactly the reads and writes of the real run and keeps none.
// Returns fn's own status: Ok when fn succeeded (nothing kept), fn's failure
// otherwise. Works on any Storage, through Transact().
Status TransactAndRollBack(Storage& storage, const std::function<Status(Transaction&)>& fn);

// Opens a backend from a URL: "sqlite:PATH" (or a bare path) or
// "postgresql://…" / "postgres://…". Does not migrate.
Result<std::unique_ptr<Storage>> OpenStorage(const std::string& url, int pool_size = 8);

}  // namespace parcours::storage
