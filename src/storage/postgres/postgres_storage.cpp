#include "storage/postgres/postgres_storage.h"

#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/thread_annotations.h"
#include "storage/codec.h"
#include "storage/migrations.h"
#include "storage/postgres/postgres_accounts.h"
#include "storage/postgres/postgres_alerts.h"
#include "storage/postgres/postgres_consultations.h"
#include "storage/postgres/postgres_directory.h"
#include "storage/postgres/postgres_follow_up.h"
#include "storage/postgres/postgres_internal.h"
#include "storage/postgres/postgres_outbox.h"
#include "storage/postgres/postgres_reminders.h"
#include "storage/postgres/postgres_retention.h"
#include "storage/transaction_repositories.h"
#include "storage/write_queue.h"

namespace parcours::storage {
namespace {

using postgres_internal::kAcquireTimeout;
using postgres_internal::kMigrationLockKey;
using postgres_internal::kPingAcquireTimeout;
using postgres_internal::Params;
using postgres_internal::PgConn;
using postgres_internal::PgResult;
using postgres_internal::Rows;
using postgres_internal::StatementDef;
using postgres_internal::Trimmed;

using postgres_internal::Row;
using namespace row_codec;  // NOLINT(google-build-using-namespace): the readers and binders

constexpr StatementDef kInsertScreening{
    "parcours_insert_screening",
    "INSERT INTO screenings (" PARCOURS_SCREENING_COLS
    ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)"};
constexpr StatementDef kFindScreening{
    "parcours_find_screening", "SELECT " PARCOURS_SCREENING_COLS " FROM screenings WHERE id = $1"};
constexpr StatementDef kInsertAlert{"parcours_insert_alert",
                                    "INSERT INTO alerts (" PARCOURS_ALERT_COLS
                                    ") VALUES (" PARCOURS_PG_ALERT_PLACEHOLDERS ")"};
constexpr StatementDef kFindAlert{"parcours_find_alert",
                                  "SELECT " PARCOURS_ALERT_COLS " FROM alerts WHERE id = $1"};
constexpr StatementDef kFindAlertByReference{"parcours_find_alert_by_reference",
                                             "SELECT " PARCOURS_ALERT_COLS
                                             " FROM alerts WHERE reference = $1"};
constexpr StatementDef kFindAlertByScreening{"parcours_find_alert_by_screening",
                                             "SELECT " PARCOURS_ALERT_COLS
                                             " FROM alerts WHERE screening_id = $1"};
constexpr StatementDef kFindOpenAlertByContact{
    "parcours_find_open_alert_by_contact",
    "SELECT " PARCOURS_ALERT_COLS
    " FROM alerts WHERE territory_code = $1 AND contact_key IS NOT NULL AND status <> 'closed' "
    "AND $2 = ANY (string_to_array(contact_key, ' ')) ORDER BY created_at LIMIT 1"};
constexpr StatementDef kGetSetting{"parcours_get_setting",
                                   "SELECT value FROM settings WHERE name = $1"};
constexpr StatementDef kPutSetting{"parcours_put_setting",
                                   "INSERT INTO settings (name, value) VALUES ($1, $2) "
                                   "ON CONFLICT (name) DO UPDATE SET value = excluded.value"};
constexpr StatementDef kInsertSettingIfAbsent{
    "parcours_insert_setting_if_absent",
    "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING "
    "RETURNING name"};
// COLLATE "C": the same byte order as SQLite, whatever the database locale.
constexpr StatementDef kListAlerts{"parcours_list_alerts",
                                   "SELECT " PARCOURS_ALERT_COLS
                                   " FROM alerts WHERE territory_code = $1 "
                                   "ORDER BY deadline_at, created_at, id COLLATE \"C\" LIMIT $2"};
constexpr StatementDef kAppendAudit{
    "parcours_append_audit",
    "INSERT INTO audit_log (at, actor, action, subject_type, subject_id, territory_code, detail) "
    "VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id"};
constexpr StatementDef kListAudit{
    "parcours_list_audit",
    "SELECT id, at, actor, action, subject_type, subject_id, territory_code, detail "
    "FROM audit_log WHERE subject_type = $1 AND subject_id = $2 ORDER BY id"};

// The factories of this backend's repositories (TransactionRepositories).
struct PostgresBackend {
  using Conn = postgres_internal::PgConn;
  static constexpr auto MakeDirectory = postgres_internal::MakePostgresDirectory;
  static constexpr auto MakeAccounts = postgres_internal::MakePostgresAccounts;
  static constexpr auto MakeFollowUp = postgres_internal::MakePostgresFollowUp;
  static constexpr auto MakeAlerts = postgres_internal::MakePostgresAlerts;
  static constexpr auto MakeConsultations = postgres_internal::MakePostgresConsultations;
  static constexpr auto MakeOutbox = postgres_internal::MakePostgresOutbox;
  static constexpr auto MakeReminders = postgres_internal::MakePostgresReminders;
  static constexpr auto MakeRetention = postgres_internal::MakePostgresRetention;
};

// Repositories over one open transaction. Remembers the first failure of a
// repository call: the transaction is then rolled back even if the callback
// goes on and returns OK (PostgreSQL would refuse anything after it anyway).
class PgTransaction : public TransactionRepositories<PostgresBackend>,
                      private postgres_internal::TxnStatements {
 public:
  explicit PgTransaction(PgConn& c) : TransactionRepositories(c), TxnStatements(c, error_slot()) {}

  Status InsertScreening(const ScreeningRecord& s) override {
    Params p;
    return Exec(kInsertScreening, BindScreening(p, s));
  }

  Result<std::optional<ScreeningRecord>> FindScreening(std::string_view id) override {
    return FindOne(kFindScreening, Params().Text(id), ReadScreening<Row>, "screenings");
  }

  Status InsertAlert(const AlertRecord& a) override {
    Params p;
    return Exec(kInsertAlert, BindAlert(p, a));
  }

  Result<std::optional<AlertRecord>> FindAlert(std::string_view id) override {
    return FindOneAlert(kFindAlert, id);
  }

  Result<std::optional<AlertRecord>> FindAlertByReference(std::string_view ref) override {
    return FindOneAlert(kFindAlertByReference, ref);
  }

  Result<std::optional<AlertRecord>> FindOpenAlertByContact(
      std::string_view territory, const std::vector<std::string>& hashes) override {
    for (const auto& h : hashes) {
      if (h.empty()) continue;
      auto a = FindOne(kFindOpenAlertByContact, Params().Text(territory).Text(h), ReadAlert<Row>,
                       "alerts");
      if (!a.ok() || *a) return a;
    }
    return std::optional<AlertRecord>();
  }

  Result<std::vector<AlertRecord>> ListAlerts(std::string_view territory, int limit) override {
    Params p;
    p.Text(territory);
    if (limit < 0) {
      p.Null();  // LIMIT NULL: no limit, as a negative LIMIT in SQLite
    } else {
      p.Int(limit);
    }
    return All(kListAlerts, p, ReadAlert<Row>, "alerts");
  }

  Result<std::optional<AlertRecord>> FindAlertByScreening(std::string_view screening) override {
    return FindOneAlert(kFindAlertByScreening, screening);
  }

  Result<std::optional<std::string>> GetSetting(std::string_view name) override {
    return FindOne(
        kGetSetting, Params().Text(name), [](Row& r) { return r.Text(0); }, "settings");
  }

  Status PutSetting(std::string_view name, std::string_view value) override {
    return Exec(kPutSetting, Params().Text(name).Text(value));
  }

  Result<bool> InsertSettingIfAbsent(std::string_view name, std::string_view value) override {
    return Exists(kInsertSettingIfAbsent, Params().Text(name).Text(value));
  }

  Result<std::int64_t> AppendAudit(const AuditEntry& e) override {
    Params p;
    return One(
        kAppendAudit, BindAudit(p, e), [](Row& r) { return r.Int(0); }, "audit_log",
        "audit insert returned no id");
  }

  Result<std::vector<AuditEntry>> ListAudit(std::string_view type, std::string_view id) override {
    return AuditRows(kListAudit, Params().Text(type).Text(id));
  }

 private:
  Result<std::optional<AlertRecord>> FindOneAlert(const StatementDef& st, std::string_view key) {
    return FindOne(st, Params().Text(key), ReadAlert<Row>, "alerts");
  }
};

class Pool;

// A connection borrowed from the pool; gives it back (or drops it when it is
// no longer usable) when destroyed.
class Lease {
 public:
  Lease(Pool* pool, std::unique_ptr<PgConn> c) : pool_(pool), conn_(std::move(c)) {}
  Lease(Lease&& o) noexcept : pool_(o.pool_), conn_(std::move(o.conn_)) {}
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  ~Lease();

