// Internal to the PostgreSQL backend: a connection with its prepared
// statements, parameters and result readers, shared by postgres_storage.cpp
// and the repositories implemented in their own files
// (postgres_directory.cpp). Includes libpq-fe.h: never include it outside
// src/storage/postgres/.
#pragma once

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/status.h"
#include "storage/records.h"
#include "storage/row_codec.h"

namespace parcours::storage::postgres_internal {

// Serialises Migrate() across every instance using the database.
constexpr std::int64_t kMigrationLockKey = 8097879376386159219;  // "parcours"
// How long a caller waits for a pooled connection before kUnavailable.
constexpr std::chrono::seconds kAcquireTimeout{30};
constexpr std::chrono::seconds kPingAcquireTimeout{5};

inline std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

// Deadlock detected / serialization failure: the server rolled the
// statement back to settle a conflict with another transaction; the same
// transaction run again can succeed.
inline bool RetryableState(std::string_view sqlstate) {
  return sqlstate == "40P01" || sqlstate == "40001";
}

// SQLSTATE → Status code (the contract of storage.h). Class 22 (data
// exception: bad encoding, value out of range) is about the values given,
// like a constraint violation.
inline Status MapError(std::string_view sqlstate, bool connection_bad, std::string message) {
  if (connection_bad || sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03" || sqlstate.starts_with("53")) {
    return Status::Unavailable(std::move(message));
  }
  if (RetryableState(sqlstate)) return Status::Unavailable(std::move(message));  // try again
  if (sqlstate == "23505") return Status::Conflict(std::move(message));
  if (sqlstate.starts_with("23") || sqlstate.starts_with("22")) {
    return Status::InvalidArgument("", std::move(message));
  }
  return Status::Internal(std::move(message));
}

inline Status ErrorFrom(PGconn* c, const PGresult* r) {
  std::string msg = r ? PQresultErrorMessage(r) : "";
  if (msg.empty()) msg = PQerrorMessage(c);
  if (msg.empty()) msg = "unknown PostgreSQL error";
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  return MapError(state ? state : "", PQstatus(c) == CONNECTION_BAD, Trimmed(std::move(msg)));
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// A statement prepared once per connection, under its name.
struct StatementDef {
  const char* name;
  const char* sql;
};

// Parameters in text format, except bytea sent in binary; nullopt is NULL.
class Params {
 public:
  Params& Text(std::string_view v) {
    // Text parameters are C strings: a NUL would silently cut the value.
    if (v.find('\0') != std::string_view::npos) has_nul_ = true;
    values_.emplace_back(std::string(v));
    formats_.push_back(0);
    return *this;
  }
  Params& Int(std::int64_t v) { return Text(std::to_string(v)); }
  Params& Bool(bool v) { return Text(v ? "true" : "false"); }
  Params& Null() {
    values_.emplace_back(std::nullopt);
    formats_.push_back(0);
    return *this;
  }
  Params& OptText(const std::optional<std::string>& v) { return v ? Text(*v) : Null(); }
  Params& OptInt(const std::optional<int>& v) { return v ? Int(*v) : Null(); }
  Params& OptInt64(const std::optional<std::int64_t>& v) { return v ? Int(*v) : Null(); }
  // Shortest text that reads back as the same double.
  Params& Double(double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return Text(ec == std::errc() ? std::string_view(buf, static_cast<std::size_t>(end - buf))
                                  : std::string_view("NaN"));
  }
  // Empty is stored as NULL, like the SQLite backend.
  Params& Bytes(const std::vector<unsigned char>& v) {
    if (v.empty()) return Null();
    values_.emplace_back(std::string(v.begin(), v.end()));
    formats_.push_back(1);
    return *this;
  }

  // The same values under the names of sqlite_internal::Stmt, for the
  // binders of storage/row_codec.h.
  Params& Bind(std::string_view v) { return Text(v); }
  Params& Bind(const std::string& v) { return Text(v); }
  Params& Bind(std::int64_t v) { return Int(v); }
  Params& Bind(int v) { return Int(v); }
  Params& Bind(bool v) { return Bool(v); }
  Params& Bind(double v) { return Double(v); }
  Params& Bind(const std::optional<std::string>& v) { return OptText(v); }
  Params& Bind(const std::optional<int>& v) { return OptInt(v); }
  Params& Bind(const std::optional<std::int64_t>& v) { return OptInt64(v); }
  Params& Bind(const std::vector<unsigned char>& v) { return Bytes(v); }
  Params& BindNull() { return Null(); }

  bool has_nul() const { return has_nul_; }
  int size() const { return static_cast<int>(values_.size()); }
  const std::vector<std::optional<std::string>>& values() const { return values_; }
  const std::vector<int>& formats() const { return formats_; }

 private:
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;
  bool has_nul_ = false;
};

// Reads text-format results; a value that does not parse marks the reader
// corrupt instead of throwing.
class Rows {
 public:
  explicit Rows(const PGresult* r) : r_(r) {}
  int size() const { return PQntuples(r_); }
  bool corrupt() const { return corrupt_; }

  bool IsNull(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
  std::string Text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col),
                       static_cast<std::size_t>(PQgetlength(r_, row, col)));
  }
  std::optional<std::string> OptText(int row, int col) const {
    if (IsNull(row, col)) return std::nullopt;
    return Text(row, col);
  }
  std::int64_t Int(int row, int col) {
    const char* p = PQgetvalue(r_, row, col);
    const char* end = p + PQgetlength(r_, row, col);
    std::int64_t v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || next != end || IsNull(row, col)) corrupt_ = true;
    return v;
  }
  std::optional<int> OptInt(int row, int col) {
    if (IsNull(row, col)) return std::nullopt;
    return static_cast<int>(Int(row, col));
  }
  std::optional<std::int64_t> OptInt64(int row, int col) {
    if (IsNull(row, col)) return std::nullopt;
    return Int(row, col);
  }
  double Double(int row, int col) {
    const char* p = PQgetvalue(r_, row, col);
    const char* end = p + PQgetlength(r_, row, col);
    double v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || next != end || IsNull(row, col)) corrupt_ = true;
    return v;
  }
  bool Bool(int row, int col) {
    std::string_view v(PQgetvalue(r_, row, col));
    if (v != "t" && v != "f") corrupt_ = true;
    return v == "t";
  }
  std::vector<unsigned char> Bytes(int row, int col) {
    if (IsNull(row, col)) return {};
    std::size_t n = 0;
    unsigned char* p =
        PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r_, row, col)), &n);
    if (!p) {
      corrupt_ = true;
      return {};
    }
    std::vector<unsigned char> out(p, p + n);
    PQfreemem(p);
    return out;
  }

 private:
  const PGresult* r_;
  bool corrupt_ = false;
};

