#include "storage/sqlite/sqlite_accounts.h"

#include <sqlite3.h>

#include "storage/directory_repository.h"
#include "storage/sqlite/sqlite_internal.h"

namespace parcours::storage::sqlite_internal {
namespace {

#define PARCOURS_USER_COLS                                                                   \
  "id, email, name, role, territories, sub_territories, phone, password_hash, totp_sealed, " \
  "totp_enrolled, totp_last_step, disabled, created_at, updated_at, last_login_at"
#define PARCOURS_SESSION_COLS \
  "token_hash, user_id, stage, csrf_token, created_at, last_seen_at, expires_at"
#define PARCOURS_THROTTLE_COLS "key, failures, lockouts, locked_until, last_failure_at"
#define PARCOURS_TOKEN_COLS \
  "token_hash, user_id, purpose, created_by, created_at, expires_at, used_at"

constexpr const char* kInsertUser =
    "INSERT INTO users (" PARCOURS_USER_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kUpdateUser =
    "UPDATE users SET email = ?, name = ?, role = ?, territories = ?, sub_territories = ?, "
    "phone = ?, password_hash = ?, totp_sealed = ?, totp_enrolled = ?, totp_last_step = ?, "
    "disabled = ?, updated_at = ?, last_login_at = ? WHERE id = ?";
constexpr const char* kDeleteUserTerritories = "DELETE FROM user_territories WHERE user_id = ?";
constexpr const char* kInsertUserTerritory =
    "INSERT OR IGNORE INTO user_territories (user_id, territory_code) VALUES (?, ?)";
constexpr const char* kFindUser = "SELECT " PARCOURS_USER_COLS " FROM users WHERE id = ?";
constexpr const char* kFindUserByEmail = "SELECT " PARCOURS_USER_COLS " FROM users WHERE email = ?";
constexpr const char* kCountActive =
    "SELECT count(*) FROM users u JOIN user_territories t ON t.user_id = u.id "
    "WHERE t.territory_code = ? AND u.disabled = 0 AND instr(',' || ? || ',', ',' || u.role || "
    "',') > 0";

constexpr const char* kInsertSession =
    "INSERT INTO sessions (" PARCOURS_SESSION_COLS ") VALUES (?,?,?,?,?,?,?)";
constexpr const char* kFindSession =
    "SELECT " PARCOURS_SESSION_COLS " FROM sessions WHERE token_hash = ?";
constexpr const char* kTouchSession = "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?";
constexpr const char* kDeleteSession = "DELETE FROM sessions WHERE token_hash = ?";
constexpr const char* kDeleteUserSessions = "DELETE FROM sessions WHERE user_id = ?";
constexpr const char* kDeleteExpired =
    "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?";

constexpr const char* kAddFailure =
    "INSERT INTO login_throttle (" PARCOURS_THROTTLE_COLS
    ") VALUES (?1, 1, 0, 0, ?2) ON CONFLICT (key) DO UPDATE SET failures = failures + 1, "
    "last_failure_at = ?2 RETURNING " PARCOURS_THROTTLE_COLS;
constexpr const char* kFindThrottle =
    "SELECT " PARCOURS_THROTTLE_COLS " FROM login_throttle WHERE key = ?";
constexpr const char* kLockLogin =
    "UPDATE login_throttle SET locked_until = ?, lockouts = ? WHERE key = ?";
constexpr const char* kClearThrottle = "DELETE FROM login_throttle WHERE key = ?";

constexpr const char* kInsertToken =
    "INSERT INTO account_tokens (" PARCOURS_TOKEN_COLS ") VALUES (?,?,?,?,?,?,?)";
constexpr const char* kFindToken =
    "SELECT " PARCOURS_TOKEN_COLS " FROM account_tokens WHERE token_hash = ?";
constexpr const char* kUseToken =
    "UPDATE account_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL";
constexpr const char* kTokenExists = "SELECT 1 FROM account_tokens WHERE token_hash = ?";
constexpr const char* kRevokeTokens =
    "UPDATE account_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL";

UserRecord ReadUser(const Stmt& q) {
  UserRecord u;
  u.id = q.Text(0);
  u.email = q.Text(1);
  u.name = q.Text(2);
  u.role = q.Text(3);
  u.territories = DecodeList(q.Text(4));
  u.sub_territories = DecodeList(q.Text(5));
  u.phone = q.OptText(6);
  u.password_hash = q.Text(7);
  u.totp_sealed = q.Blob(8);
  u.totp_enrolled = q.Int(9) != 0;
  u.totp_last_step = q.Int(10);
  u.disabled = q.Int(11) != 0;
  u.created_at = q.Int(12);
  u.updated_at = q.Int(13);
  u.last_login_at = q.OptInt64(14);
  return u;
}

SessionRecord ReadSession(const Stmt& q) {
  return SessionRecord{q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Int(4), q.Int(5), q.Int(6)};
}

LoginThrottleRecord ReadThrottle(const Stmt& q) {
  return LoginThrottleRecord{q.Text(0), static_cast<int>(q.Int(1)), static_cast<int>(q.Int(2)),
                             q.Int(3), q.Int(4)};
}

AccountTokenRecord ReadToken(const Stmt& q) {
  return AccountTokenRecord{q.Text(0), q.Text(1), q.Text(2),    q.Text(3),
                            q.Int(4),  q.Int(5),  q.OptInt64(6)};
}

class SqliteAccounts : public AccountRepository, private TxnStatements {
 public:
  SqliteAccounts(Conn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Status InsertUser(const UserRecord& u) override {
    Stmt q(c_, kInsertUser);
    q.Bind(u.id)
        .Bind(u.email)
        .Bind(u.name)
        .Bind(u.role)
        .Bind(EncodeList(u.territories))
        .Bind(EncodeList(u.sub_territories))
        .Bind(u.phone)
        .Bind(u.password_hash)
        .Bind(u.totp_sealed)
        .Bind(u.totp_enrolled)
        .Bind(u.totp_last_step)
        .Bind(u.disabled)
        .Bind(u.created_at)
        .Bind(u.updated_at)
        .Bind(u.last_login_at);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    return WriteTerritories(u);
  }

  Status UpdateUser(const UserRecord& u) override {
    Stmt q(c_, kUpdateUser);
    q.Bind(u.email)
        .Bind(u.name)
        .Bind(u.role)
        .Bind(EncodeList(u.territories))
        .Bind(EncodeList(u.sub_territories))
        .Bind(u.phone)
        .Bind(u.password_hash)
        .Bind(u.totp_sealed)
        .Bind(u.totp_enrolled)
        .Bind(u.totp_last_step)
        .Bind(u.disabled)
        .Bind(u.updated_at)
        .Bind(u.last_login_at)
        .Bind(u.id);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    if (sqlite3_changes(c_.db()) == 0) return Status::NotFound("no user " + u.id);
    return WriteTerritories(u);
  }

  Result<std::optional<UserRecord>> FindUser(std::string_view id) override {
    return FindOneUser(kFindUser, id);
  }

  Result<std::optional<UserRecord>> FindUserByEmail(std::string_view email) override {
    return FindOneUser(kFindUserByEmail, email);
  }

  Result<std::vector<UserRecord>> ListUsers(const UserFilter& f) override {
    std::string sql = "SELECT " PARCOURS_USER_COLS " FROM users u WHERE 1 = 1";
    if (!f.territories.empty()) {
      sql +=
          " AND EXISTS (SELECT 1 FROM user_territories t WHERE t.user_id = u.id AND "
          "t.territory_code IN (";
      for (std::size_t i = 0; i < f.territories.size(); ++i) sql += i ? ",?" : "?";
      sql += "))";
    }
    if (f.role) sql += " AND u.role = ?";
    if (f.active_only) sql += " AND u.disabled = 0";
    sql += " ORDER BY u.email, u.id";
    Stmt q(c_, sql);  // dynamic SQL: not cached
    for (const auto& t : f.territories) q.Bind(t);
    if (f.role) q.Bind(*f.role);
    std::vector<UserRecord> out;
    while (q.Step()) out.push_back(ReadUser(q));
    if (!q.ok()) return Note(q.status());
    return out;
  }

  Result<std::int64_t> CountActiveUsers(std::string_view territory,
                                        const std::vector<std::string>& roles) override {
    Stmt q(c_, kCountActive);
    q.Bind(territory).Bind(EncodeList(roles));
    if (q.Step()) return q.Int(0);
    return Note(q.ok() ? Status::Internal("count returned no row") : q.status());
  }

  Status InsertSession(const SessionRecord& s) override {
    Stmt q(c_, kInsertSession);
    q.Bind(s.token_hash)
        .Bind(s.user_id)
        .Bind(s.stage)
        .Bind(s.csrf_token)
        .Bind(s.created_at)
        .Bind(s.last_seen_at)
        .Bind(s.expires_at);
    return Note(q.Run());
  }

  Result<std::optional<SessionRecord>> FindSession(std::string_view hash) override {
    Stmt q(c_, kFindSession);
    q.Bind(hash);
    return FindOne(q, ReadSession);
  }

  Status TouchSession(std::string_view hash, domain::TimestampMs at) override {
    Stmt q(c_, kTouchSession);
    q.Bind(at).Bind(hash);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    if (sqlite3_changes(c_.db()) == 0) return Status::NotFound("no such session");
    return Status::Ok();
  }

  Status DeleteSession(std::string_view hash) override {
    Stmt q(c_, kDeleteSession);
    q.Bind(hash);
    return Note(q.Run());
  }

  Result<std::int64_t> DeleteUserSessions(std::string_view user_id) override {
    Stmt q(c_, kDeleteUserSessions);
    q.Bind(user_id);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    return static_cast<std::int64_t>(sqlite3_changes(c_.db()));
  }

  Result<std::int64_t> DeleteExpiredSessions(domain::TimestampMs now,
                                             domain::TimestampMs idle_before) override {
    Stmt q(c_, kDeleteExpired);
    q.Bind(now).Bind(idle_before);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    return static_cast<std::int64_t>(sqlite3_changes(c_.db()));
  }

  Result<LoginThrottleRecord> AddLoginFailure(std::string_view key,
                                              domain::TimestampMs at) override {
    Stmt q(c_, kAddFailure);
    q.Bind(key).Bind(at);
    if (!q.Step()) return Note(q.ok() ? Status::Internal("upsert returned no row") : q.status());
    LoginThrottleRecord r = ReadThrottle(q);
    while (q.Step()) {
    }
    if (!q.ok()) return Note(q.status());
    return r;
  }

  Result<std::optional<LoginThrottleRecord>> FindLoginThrottle(std::string_view key) override {
    Stmt q(c_, kFindThrottle);
    q.Bind(key);
    return FindOne(q, ReadThrottle);
  }

  Status LockLogin(std::string_view key, domain::TimestampMs until, int lockouts) override {
    Stmt q(c_, kLockLogin);
    q.Bind(until).Bind(lockouts).Bind(key);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    if (sqlite3_changes(c_.db()) == 0) return Status::NotFound("no login throttle row");
    return Status::Ok();
  }

  Status ClearLoginThrottle(std::string_view key) override {
    Stmt q(c_, kClearThrottle);
    q.Bind(key);
    return Note(q.Run());
  }

  Status InsertAccountToken(const AccountTokenRecord& t) override {
    Stmt q(c_, kInsertToken);
    q.Bind(t.token_hash)
        .Bind(t.user_id)
        .Bind(t.purpose)
        .Bind(t.created_by)
        .Bind(t.created_at)
        .Bind(t.expires_at)
        .Bind(t.used_at);
    return Note(q.Run());
  }

  Result<std::optional<AccountTokenRecord>> FindAccountToken(std::string_view hash) override {
    Stmt q(c_, kFindToken);
    q.Bind(hash);
    return FindOne(q, ReadToken);
  }

  Status UseAccountToken(std::string_view hash, domain::TimestampMs at) override {
    {
      Stmt q(c_, kUseToken);
      q.Bind(at).Bind(hash);
      PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
      if (sqlite3_changes(c_.db()) == 1) return Status::Ok();
    }
    Stmt e(c_, kTokenExists);
    e.Bind(hash);
    bool exists = e.Step();
    if (!e.ok()) return Note(e.status());
    return exists ? Status::Conflict("link already used") : Status::NotFound("no such link");
  }

  Result<std::int64_t> RevokeAccountTokens(std::string_view user_id,
                                           domain::TimestampMs at) override {
    Stmt q(c_, kRevokeTokens);
    q.Bind(at).Bind(user_id);
    PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    return static_cast<std::int64_t>(sqlite3_changes(c_.db()));
  }

  Result<std::vector<AuditEntry>> SearchAudit(const AuditQuery& a) override {
    std::string sql =
        "SELECT id, at, actor, action, subject_type, subject_id, territory_code, detail "
        "FROM audit_log WHERE 1 = 1";
    if (!a.territories.empty()) {
      sql += " AND territory_code IN (";
      for (std::size_t i = 0; i < a.territories.size(); ++i) sql += i ? ",?" : "?";
      sql += ")";
    }
    if (a.actor) sql += " AND actor = ?";
    if (a.subject_type) sql += " AND subject_type = ?";
    if (a.subject_id) sql += " AND subject_id = ?";
    if (a.from) sql += " AND at >= ?";
    if (a.until) sql += " AND at < ?";
    if (a.before_id) sql += " AND id < ?";
    if (a.after_id) sql += " AND id > ?";
    sql += a.oldest_first ? " ORDER BY id LIMIT ?" : " ORDER BY id DESC LIMIT ?";
    Stmt q(c_, sql);  // dynamic SQL: not cached
    for (const auto& t : a.territories) q.Bind(t);
    for (const auto* v : {&a.actor, &a.subject_type, &a.subject_id}) {
      if (*v) q.Bind(**v);
    }
    for (const auto* v : {&a.from, &a.until, &a.before_id, &a.after_id}) {
      if (*v) q.Bind(**v);
    }
    q.Bind(static_cast<std::int64_t>(a.limit));
    return AuditRows(q);
  }

 private:
  Status WriteTerritories(const UserRecord& u) {
    {
      Stmt d(c_, kDeleteUserTerritories);
      d.Bind(u.id);
      PARCOURS_RETURN_IF_ERROR(Note(d.Run()));
    }
    for (const auto& t : u.territories) {
      Stmt q(c_, kInsertUserTerritory);
      q.Bind(u.id).Bind(t);
      PARCOURS_RETURN_IF_ERROR(Note(q.Run()));
    }
    return Status::Ok();
  }

  Result<std::optional<UserRecord>> FindOneUser(const char* sql, std::string_view key) {
    Stmt q(c_, sql);
    q.Bind(key);
    return FindOne(q, ReadUser);
  }
};

}  // namespace

std::unique_ptr<AccountRepository> MakeSqliteAccounts(Conn& c, Status* first_error) {
  return std::make_unique<SqliteAccounts>(c, first_error);
}

}  // namespace parcours::storage::sqlite_internal