  PgConn& operator*() { return *conn_; }
  PgConn* operator->() { return conn_.get(); }
  // Closes the connection instead of giving it back.
  void Discard();

 private:
  Pool* pool_;
  std::unique_ptr<PgConn> conn_;
};

class Pool {
 public:
  Pool(std::string url, int size) : url_(std::move(url)), size_(size) {}

  Result<Lease> Acquire(std::chrono::seconds timeout) {
    std::vector<std::unique_ptr<PgConn>> broken;  // closed outside the lock
    {
      core::MutexLock lock(mu_);
      if (idle_.empty() && opened_ >= size_) {
        ++waits_;
        if (!lock.WaitFor(cv_, timeout,
                          [this]() REQUIRES(mu_) { return !idle_.empty() || opened_ < size_; })) {
          return Status::Unavailable("no PostgreSQL connection free in the pool");
        }
      }
      while (!idle_.empty()) {
        std::unique_ptr<PgConn> c = std::move(idle_.back());
        idle_.pop_back();
        if (c->Broken()) {
          --opened_;
          broken.push_back(std::move(c));
          continue;
        }
        ++in_use_;
        return Lease(this, std::move(c));
      }
      ++opened_;
      ++in_use_;
    }
    broken.clear();
    auto c = PgConn::Open(url_);
    if (!c.ok()) {
      Forget();
      return c.status();
    }
    return Lease(this, std::move(*c));
  }

