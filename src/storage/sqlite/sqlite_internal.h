// Internal to the SQLite backend: a connection with a statement cache and a
// statement runner, shared by sqlite_storage.cpp and the repositories
// implemented in their own files (sqlite_directory.cpp). Includes sqlite3.h:
// never include it outside src/storage/sqlite/.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/records.h"
#include "storage/row_codec.h"

namespace parcours::storage::sqlite_internal {

// One connection with a cache of prepared statements. Not thread-safe: owned
// by one thread at a time.
class Conn {
 public:
  explicit Conn(sqlite3* db) : db_(db) {}
  ~Conn() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  sqlite3* db() { return db_; }

  Status Exec(const char* sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      return ErrorStatus(rc, msg);
    }
    return Status::Ok();
  }

  Result<sqlite3_stmt*> Prepare(const char* sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      sqlite3_reset(it->second);
      sqlite3_clear_bindings(it->second);
      return it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return ErrorStatus(rc, sqlite3_errmsg(db_));
    cache_.emplace(sql, stmt);
    return stmt;
  }

  Status ErrorStatus(int rc, const std::string& msg) {
    int primary = rc & 0xff;
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE) {
      return Status::Conflict(msg);
    }
    if (primary == SQLITE_CONSTRAINT) return Status::InvalidArgument("", msg);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_CANTOPEN ||
        primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_READONLY) {
      return Status::Unavailable(msg);
    }
    return Status::Internal(msg);
  }

 private:
  sqlite3* db_;
  std::map<const char*, sqlite3_stmt*> cache_;  // keyed by the literal's address
};

inline Result<std::unique_ptr<Conn>> OpenConn(const std::string& path, bool read_only) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX |
              (read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::Unavailable("cannot open SQLite database " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db, 1);
  auto conn = std::make_unique<Conn>(db);
  sqlite3_busy_timeout(db, 5000);
  PARCOURS_RETURN_IF_ERROR(conn->Exec("PRAGMA foreign_keys=ON"));
  if (!read_only) {
    PARCOURS_RETURN_IF_ERROR(conn->Exec("PRAGMA journal_mode=WAL"));
    PARCOURS_RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous=FULL"));
  }
  return conn;
}

// Statement runner: binds, steps, reports errors as Status.
class Stmt {
 public:
  Stmt(Conn& c, const char* sql) : conn_(c) {
    auto r = c.Prepare(sql);
    if (r.ok()) {
      stmt_ = *r;
    } else {
      status_ = r.status();
    }
  }
  // Dynamic SQL (text built per call): prepared for this statement only,
  // not cached, finalized with it.
  Stmt(Conn& c, const std::string& sql) : conn_(c), owned_(true) {
    int rc = sqlite3_prepare_v2(c.db(), sql.c_str(), -1, &stmt_, nullptr);
    if (rc != SQLITE_OK) {
      status_ = c.ErrorStatus(rc, sqlite3_errmsg(c.db()));
      sqlite3_finalize(stmt_);
      stmt_ = nullptr;
    }
  }
  ~Stmt() {
    if (stmt_ && owned_) {
      sqlite3_finalize(stmt_);
    } else if (stmt_) {
      sqlite3_reset(stmt_);
    }
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  Stmt& Bind(const std::string& v) {
    if (stmt_)
      sqlite3_bind_text(stmt_, ++idx_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(std::string_view v) { return Bind(std::string(v)); }
  Stmt& Bind(std::int64_t v) {
    if (stmt_) sqlite3_bind_int64(stmt_, ++idx_, v);
    return *this;
  }
  Stmt& Bind(int v) { return Bind(static_cast<std::int64_t>(v)); }
  Stmt& Bind(bool v) { return Bind(static_cast<std::int64_t>(v ? 1 : 0)); }
  Stmt& Bind(const std::optional<std::string>& v) {
    if (!v) return BindNull();
    return Bind(*v);
  }
  Stmt& Bind(const std::optional<int>& v) {
    if (!v) return BindNull();
    return Bind(*v);
  }
  Stmt& Bind(const std::vector<unsigned char>& v) {
    if (!stmt_) return *this;
    if (v.empty()) return BindNull();
    sqlite3_bind_blob(stmt_, ++idx_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(double v) {
    if (stmt_) sqlite3_bind_double(stmt_, ++idx_, v);
    return *this;
  }
  Stmt& Bind(const std::optional<std::int64_t>& v) {
    if (!v) return BindNull();
    return Bind(*v);
  }
  Stmt& BindNull() {
    if (stmt_) sqlite3_bind_null(stmt_, ++idx_);
    return *this;
  }

  // Returns true when a row is available, false when done; sets status on error.
  bool Step() {
    if (!stmt_ || !status_.ok()) return false;
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) status_ = conn_.ErrorStatus(rc, sqlite3_errmsg(conn_.db()));
    return false;
  }
  Status Run() {
    while (Step()) {
    }
    return status_;
  }

  std::string Text(int col) const {
    auto p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, col))
             : std::string();
  }
  std::optional<std::string> OptText(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return Text(col);
  }
  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::optional<int> OptInt(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return static_cast<int>(Int(col));
  }
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }
  bool Flag(int col) const { return Int(col) != 0; }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::optional<std::int64_t> OptInt64(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Int(col);
  }
  std::vector<unsigned char> Blob(int col) const {
    auto p = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, col));
    int n = sqlite3_column_bytes(stmt_, col);
    return p ? std::vector<unsigned char>(p, p + n) : std::vector<unsigned char>();
  }

 private:
  Conn& conn_;
  sqlite3_stmt* stmt_ = nullptr;
  bool owned_ = false;
  Status status_;
  int idx_ = 0;
};