// One row of a result, read under the names of sqlite_internal::Stmt so that
// the readers of storage/row_codec.h serve both backends. A value that does
// not parse marks the result corrupt (Rows::corrupt).
class Row {
 public:
  Row(Rows& rows, int i) : rows_(rows), i_(i) {}
  bool IsNull(int col) const { return rows_.IsNull(i_, col); }
  std::string Text(int col) const { return rows_.Text(i_, col); }
  std::optional<std::string> OptText(int col) const { return rows_.OptText(i_, col); }
  std::int64_t Int(int col) { return rows_.Int(i_, col); }
  std::optional<int> OptInt(int col) { return rows_.OptInt(i_, col); }
  std::optional<std::int64_t> OptInt64(int col) { return rows_.OptInt64(i_, col); }
  double Double(int col) { return rows_.Double(i_, col); }
  bool Flag(int col) { return rows_.Bool(i_, col); }
  std::vector<unsigned char> Blob(int col) { return rows_.Bytes(i_, col); }

 private:
  Rows& rows_;
  int i_;
};

// The rows an INSERT, UPDATE or DELETE changed.
inline std::int64_t RowsAffected(const PgResult& r) {
  std::string_view n(PQcmdTuples(r.get()));
  std::int64_t v = 0;
  std::from_chars(n.data(), n.data() + n.size(), v);
  return v;
}