  // A leased connection comes back; it is kept only when idle and sound.
  void Release(std::unique_ptr<PgConn> c) {
    if (!c->Broken() && !c->Idle()) (void)c->Exec("ROLLBACK");  // left mid-transaction
    if (c->Broken() || !c->Idle()) {
      c.reset();
      Forget();
      return;
    }
    core::MutexLock lock(mu_);
    --in_use_;
    idle_.push_back(std::move(c));
    cv_.notify_one();
  }

  // A leased connection was closed: its slot is free.
  void Forget() {
    core::MutexLock lock(mu_);
    --in_use_;
    --opened_;
    cv_.notify_one();
  }

  Storage::PoolStats Stats() const {
    core::MutexLock lock(mu_);
    return Storage::PoolStats{size_, in_use_, waits_};
  }

  int size() const { return size_; }

 private:
  const std::string url_;
  const int size_;
  mutable core::Mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn>> idle_ GUARDED_BY(mu_);
  int opened_ GUARDED_BY(mu_) = 0;  // idle + in use
  int in_use_ GUARDED_BY(mu_) = 0;
  long long waits_ GUARDED_BY(mu_) = 0;
};

Lease::~Lease() {
  if (conn_) pool_->Release(std::move(conn_));
}

void Lease::Discard() {
  conn_.reset();
  pool_->Forget();
}

Status CallGuarded(const std::function<Status(Transaction&)>& fn, Transaction& tx) {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("exception in a storage callback: ") + e.what());
  } catch (...) {
    return Status::Internal("exception in a storage callback");
  }
}

