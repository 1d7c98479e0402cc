#include "storage/sqlite/sqlite_storage.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/thread_annotations.h"
#include "storage/codec.h"
#include "storage/migrations.h"
#include "storage/sqlite/sqlite_accounts.h"
#include "storage/sqlite/sqlite_alerts.h"
#include "storage/sqlite/sqlite_consultations.h"
#include "storage/sqlite/sqlite_directory.h"
#include "storage/sqlite/sqlite_follow_up.h"
#include "storage/sqlite/sqlite_internal.h"
#include "storage/sqlite/sqlite_outbox.h"
#include "storage/sqlite/sqlite_reminders.h"
#include "storage/sqlite/sqlite_retention.h"
#include "storage/transaction_repositories.h"
#include "storage/write_queue.h"

namespace parcours::storage {
namespace {

using sqlite_internal::Conn;
using sqlite_internal::OpenConn;
using sqlite_internal::Stmt;

using namespace row_codec;  // NOLINT(google-build-using-namespace): the readers and binders

constexpr const char* kInsertScreening = "INSERT INTO screenings (" PARCOURS_SCREENING_COLS
                                         ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kFindScreening =
    "SELECT " PARCOURS_SCREENING_COLS " FROM screenings WHERE id = ?";
constexpr const char* kInsertAlert = "INSERT INTO alerts (" PARCOURS_ALERT_COLS
                                     ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kFindAlert = "SELECT " PARCOURS_ALERT_COLS " FROM alerts WHERE id = ?";
constexpr const char* kFindAlertByReference =
    "SELECT " PARCOURS_ALERT_COLS " FROM alerts WHERE reference = ?";
constexpr const char* kFindAlertByScreening =
    "SELECT " PARCOURS_ALERT_COLS " FROM alerts WHERE screening_id = ?";
constexpr const char* kFindOpenAlertByContact =
    "SELECT " PARCOURS_ALERT_COLS
    " FROM alerts WHERE territory_code = ? AND contact_key IS NOT NULL AND status <> 'closed' "
    "AND instr(' ' || contact_key || ' ', ' ' || ? || ' ') > 0 ORDER BY created_at LIMIT 1";
constexpr const char* kListAlerts = "SELECT " PARCOURS_ALERT_COLS
                                    " FROM alerts WHERE territory_code = ? "
                                    "ORDER BY deadline_at, created_at, id LIMIT ?";
constexpr const char* kGetSetting = "SELECT value FROM settings WHERE name = ?";
constexpr const char* kPutSetting =
    "INSERT INTO settings (name, value) VALUES (?, ?) "
    "ON CONFLICT (name) DO UPDATE SET value = excluded.value";
constexpr const char* kInsertSettingIfAbsent =
    "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING";
constexpr const char* kAppendAudit =
    "INSERT INTO audit_log (at, actor, action, subject_type, subject_id, territory_code, "
    "detail) VALUES (?,?,?,?,?,?,?)";
constexpr const char* kListAudit =
    "SELECT id, at, actor, action, subject_type, subject_id, territory_code, detail "
    "FROM audit_log WHERE subject_type = ? AND subject_id = ? ORDER BY id";

// The factories of this backend's repositories (TransactionRepositories).
struct SqliteBackend {
  using Conn = sqlite_internal::Conn;
  static constexpr auto MakeDirectory = sqlite_internal::MakeSqliteDirectory;
  static constexpr auto MakeAccounts = sqlite_internal::MakeSqliteAccounts;
  static constexpr auto MakeFollowUp = sqlite_internal::MakeSqliteFollowUp;
  static constexpr auto MakeAlerts = sqlite_internal::MakeSqliteAlerts;
  static constexpr auto MakeConsultations = sqlite_internal::MakeSqliteConsultations;
  static constexpr auto MakeOutbox = sqlite_internal::MakeSqliteOutbox;
  static constexpr auto MakeReminders = sqlite_internal::MakeSqliteReminders;
  static constexpr auto MakeRetention = sqlite_internal::MakeSqliteRetention;
};

class SqliteTransaction : public TransactionRepositories<SqliteBackend>,
                          private sqlite_internal::TxnStatements {
 public:
  explicit SqliteTransaction(Conn& c)
      : TransactionRepositories(c), TxnStatements(c, error_slot()) {}

  Status InsertScreening(const ScreeningRecord& s) override {
    Stmt q(c_, kInsertScreening);
    BindScreening(q, s);
    return Write(q);
  }

  Result<std::optional<ScreeningRecord>> FindScreening(std::string_view id) override {
    Stmt q(c_, kFindScreening);
    q.Bind(id);
    return FindOne(q, ReadScreening<const Stmt>);
  }

  Status InsertAlert(const AlertRecord& a) override {
    Stmt q(c_, kInsertAlert);
    BindAlert(q, a);
    return Write(q);
  }

  Result<std::optional<AlertRecord>> FindAlert(std::string_view id) override {
    return FindOneAlert(kFindAlert, id);
  }

  Result<std::optional<AlertRecord>> FindAlertByReference(std::string_view ref) override {
    return FindOneAlert(kFindAlertByReference, ref);
  }

  Result<std::optional<AlertRecord>> FindAlertByScreening(std::string_view screening) override {
    return FindOneAlert(kFindAlertByScreening, screening);
  }

  Result<std::optional<std::string>> GetSetting(std::string_view name) override {
    Stmt q(c_, kGetSetting);
    q.Bind(name);
    return FindOne(q, [](const Stmt& r) { return r.Text(0); });
  }

  Status PutSetting(std::string_view name, std::string_view value) override {
    Stmt q(c_, kPutSetting);
    q.Bind(name).Bind(value);
    return Write(q);
  }

  Result<bool> InsertSettingIfAbsent(std::string_view name, std::string_view value) override {
    Stmt q(c_, kInsertSettingIfAbsent);
    q.Bind(name).Bind(value);
    auto n = WriteCount(q);
    if (!n.ok()) return n.status();
    return *n > 0;
  }

  Result<std::optional<AlertRecord>> FindOpenAlertByContact(
      std::string_view territory, const std::vector<std::string>& hashes) override {
    for (const auto& h : hashes) {
      if (h.empty()) continue;
      Stmt q(c_, kFindOpenAlertByContact);
      q.Bind(territory).Bind(h);
      auto a = FindOne(q, ReadAlert<const Stmt>);
      if (!a.ok() || *a) return a;
    }
    return std::optional<AlertRecord>();
  }

  Result<std::vector<AlertRecord>> ListAlerts(std::string_view territory, int limit) override {
    Stmt q(c_, kListAlerts);
    q.Bind(territory).Bind(limit);
    return All(q, ReadAlert<const Stmt>);
  }

  Result<std::int64_t> AppendAudit(const AuditEntry& e) override {
    Stmt q(c_, kAppendAudit);
    BindAudit(q, e);
    PARCOURS_RETURN_IF_ERROR(Write(q));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(c_.db()));
  }