inline void IgnoreNotice(void*, const char*) {}

// One server connection with its prepared statements. Not thread-safe: owned
// by one thread at a time (through the pool).
class PgConn {
 public:
  static Result<std::unique_ptr<PgConn>> Open(const std::string& url) {
    // Entries before dbname are defaults the URL may override. Keepalives
    // and tcp_user_timeout notice a server that vanished without a word.
    const char* keys[] = {"connect_timeout",
                          "application_name",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          "tcp_user_timeout",
                          "dbname",
                          "client_encoding",
                          nullptr};
    const char* values[] = {"10",    "parcours",  "30",   "10",   "3",
                            "60000", url.c_str(), "UTF8", nullptr};
    PGconn* c = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (!c) return Status::Unavailable("PostgreSQL: out of memory opening a connection");
    if (PQstatus(c) != CONNECTION_OK) {
      std::string msg = Trimmed(PQerrorMessage(c));
      PQfinish(c);
      return Status::Unavailable("cannot connect to PostgreSQL: " + msg);
    }
    PQsetNoticeProcessor(c, IgnoreNotice, nullptr);
    return std::make_unique<PgConn>(c);
  }

  explicit PgConn(PGconn* c) : c_(c) {}
  ~PgConn() { PQfinish(c_); }
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  bool Broken() const { return PQstatus(c_) != CONNECTION_OK; }
  bool Idle() const { return PQtransactionStatus(c_) == PQTRANS_IDLE; }
  bool InFailedTransaction() const { return PQtransactionStatus(c_) == PQTRANS_INERROR; }

  // Whether a statement failed with a deadlock or a serialization failure
  // (RetryableState) since the last call; clears the flag.
  bool TakeRetryable() { return std::exchange(retryable_, false); }

  // Simple query protocol: sql may hold several statements. Deferred
  // statements (below) are sent first, in the same round trip.
  Result<PgResult> Query(const char* sql) {
    if (deferred_.empty()) return Check(PgResult(PQexec(c_, sql)));
    std::string all;
    for (const char* d : deferred_) all.append(d).append("; ");
    deferred_.clear();
    all += sql;
    return Check(PgResult(PQexec(c_, all.c_str())));
  }

  // Statements without parameters or rows (the group commit's RELEASE /
  // SAVEPOINT) to send with the next statement, in the same round trip
  // (pipeline mode), instead of paying a round trip of their own. A caller
  // that sends nothing never sends them.
  void Defer(std::vector<const char*> sql) { deferred_ = std::move(sql); }
  bool HasDeferred() const { return !deferred_.empty(); }
  void DropDeferred() { deferred_.clear(); }
  Status Exec(const char* sql) {
    auto r = Query(sql);
    return r.ok() ? Status::Ok() : r.status();
  }

  // COMMIT that reports a transaction the server rolled back instead.
  Status Commit() {
    auto r = Query("COMMIT");
    if (!r.ok()) return r.status();
    if (std::string_view(PQcmdStatus(r->get())) != "COMMIT") {
      return Status::Internal("transaction was rolled back by the server");
    }
    return Status::Ok();
  }

  Result<PgResult> Run(const StatementDef& st, const Params& p) {
    if (p.has_nul()) return Status::InvalidArgument("", "text value contains a NUL character");
    if (!deferred_.empty()) return RunPipelined(st, p);
    if (!prepared_.contains(st.name)) {
      auto r = Check(PgResult(PQprepare(c_, st.name, st.sql, 0, nullptr)));
      if (!r.ok()) return r.status();
      prepared_.insert(st.name);
    }
    std::vector<const char*> values;
    std::vector<int> lengths;
    values.reserve(static_cast<std::size_t>(p.size()));
    lengths.reserve(static_cast<std::size_t>(p.size()));
    for (const auto& v : p.values()) {
      values.push_back(v ? v->data() : nullptr);
      lengths.push_back(v ? static_cast<int>(v->size()) : 0);
    }
    return Check(PgResult(PQexecPrepared(c_, st.name, p.size(), values.data(), lengths.data(),
                                         p.formats().data(), /*resultFormat=*/0)));
  }