class PostgresStorage : public Storage {
 public:
  PostgresStorage(std::string url, int pool_size) : pool_(std::move(url), pool_size) {
    // Half the pool runs batches (at most 4), the rest is left to reads.
    const int executors = std::clamp(pool_size / 2, 1, 4);
    for (int i = 0; i < executors; ++i) executors_.emplace_back([this] { ExecutorLoop(); });
  }

  ~PostgresStorage() override {
    queue_.Close();
    for (auto& t : executors_) t.join();
  }

  std::string_view Backend() const override { return "postgresql"; }

  Result<int> Migrate() override {
    auto lease = Start("BEGIN");
    if (!lease.ok()) return lease.status();
    PgConn& c = **lease;
    // One transaction per migration, each under the advisory lock and
    // re-reading the version, so concurrent instances apply each one once.
    for (bool first = true;; first = false) {
      if (!first) PARCOURS_RETURN_IF_ERROR(c.Exec("BEGIN"));
      const Migration* applied = nullptr;
      auto step = [&]() -> Result<int> {
        static const std::string lock =
            "SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")";
        PARCOURS_RETURN_IF_ERROR(c.Exec(lock.c_str()));
        PARCOURS_RETURN_IF_ERROR(
            c.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                   "name TEXT NOT NULL, applied_at BIGINT NOT NULL)"));
        auto current = CurrentVersion(c);
        if (!current.ok()) return current.status();
        for (const Migration& m : PostgresMigrations()) {
          if (m.version <= *current) continue;
          applied = &m;
          PARCOURS_RETURN_IF_ERROR(c.Exec(m.sql));
          Params p;
          p.Int(m.version).Text(m.name);
          auto r = c.Run({"parcours_record_migration",
                          "INSERT INTO schema_migrations (version, name, applied_at) VALUES "
                          "($1, $2, (extract(epoch from clock_timestamp()) * 1000)::bigint)"},
                         p);
          if (!r.ok()) return r.status();
          return m.version;
        }
        return *current;
      };
      auto reached = step();
      Status st = reached.ok() ? c.Commit() : reached.status();
      if (!st.ok()) {
        (void)c.Exec("ROLLBACK");
        if (applied) {
          return Status(st.code(), std::string("migration ") + applied->name + ": " + st.message());
        }
        return st;
      }
      if (!applied) return *reached;
    }
  }

  Result<int> SchemaVersion() override {
    auto lease = Start("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    if (!lease.ok()) return lease.status();
    auto v = CurrentVersion(**lease);
    Status st = v.ok() ? (*lease)->Commit() : v.status();
    if (!st.ok()) return st;  // the lease rolls back
    return *v;
  }

  Status Ping() override {
    auto lease = Start("SELECT 1", kPingAcquireTimeout);
    if (!lease.ok()) return Status::Unavailable("database: " + lease.status().message());
    return Status::Ok();
  }

  Status Transact(const std::function<Status(Transaction&)>& fn) override {
    return queue_.SubmitTransaction(fn);
  }

  Status Read(const std::function<Status(Transaction&)>& fn) override {
    return RunTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", fn);
  }

  PoolStats Stats() const override {
    PoolStats st = pool_.Stats();
    st.commits = commits_.load();
    return st;
  }

 private:
  // Acquires a connection and runs sql on it. A pooled connection may have
  // died since its last use; nothing has happened on it yet, so it is
  // dropped and the statement tried on another (or a new) connection.
  Result<Lease> Start(const char* sql, std::chrono::seconds timeout = kAcquireTimeout) {
    Status last;
    for (int attempt = 0; attempt <= pool_.size(); ++attempt) {
      auto lease = pool_.Acquire(timeout);
      if (!lease.ok()) return lease.status();
      Status st = (*lease)->Exec(sql);
      if (st.ok()) return lease;
      if (!(*lease)->Broken()) return st;
      lease->Discard();
      last = st;
    }
    return last;
  }

  struct Job {
    const std::function<Status(Transaction&)>* fn = nullptr;
    std::promise<Status> promise;
  };

  // Group commit: the callers queued while the executors were busy go into
  // the next server transaction, each in its own savepoint. A few executors
  // (each on its own connection) run batches side by side, so a batch's
  // round trips and its COMMIT's WAL flush overlap with the others'. At most
  // kMaxBatch callers per transaction: each writing savepoint is a
  // subtransaction, and past 64 of them the server's per-backend cache
  // overflows and every snapshot taken meanwhile gets slower.
  void ExecutorLoop() {
    constexpr std::size_t kMaxBatch = 64;
    for (;;) {
      std::vector<std::shared_ptr<Job>> batch =
          queue_.TakeBatch(kMaxBatch, [](const Job&, const Job&) { return true; });
      if (batch.empty()) return;  // closed and drained
      std::vector<Status> results = RunBatch(batch);
      for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->promise.set_value(results[i]);
    }
  }

  // Runs every caller of the batch in one transaction; returns each caller's
  // outcome, OK only once the shared commit is acknowledged. A batch that
  // loses a deadlock or a serialization conflict to another transaction
  // (another executor's batch, another instance) is rolled back and run
  // again, whole, up to kBatchAttempts times in all; the last attempt keeps
  // going past such a failure, which then fails only its own caller (with
  // kUnavailable: try again).
  std::vector<Status> RunBatch(const std::vector<std::shared_ptr<Job>>& batch) {
    for (int attempt = 1;; ++attempt) {
      const bool last = attempt == kBatchAttempts;
      std::optional<std::vector<Status>> results = RunBatchOnce(batch, /*may_retry=*/!last);
      if (results) return std::move(*results);
      retried_batches_.fetch_add(1);
      // Lets the transaction that won the conflict finish first.
      std::this_thread::sleep_for(std::chrono::milliseconds(attempt * 2));
    }
  }

  // One attempt of RunBatch; nullopt when it lost a conflict, may_retry was
  // set, and everything it did was rolled back.
  std::optional<std::vector<Status>> RunBatchOnce(const std::vector<std::shared_ptr<Job>>& batch,
                                                  bool may_retry) {
    std::vector<Status> results(batch.size());
    auto lease = Start("BEGIN");
    if (!lease.ok()) {
      for (auto& r : results) r = lease.status();
      return results;
    }
    PgConn& c = **lease;
    (void)c.TakeRetryable();
    bool any_ok = false;
    // Before its first statement a caller needs a savepoint of its own
    // (after releasing the previous caller's, kept), unless the savepoint
    // "caller" is there and empty (after a rollback to it). These are sent
    // with the caller's first statement, in the same round trip.
    bool clean_savepoint = false;
    bool release_first = false;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!clean_savepoint) {
        if (release_first) {
          c.Defer({"RELEASE caller", "SAVEPOINT caller"});
        } else {
          c.Defer({"SAVEPOINT caller"});
        }
      }
      PgTransaction tx(c);
      Status st = CallGuarded(*batch[i]->fn, tx);
      if (st.ok()) st = tx.first_error();
      if (st.ok() && c.InFailedTransaction()) {
        st = Status::Internal("transaction aborted by an earlier error");
      }
      results[i] = st;
      if (c.HasDeferred()) continue;  // sent nothing: nothing to keep or undo
      if (may_retry && c.TakeRetryable()) {
        c.DropDeferred();
        if (!c.Broken()) (void)c.Exec("ROLLBACK");
        return std::nullopt;
      }
      if (st.ok()) {
        any_ok = true;
        clean_savepoint = false;
        release_first = true;
        continue;
      }
      Status undo = c.Exec("ROLLBACK TO caller");
      if (!undo.ok()) return Abandon(c, results, i + 1, undo);  // connection lost
      clean_savepoint = true;
      release_first = false;
    }
    c.DropDeferred();
    if (!any_ok) {
      (void)c.Exec("ROLLBACK");
      return results;
    }
    // COMMIT also releases the savepoints still open.
    Status commit = c.Commit();
    const bool conflict = c.TakeRetryable();  // the server rolled back: outcome known
    if (!commit.ok() && conflict && may_retry) {
      if (!c.Broken()) (void)c.Exec("ROLLBACK");
      return std::nullopt;
    }
    if (commit.code() == StatusCode::kUnavailable && !conflict) {
      commit = Status::Unavailable("commit outcome unknown: " + commit.message());
    }
    if (commit.ok()) commits_.fetch_add(1);
    for (auto& r : results) {
      if (r.ok()) r = commit;
    }
    if (!commit.ok() && !c.Broken()) (void)c.Exec("ROLLBACK");
    return results;
  }

  // The batch's transaction cannot go on: callers from `from` on, and every
  // earlier caller that had succeeded, get `why`; the failed ones keep theirs.
  static std::vector<Status> Abandon(PgConn& c, std::vector<Status>& results, std::size_t from,
                                     const Status& why) {
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (i >= from || results[i].ok()) results[i] = why;
    }
    c.DropDeferred();
    if (!c.Broken()) (void)c.Exec("ROLLBACK");
    return results;
  }

  Status RunTransaction(const char* begin, const std::function<Status(Transaction&)>& fn) {
    auto lease = Start(begin);
    if (!lease.ok()) return lease.status();
    PgConn& c = **lease;
    PgTransaction tx(c);
    Status st = CallGuarded(fn, tx);
    if (st.ok()) st = tx.first_error();
    if (st.ok() && c.InFailedTransaction()) {
      st = Status::Internal("transaction aborted by an earlier error");
    }
    if (!st.ok()) {
      (void)c.Exec("ROLLBACK");
      return st;
    }
    st = c.Commit();
    if (st.code() == StatusCode::kUnavailable) {
      return Status::Unavailable("commit outcome unknown: " + st.message());
    }
    return st;
  }

  static Result<int> CurrentVersion(PgConn& c) {
    auto exists = c.Query("SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (!exists.ok()) return exists.status();
    Rows e(exists->get());
    if (e.size() != 1 || !e.Bool(0, 0)) return 0;
    auto r = c.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!r.ok()) return r.status();
    Rows q(r->get());
    int v = q.size() == 1 ? static_cast<int>(q.Int(0, 0)) : 0;
    if (q.corrupt()) return Status::Internal("corrupt schema_migrations");
    return v;
  }

  // Attempts of a group-commit batch that loses deadlocks or serialization
  // conflicts (RunBatch).
  static constexpr int kBatchAttempts = 4;

  Pool pool_;
  std::atomic<long long> commits_{0};
  std::atomic<long long> retried_batches_{0};

  WriteQueue<Job> queue_;
  std::vector<std::thread> executors_;
};

}  // namespace

Result<std::unique_ptr<Storage>> OpenPostgres(const std::string& url, int pool_size) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    std::string msg = err ? Trimmed(err) : "out of memory";
    PQfreemem(err);
    return Status::InvalidArgument("database", "bad PostgreSQL URL: " + msg);
  }
  PQconninfoFree(opts);
  return std::unique_ptr<Storage>(new PostgresStorage(url, pool_size < 1 ? 1 : pool_size));
}

Status ExecPostgresAdmin(const std::string& url, const std::string& sql) {
  auto c = PgConn::Open(url);
  if (!c.ok()) return c.status();
  return (*c)->Exec(sql.c_str());
}

}  // namespace parcours::storage