  Result<std::vector<AuditEntry>> ListAudit(std::string_view type, std::string_view id) override {
    Stmt q(c_, kListAudit);
    q.Bind(type).Bind(id);
    return AuditRows(q);
  }

 private:
  Result<std::optional<AlertRecord>> FindOneAlert(const char* sql, std::string_view key) {
    Stmt q(c_, sql);
    q.Bind(key);
    return FindOne(q, ReadAlert<const Stmt>);
  }
};

class SqliteStorage : public Storage {
 public:
  SqliteStorage(std::string path, std::unique_ptr<Conn> writer, int read_pool_size)
      : path_(std::move(path)), writer_(std::move(writer)), read_pool_size_(read_pool_size) {
    struct stat st {};
    if (::stat(path_.c_str(), &st) == 0) identity_ = FileIdentity{st.st_dev, st.st_ino};
    writer_thread_ = std::thread([this] { WriterLoop(); });
  }

  ~SqliteStorage() override {
    queue_.Close();
    writer_thread_.join();
  }

  std::string_view Backend() const override { return "sqlite"; }

  Result<int> Migrate() override {
    int reached = 0;
    Status st = RunOnWriter([&](Conn& c) -> Status {
      PARCOURS_RETURN_IF_ERROR(
          c.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                 "name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
      auto current = CurrentVersion(c);
      if (!current.ok()) return current.status();
      reached = *current;
      for (const Migration& m : SqliteMigrations()) {
        if (m.version <= reached) continue;
        PARCOURS_RETURN_IF_ERROR(c.Exec("BEGIN IMMEDIATE"));
        // Another process may have migrated since we looked: look again
        // under the write lock.
        auto now = CurrentVersion(c);
        Status s = now.ok() ? Status::Ok() : now.status();
        if (s.ok() && *now >= m.version) {
          (void)c.Exec("ROLLBACK");
          reached = *now;
          continue;
        }
        if (s.ok()) s = c.Exec(m.sql);
        if (s.ok()) {
          Stmt q(c,
                 "INSERT INTO schema_migrations (version, name, applied_at) "
                 "VALUES (?, ?, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))");
          q.Bind(m.version).Bind(std::string(m.name));
          s = q.Run();
        }
        if (s.ok()) s = c.Exec("COMMIT");
        if (!s.ok()) {
          (void)c.Exec("ROLLBACK");
          return Status(s.code(), std::string("migration ") + m.name + ": " + s.message());
        }
        reached = m.version;
      }
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return reached;
  }

  // On a read connection: /healthz must not queue behind the writer that
  // groups commits.
  Result<int> SchemaVersion() override {
    auto conn = AcquireReader();
    if (!conn.ok()) return conn.status();
    auto r = CurrentVersion(**conn);
    ReleaseReader(std::move(*conn), r.ok() || r.status().code() != StatusCode::kUnavailable);
    return r;
  }

  Status Ping() override {
    // Pooled connections would keep an unlinked or replaced file alive and
    // answer from it: the path must still name the file opened (a stat, not
    // a new connection, whose schema parse cost a millisecond per probe).
    // Without the identity (a path stat could not read at open), a fresh
    // connection proves it instead.
    if (!identity_) {
      auto conn = OpenConn(path_, /*read_only=*/true);
      if (!conn.ok()) return Status::Unavailable("database: " + conn.status().message());
      return Probe(**conn);
    }
    struct stat now {};
    if (::stat(path_.c_str(), &now) != 0) return Status::Unavailable("database: the file is gone");
    if (now.st_dev != identity_->dev || now.st_ino != identity_->ino) {
      return Status::Unavailable("database: the file was replaced since it was opened");
    }
    auto conn = AcquireReader();
    if (!conn.ok()) return Status::Unavailable("database: " + conn.status().message());
    Status st = Probe(**conn);
    ReleaseReader(std::move(*conn), st.ok());
    return st;
  }

  Status Transact(const std::function<Status(Transaction&)>& fn) override {
    return queue_.SubmitTransaction(fn);
  }

  Status Read(const std::function<Status(Transaction&)>& fn) override {
    auto conn = AcquireReader();
    if (!conn.ok()) return conn.status();
    Status st = (*conn)->Exec("BEGIN");
    if (st.ok()) {
      SqliteTransaction tx(**conn);
      st = fn(tx);
      if (st.ok()) st = tx.first_error();
      Status end = (*conn)->Exec("COMMIT");
      if (st.ok()) st = end;
    }
    ReleaseReader(std::move(*conn), st.code() != StatusCode::kUnavailable);
    return st;
  }

  PoolStats Stats() const override {
    core::MutexLock lock(pool_mu_);
    return PoolStats{read_pool_size_ + 1, in_use_, waits_, commits_.load()};
  }

 private:
  struct Job {
    const std::function<Status(Transaction&)>* fn = nullptr;
    std::function<Status(Conn&)> raw;  // runs outside any batch (migrations)
    std::promise<Status> promise;
  };

  static Result<int> CurrentVersion(Conn& c) {
    Stmt exists(c, "SELECT 1 FROM sqlite_schema WHERE type='table' AND name='schema_migrations'");
    bool has = exists.Step();
    if (!exists.ok()) return exists.status();
    if (!has) return 0;
    Stmt q(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (q.Step()) return static_cast<int>(q.Int(0));
    return q.ok() ? Result<int>(0) : Result<int>(q.status());
  }

  Status RunOnWriter(std::function<Status(Conn&)> raw) {
    auto job = std::make_shared<Job>();
    job->raw = std::move(raw);
    return queue_.Submit(std::move(job));
  }

  // Group commit: everything queued while the previous commit was syncing
  // goes into the next transaction, each caller in its own savepoint.
  void WriterLoop() {
    constexpr std::size_t kMaxBatch = 512;
    for (;;) {
      // A raw job runs alone; transaction callers join each other.
      std::vector<std::shared_ptr<Job>> batch = queue_.TakeBatch(
          kMaxBatch, [](const Job& first, const Job& next) { return !first.raw && !next.raw; });
      if (batch.empty()) return;  // closed and drained
      if (batch.front()->raw) {
        Status st;
        try {
          st = batch.front()->raw(*writer_);
        } catch (const std::exception& e) {
          st = Status::Internal(std::string("storage task threw: ") + e.what());
        }
        batch.front()->promise.set_value(st);
        continue;
      }
      RunBatch(batch);
    }
  }

  void RunBatch(std::vector<std::shared_ptr<Job>>& batch) {
    Status begin = writer_->Exec("BEGIN IMMEDIATE");
    if (!begin.ok()) {
      for (auto& j : batch) j->promise.set_value(begin);
      return;
    }
    std::vector<Status> results(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      Status st = writer_->Exec("SAVEPOINT caller");
      if (st.ok()) {
        SqliteTransaction tx(*writer_);
        try {
          st = (*batch[i]->fn)(tx);
        } catch (const std::exception& e) {
          st = Status::Internal(std::string("transaction callback threw: ") + e.what());
        }
        if (st.ok()) st = tx.first_error();
        if (st.ok()) {
          st = writer_->Exec("RELEASE caller");
        } else {
          (void)writer_->Exec("ROLLBACK TO caller");
          (void)writer_->Exec("RELEASE caller");
        }
      }
      results[i] = st;
    }
    Status commit = writer_->Exec("COMMIT");
    if (!commit.ok()) {
      (void)writer_->Exec("ROLLBACK");
      for (auto& j : batch) j->promise.set_value(commit);
      return;
    }
    commits_.fetch_add(1);
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->promise.set_value(results[i]);
  }

  Result<std::unique_ptr<Conn>> AcquireReader() {
    {
      core::MutexLock lock(pool_mu_);
      if (readers_.empty() && opened_readers_ >= read_pool_size_) {
        ++waits_;
        lock.Wait(pool_cv_, [this]() REQUIRES(pool_mu_) {
          return !readers_.empty() || opened_readers_ < read_pool_size_;
        });
      }
      if (!readers_.empty()) {
        auto c = std::move(readers_.back());
        readers_.pop_back();
        ++in_use_;
        return c;
      }
      ++opened_readers_;
      ++in_use_;
    }
    auto c = OpenConn(path_, /*read_only=*/true);
    if (!c.ok()) {
      core::MutexLock lock(pool_mu_);
      --opened_readers_;
      --in_use_;
      pool_cv_.notify_one();
    }
    return c;
  }

  void ReleaseReader(std::unique_ptr<Conn> c, bool healthy) {
    core::MutexLock lock(pool_mu_);
    --in_use_;
    if (healthy) {
      readers_.push_back(std::move(c));
    } else {
      --opened_readers_;
    }
    pool_cv_.notify_one();
  }

  static Status Probe(Conn& c) {
    Stmt q(c, "SELECT count(*) FROM sqlite_schema");
    Status st = q.Run();
    if (!st.ok()) return Status::Unavailable("database: " + st.message());
    return Status::Ok();
  }

  // The database file as opened (device, inode), for Ping.
  struct FileIdentity {
    dev_t dev;
    ino_t ino;
  };
  const std::string path_;
  std::optional<FileIdentity> identity_;  // set once, in the constructor
  std::unique_ptr<Conn> writer_;          // used only by writer_thread_
  const int read_pool_size_;

  WriteQueue<Job> queue_;
  std::thread writer_thread_;
  std::atomic<long long> commits_{0};

  mutable core::Mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Conn>> readers_ GUARDED_BY(pool_mu_);
  int opened_readers_ GUARDED_BY(pool_mu_) = 0;
  int in_use_ GUARDED_BY(pool_mu_) = 0;
  long long waits_ GUARDED_BY(pool_mu_) = 0;
};

}  // namespace

Result<std::unique_ptr<Storage>> OpenSqlite(const std::string& path, int read_pool_size) {
  auto writer = OpenConn(path, /*read_only=*/false);
  if (!writer.ok()) return writer.status();
  return std::unique_ptr<Storage>(
      new SqliteStorage(path, std::move(*writer), read_pool_size < 1 ? 1 : read_pool_size));
}

Status BackupSqlite(const std::string& source_path, const std::string& dest_path) {
  auto src = OpenConn(source_path, /*read_only=*/true);
  if (!src.ok()) return src.status();
  sqlite3* dest = nullptr;
  int rc = sqlite3_open_v2(dest_path.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                           nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close_v2(dest);
    return Status::Unavailable("cannot create backup file " + dest_path);
  }
  sqlite3_backup* b = sqlite3_backup_init(dest, "main", (*src)->db(), "main");
  if (!b) {
    std::string msg = sqlite3_errmsg(dest);
    sqlite3_close_v2(dest);
    return Status::Internal("backup: " + msg);
  }
  do {
    rc = sqlite3_backup_step(b, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  rc = rc == SQLITE_DONE ? sqlite3_errcode(dest) : rc;
  sqlite3_close_v2(dest);
  if (rc != SQLITE_OK) return Status::Internal(std::string("backup: ") + sqlite3_errstr(rc));
  return Status::Ok();
}

}  // namespace parcours::storage