// What the repositories of one transaction share: the first failure kept as
// the transaction's error (it is then rolled back even if the caller goes
// on), and the runners of a write, of one row, of all rows. A reader
// `read(q)` returns the record or Result<record> (storage/row_codec.h).
class TxnStatements {
 protected:
  TxnStatements(Conn& c, Status* first_error) : c_(c), first_error_(first_error) {}

  Status Note(Status st) {
    if (!st.ok() && first_error_->ok()) *first_error_ = st;
    return st;
  }

  // Runs a write (or a statement whose rows nobody reads).
  Status Write(Stmt& q) { return Note(q.Run()); }

  // The rows the last write changed.
  std::int64_t Changes() { return sqlite3_changes(c_.db()); }

  // Runs a write and returns how many rows it changed.
  Result<std::int64_t> WriteCount(Stmt& q) {
    PARCOURS_RETURN_IF_ERROR(Write(q));
    return Changes();
  }

  // Runs a write that must change a row: kNotFound with `not_found` when it
  // changes none.
  Status WriteOne(Stmt& q, std::string not_found) {
    auto n = WriteCount(q);
    if (!n.ok()) return n.status();
    return *n == 0 ? Status::NotFound(std::move(not_found)) : Status::Ok();
  }

  // Runs a guarded write (UPDATE … WHERE key AND a condition) that must
  // change one row; when it changes none, `exists_sql` (a SELECT of the row
  // by `key`) tells kConflict (the row is there, the condition failed) from
  // kNotFound.
  Status WriteGuarded(Stmt& q, const char* exists_sql, std::string_view key, std::string conflict,
                      std::string not_found) {
    PARCOURS_RETURN_IF_ERROR(Write(q));
    if (Changes() == 1) return Status::Ok();
    Stmt e(c_, exists_sql);
    e.Bind(key);
    auto found = Exists(e);
    if (!found.ok()) return found.status();
    return *found ? Status::Conflict(std::move(conflict)) : Status::NotFound(std::move(not_found));
  }

  // Whether q yields a row.
  Result<bool> Exists(Stmt& q) {
    bool found = q.Step();
    if (!q.ok()) return Note(q.status());
    return found;
  }

  // The first row of q as `read(q)` makes it, or none.
  template <class Read>
  auto FindOne(Stmt& q, Read read) -> Result<std::optional<row_codec::ReadType<Read, Stmt>>> {
    std::optional<row_codec::ReadType<Read, Stmt>> out;
    if (q.Step()) {
      PARCOURS_RETURN_IF_ERROR(Note(row_codec::ReadInto(read, q, &out)));
      return out;
    }
    if (!q.ok()) return Note(q.status());
    return out;
  }

  // The first row of q as `read(q)` makes it; `missing` (kInternal) when
  // there is none (an aggregate or an upsert … RETURNING always has one).
  template <class Read>
  auto One(Stmt& q, Read read, std::string_view missing)
      -> Result<row_codec::ReadType<Read, Stmt>> {
    auto r = FindOne(q, read);
    if (!r.ok()) return r.status();
    if (!*r) return Note(Status::Internal(std::string(missing)));
    while (q.Step()) {
    }
    if (!q.ok()) return Note(q.status());
    return std::move(**r);
  }

  // Every row of q as `read(q)` makes it.
  template <class Read>
  auto All(Stmt& q, Read read) -> Result<std::vector<row_codec::ReadType<Read, Stmt>>> {
    std::vector<row_codec::ReadType<Read, Stmt>> out;
    std::optional<row_codec::ReadType<Read, Stmt>> v;
    while (q.Step()) {
      PARCOURS_RETURN_IF_ERROR(Note(row_codec::ReadInto(read, q, &v)));
      out.push_back(std::move(*v));
    }
    if (!q.ok()) return Note(q.status());
    return out;
  }

  // The rows of an audit_log SELECT (row_codec::ReadAudit).
  Result<std::vector<AuditEntry>> AuditRows(Stmt& q) {
    return All(q, row_codec::ReadAudit<const Stmt>);
  }

  Conn& c_;

 private:
  Status* first_error_;
};

}  // namespace parcours::storage::sqlite_internal