 private:
  // The deferred statements, the statement's preparation when needed and the
  // statement itself in one pipeline: one round trip. The first error wins
  // (what follows it is skipped by the server).
  Result<PgResult> RunPipelined(const StatementDef& st, const Params& p) {
    std::vector<const char*> deferred = std::move(deferred_);
    deferred_.clear();
    if (PQenterPipelineMode(c_) != 1) return ErrorFrom(c_, nullptr);
    const bool prepare = !prepared_.contains(st.name);
    std::vector<const char*> values;
    std::vector<int> lengths;
    for (const auto& v : p.values()) {
      values.push_back(v ? v->data() : nullptr);
      lengths.push_back(v ? static_cast<int>(v->size()) : 0);
    }
    bool sent = true;
    int queries = 0;
    for (const char* sql : deferred) {
      sent = sent && PQsendQueryParams(c_, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
      ++queries;
    }
    if (prepare) {
      sent = sent && PQsendPrepare(c_, st.name, st.sql, 0, nullptr) == 1;
      ++queries;
    }
    sent = sent && PQsendQueryPrepared(c_, st.name, p.size(), values.data(), lengths.data(),
                                       p.formats().data(), /*resultFormat=*/0) == 1;
    ++queries;
    sent = sent && PQpipelineSync(c_) == 1;
    if (!sent) {
      Status st_err = ErrorFrom(c_, nullptr);
      PQexitPipelineMode(c_);
      return st_err;
    }
    Status first_error;
    PgResult last;
    bool prepared_ok = false;
    for (int i = 0; i < queries; ++i) {
      PgResult r(PQgetResult(c_));
      if (!r) {  // the connection went away
        if (first_error.ok()) first_error = ErrorFrom(c_, nullptr);
        break;
      }
      const ExecStatusType s = PQresultStatus(r.get());
      if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_PIPELINE_ABORTED &&
          first_error.ok()) {
        first_error = Failed(r.get());
      }
      if (prepare && i == queries - 2) prepared_ok = s == PGRES_COMMAND_OK;
      if (i == queries - 1) last = std::move(r);
      while (PgResult extra{PQgetResult(c_)}) {
      }  // each query's results end with NULL
    }
    if (first_error.ok() || !Broken()) {
      // Up to the sync, then out of pipeline mode.
      for (;;) {
        PgResult r(PQgetResult(c_));
        if (!r || PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) break;
      }
    }
    PQexitPipelineMode(c_);
    if (prepared_ok) prepared_.insert(st.name);
    if (!first_error.ok()) return first_error;
    if (!last) return ErrorFrom(c_, nullptr);
    return Check(std::move(last));
  }

  Result<PgResult> Check(PgResult r) {
    ExecStatusType s = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) return r;
    return Failed(r.get());
  }

  Status Failed(const PGresult* r) {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    if (state && RetryableState(state)) retryable_ = true;
    return ErrorFrom(c_, r);
  }

  PGconn* c_;
  std::unordered_set<std::string> prepared_;
  std::vector<const char*> deferred_;
  bool retryable_ = false;
};

// What the repositories of one transaction share: statements run on its
// connection, the first failure kept as the transaction's error (the
// transaction is then rolled back even if the caller goes on), and the
// runners of a write, of one row, of all rows. A reader `read(row)` returns
// the record or Result<record> (storage/row_codec.h); `table` names the
// table in the error of a row that does not parse.
class TxnStatements {
 protected:
  TxnStatements(PgConn& c, Status* first_error) : c_(c), first_error_(first_error) {}

  Status Track(Status s) {
    if (!s.ok() && first_error_->ok()) *first_error_ = s;
    return s;
  }

  Result<PgResult> Run(const StatementDef& st, const Params& p) {
    auto r = c_.Run(st, p);
    // Recorded as the transaction's first error; r itself carries the failure to the caller.
    if (!r.ok()) (void)Track(r.status());
    return r;
  }

