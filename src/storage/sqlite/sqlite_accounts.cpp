#include "storage/sqlite/sqlite_accounts.h"

#include <sqlite3.h>

#include "storage/directory_repository.h"
#include "storage/sqlite/sqlite_internal.h"

namespace parcours::storage::sqlite_internal {
namespace {

using namespace row_codec;  // NOLINT(google-build-using-namespace): the readers and binders

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

class SqliteAccounts : public AccountRepository, private TxnStatements {
 public:
  SqliteAccounts(Conn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Status InsertUser(const UserRecord& u) override {
    Stmt q(c_, kInsertUser);
    BindUserFields(q.Bind(u.id), u).Bind(u.created_at).Bind(u.updated_at).Bind(u.last_login_at);
    PARCOURS_RETURN_IF_ERROR(Write(q));
    return WriteTerritories(u);
  }

  Status UpdateUser(const UserRecord& u) override {
    Stmt q(c_, kUpdateUser);
    BindUserFields(q, u).Bind(u.updated_at).Bind(u.last_login_at).Bind(u.id);
    PARCOURS_RETURN_IF_ERROR(WriteOne(q, "no user " + u.id));
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
    return All(q, ReadUser<const Stmt>);
  }

  Result<std::int64_t> CountActiveUsers(std::string_view territory,
                                        const std::vector<std::string>& roles) override {
    Stmt q(c_, kCountActive);
    q.Bind(territory).Bind(EncodeList(roles));
    return One(
        q, [](const Stmt& r) { return r.Int(0); }, "count returned no row");
  }

  Status InsertSession(const SessionRecord& s) override {
    Stmt q(c_, kInsertSession);
    BindSession(q, s);
    return Write(q);
  }

  Result<std::optional<SessionRecord>> FindSession(std::string_view hash) override {
    Stmt q(c_, kFindSession);
    q.Bind(hash);
    return FindOne(q, ReadSession<const Stmt>);
  }

  Status TouchSession(std::string_view hash, domain::TimestampMs at) override {
    Stmt q(c_, kTouchSession);
    q.Bind(at).Bind(hash);
    return WriteOne(q, "no such session");
  }

  Status DeleteSession(std::string_view hash) override {
    Stmt q(c_, kDeleteSession);
    q.Bind(hash);
    return Write(q);
  }

  Result<std::int64_t> DeleteUserSessions(std::string_view user_id) override {
    Stmt q(c_, kDeleteUserSessions);
    q.Bind(user_id);
    return WriteCount(q);
  }

  Result<std::int64_t> DeleteExpiredSessions(domain::TimestampMs now,
                                             domain::TimestampMs idle_before) override {
    Stmt q(c_, kDeleteExpired);
    q.Bind(now).Bind(idle_before);
    return WriteCount(q);
  }

  Result<LoginThrottleRecord> AddLoginFailure(std::string_view key,
                                              domain::TimestampMs at) override {
    Stmt q(c_, kAddFailure);
    q.Bind(key).Bind(at);
    return One(q, ReadThrottle<const Stmt>, "upsert returned no row");
  }

  Result<std::optional<LoginThrottleRecord>> FindLoginThrottle(std::string_view key) override {
    Stmt q(c_, kFindThrottle);
    q.Bind(key);
    return FindOne(q, ReadThrottle<const Stmt>);
  }

  Status LockLogin(std::string_view key, domain::TimestampMs until, int lockouts) override {
    Stmt q(c_, kLockLogin);
    q.Bind(until).Bind(lockouts).Bind(key);
    return WriteOne(q, "no login throttle row");
  }

  Status ClearLoginThrottle(std::string_view key) override {
    Stmt q(c_, kClearThrottle);
    q.Bind(key);
    return Write(q);
  }

  Status InsertAccountToken(const AccountTokenRecord& t) override {
    Stmt q(c_, kInsertToken);
    BindToken(q, t);
    return Write(q);
  }

  Result<std::optional<AccountTokenRecord>> FindAccountToken(std::string_view hash) override {
    Stmt q(c_, kFindToken);
    q.Bind(hash);
    return FindOne(q, ReadToken<const Stmt>);
  }

  Status UseAccountToken(std::string_view hash, domain::TimestampMs at) override {
    Stmt q(c_, kUseToken);
    q.Bind(at).Bind(hash);
    return WriteGuarded(q, kTokenExists, hash, "link already used", "no such link");
  }

  Result<std::int64_t> RevokeAccountTokens(std::string_view user_id,
                                           domain::TimestampMs at) override {
    Stmt q(c_, kRevokeTokens);
    q.Bind(at).Bind(user_id);
    return WriteCount(q);
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
      PARCOURS_RETURN_IF_ERROR(Write(d));
    }
    for (const auto& t : u.territories) {
      Stmt q(c_, kInsertUserTerritory);
      q.Bind(u.id).Bind(t);
      PARCOURS_RETURN_IF_ERROR(Write(q));
    }
    return Status::Ok();
  }

  Result<std::optional<UserRecord>> FindOneUser(const char* sql, std::string_view key) {
    Stmt q(c_, sql);
    q.Bind(key);
    return FindOne(q, ReadUser<const Stmt>);
  }
};

}  // namespace

std::unique_ptr<AccountRepository> MakeSqliteAccounts(Conn& c, Status* first_error) {
  return std::make_unique<SqliteAccounts>(c, first_error);
}

}  // namespace parcours::storage::sqlite_internal