  Status Exec(const StatementDef& st, const Params& p) {
    auto r = Run(st, p);
    return r.ok() ? Status::Ok() : r.status();
  }

  // Runs a write and returns how many rows it changed.
  Result<std::int64_t> ExecCount(const StatementDef& st, const Params& p) {
    auto r = Run(st, p);
    if (!r.ok()) return r.status();
    return RowsAffected(*r);
  }

  // Runs a write that must change a row: kNotFound with `not_found` when it
  // changes none.
  Status ExecOne(const StatementDef& st, const Params& p, std::string not_found) {
    auto n = ExecCount(st, p);
    if (!n.ok()) return n.status();
    return *n == 0 ? Status::NotFound(std::move(not_found)) : Status::Ok();
  }

  // Runs a guarded write (UPDATE … WHERE key AND a condition) that must
  // change one row; when it changes none, `exists` (a SELECT of the row by
  // `key`) tells kConflict (the row is there, the condition failed) from
  // kNotFound.
  Status ExecGuarded(const StatementDef& st, const Params& p, const StatementDef& exists,
                     std::string_view key, std::string conflict, std::string not_found) {
    auto n = ExecCount(st, p);
    if (!n.ok()) return n.status();
    if (*n == 1) return Status::Ok();
    auto found = Exists(exists, Params().Text(key));
    if (!found.ok()) return found.status();
    return *found ? Status::Conflict(std::move(conflict)) : Status::NotFound(std::move(not_found));
  }

  // Whether the statement yields a row.
  Result<bool> Exists(const StatementDef& st, const Params& p) {
    auto r = Run(st, p);
    if (!r.ok()) return r.status();
    return PQntuples(r->get()) > 0;
  }

  // The first row of a SELECT as `read(row)` makes it, or none.
  template <class Read>
  auto FindOne(const StatementDef& st, const Params& p, Read read, std::string_view table)
      -> Result<std::optional<row_codec::ReadType<Read, Row>>> {
    auto all = All(st, p, read, table, /*max=*/1);
    if (!all.ok()) return all.status();
    if (all->empty()) return std::optional<row_codec::ReadType<Read, Row>>();
    return std::optional<row_codec::ReadType<Read, Row>>(std::move(all->front()));
  }

  // The first row as `read(row)` makes it; `missing` (kInternal) when there
  // is none (an aggregate or an upsert … RETURNING always has one).
  template <class Read>
  auto One(const StatementDef& st, const Params& p, Read read, std::string_view table,
           std::string_view missing) -> Result<row_codec::ReadType<Read, Row>> {
    auto r = FindOne(st, p, read, table);
    if (!r.ok()) return r.status();
    if (!*r) return Track(Status::Internal(std::string(missing)));
    return std::move(**r);
  }

  // Every row (the first `max` when given) as `read(row)` makes it.
  template <class Read>
  auto All(const StatementDef& st, const Params& p, Read read, std::string_view table,
           std::optional<int> max = std::nullopt)
      -> Result<std::vector<row_codec::ReadType<Read, Row>>> {
    auto r = Run(st, p);
    if (!r.ok()) return r.status();
    Rows q(r->get());
    const int n = max ? std::min(*max, q.size()) : q.size();
    std::vector<row_codec::ReadType<Read, Row>> out;
    out.reserve(static_cast<std::size_t>(n));
    std::optional<row_codec::ReadType<Read, Row>> v;
    for (int i = 0; i < n; ++i) {
      Row row(q, i);
      PARCOURS_RETURN_IF_ERROR(Track(row_codec::ReadInto(read, row, &v)));
      out.push_back(std::move(*v));
    }
    if (q.corrupt()) return Track(Status::Internal("corrupt row in " + std::string(table)));
    return out;
  }

  // The rows of an audit_log SELECT (row_codec::ReadAudit).
  Result<std::vector<AuditEntry>> AuditRows(const StatementDef& st, const Params& p) {
    return All(st, p, row_codec::ReadAudit<Row>, "audit_log");
  }

  PgConn& c_;

 private:
  Status* first_error_;
};

}  // namespace parcours::storage::postgres_internal
