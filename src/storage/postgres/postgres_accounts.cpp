#include "storage/postgres/postgres_accounts.h"

#include "storage/directory_repository.h"
#include "storage/postgres/postgres_internal.h"

namespace parcours::storage::postgres_internal {
namespace {

using namespace row_codec;  // NOLINT(google-build-using-namespace): the readers and binders

constexpr StatementDef kInsertUser{"parcours_acc_insert_user",
                                   "INSERT INTO users (" PARCOURS_USER_COLS
                                   ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)"};
constexpr StatementDef kUpdateUser{
    "parcours_acc_update_user",
    "UPDATE users SET email = $1, name = $2, role = $3, territories = $4, sub_territories = $5, "
    "phone = $6, password_hash = $7, totp_sealed = $8, totp_enrolled = $9, totp_last_step = $10, "
    "disabled = $11, updated_at = $12, last_login_at = $13 WHERE id = $14"};
constexpr StatementDef kDeleteUserTerritories{"parcours_acc_delete_user_territories",
                                              "DELETE FROM user_territories WHERE user_id = $1"};
constexpr StatementDef kInsertUserTerritories{
    "parcours_acc_insert_user_territories",
    "INSERT INTO user_territories (user_id, territory_code) "
    "SELECT DISTINCT $1::text, t FROM unnest(string_to_array(NULLIF($2::text, ''), ',')) AS t"};
constexpr StatementDef kFindUser{"parcours_acc_find_user",
                                 "SELECT " PARCOURS_USER_COLS " FROM users WHERE id = $1"};
constexpr StatementDef kFindUserByEmail{
    "parcours_acc_find_user_by_email", "SELECT " PARCOURS_USER_COLS " FROM users WHERE email = $1"};
// $1: comma-separated territories or NULL; $2: role or NULL; $3: active only.
constexpr StatementDef kListUsers{
    "parcours_acc_list_users",
    "SELECT " PARCOURS_USER_COLS
    " FROM users u WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM user_territories t "
    "WHERE t.user_id = u.id AND t.territory_code = ANY (string_to_array($1, ',')))) "
    "AND ($2::text IS NULL OR u.role = $2) AND (NOT $3::boolean OR NOT u.disabled) "
    "ORDER BY u.email COLLATE \"C\", u.id COLLATE \"C\""};
constexpr StatementDef kCountActive{
    "parcours_acc_count_active",
    "SELECT count(*) FROM users u JOIN user_territories t ON t.user_id = u.id "
    "WHERE t.territory_code = $1 AND NOT u.disabled AND u.role = ANY (string_to_array($2, ','))"};

constexpr StatementDef kInsertSession{"parcours_acc_insert_session",
                                      "INSERT INTO sessions (" PARCOURS_SESSION_COLS
                                      ") VALUES ($1,$2,$3,$4,$5,$6,$7)"};
constexpr StatementDef kFindSession{"parcours_acc_find_session",
                                    "SELECT " PARCOURS_SESSION_COLS
                                    " FROM sessions WHERE token_hash = $1"};
constexpr StatementDef kTouchSession{"parcours_acc_touch_session",
                                     "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2"};
constexpr StatementDef kDeleteSession{"parcours_acc_delete_session",
                                      "DELETE FROM sessions WHERE token_hash = $1"};
constexpr StatementDef kDeleteUserSessions{"parcours_acc_delete_user_sessions",
                                           "DELETE FROM sessions WHERE user_id = $1"};
constexpr StatementDef kDeleteExpired{
    "parcours_acc_delete_expired",
    "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at < $2"};

constexpr StatementDef kAddFailure{"parcours_acc_add_failure",
                                   "INSERT INTO login_throttle (" PARCOURS_THROTTLE_COLS
                                   ") VALUES ($1, 1, 0, 0, $2) ON CONFLICT (key) DO UPDATE SET "
                                   "failures = login_throttle.failures + 1, last_failure_at = $2 "
                                   "RETURNING " PARCOURS_THROTTLE_COLS};
constexpr StatementDef kFindThrottle{"parcours_acc_find_throttle",
                                     "SELECT " PARCOURS_THROTTLE_COLS
                                     " FROM login_throttle WHERE key = $1"};
constexpr StatementDef kLockLogin{
    "parcours_acc_lock_login",
    "UPDATE login_throttle SET locked_until = $1, lockouts = $2 WHERE key = $3"};
constexpr StatementDef kClearThrottle{"parcours_acc_clear_throttle",
                                      "DELETE FROM login_throttle WHERE key = $1"};

constexpr StatementDef kInsertToken{"parcours_acc_insert_token",
                                    "INSERT INTO account_tokens (" PARCOURS_TOKEN_COLS
                                    ") VALUES ($1,$2,$3,$4,$5,$6,$7)"};
constexpr StatementDef kFindToken{"parcours_acc_find_token",
                                  "SELECT " PARCOURS_TOKEN_COLS
                                  " FROM account_tokens WHERE token_hash = $1"};
constexpr StatementDef kUseToken{
    "parcours_acc_use_token",
    "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL"};
constexpr StatementDef kTokenExists{"parcours_acc_token_exists",
                                    "SELECT 1 FROM account_tokens WHERE token_hash = $1"};
constexpr StatementDef kRevokeTokens{
    "parcours_acc_revoke_tokens",
    "UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL"};

// Every criterion is a parameter that may be NULL (not applied).
constexpr StatementDef kSearchAudit{
    "parcours_acc_search_audit",
    "SELECT id, at, actor, action, subject_type, subject_id, territory_code, detail "
    "FROM audit_log WHERE ($1::text IS NULL OR territory_code = ANY (string_to_array($1, ','))) "
    "AND ($2::text IS NULL OR actor = $2) AND ($3::text IS NULL OR subject_type = $3) "
    "AND ($4::text IS NULL OR subject_id = $4) AND ($5::bigint IS NULL OR at >= $5) "
    "AND ($6::bigint IS NULL OR at < $6) AND ($7::bigint IS NULL OR id < $7) "
    "AND ($8::bigint IS NULL OR id > $8) "
    "ORDER BY CASE WHEN $9::boolean THEN id ELSE -id END LIMIT $10"};

class PostgresAccounts : public AccountRepository, private TxnStatements {
 public:
  PostgresAccounts(PgConn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Status InsertUser(const UserRecord& u) override {
    Params p;
    BindUserFields(p.Bind(u.id), u).Bind(u.created_at).Bind(u.updated_at).Bind(u.last_login_at);
    PARCOURS_RETURN_IF_ERROR(Exec(kInsertUser, p));
    return WriteTerritories(u);
  }

  Status UpdateUser(const UserRecord& u) override {
    Params p;
    BindUserFields(p, u).Bind(u.updated_at).Bind(u.last_login_at).Bind(u.id);
    PARCOURS_RETURN_IF_ERROR(ExecOne(kUpdateUser, p, "no user " + u.id));
    return WriteTerritories(u);
  }

  Result<std::optional<UserRecord>> FindUser(std::string_view id) override {
    return FindOneUser(kFindUser, id);
  }

  Result<std::optional<UserRecord>> FindUserByEmail(std::string_view email) override {
    return FindOneUser(kFindUserByEmail, email);
  }

  Result<std::vector<UserRecord>> ListUsers(const UserFilter& f) override {
    Params p;
    if (f.territories.empty()) {
      p.Null();
    } else {
      p.Text(EncodeList(f.territories));
    }
    p.OptText(f.role).Bool(f.active_only);
    return All(kListUsers, p, ReadUser<Row>, "users");
  }

  Result<std::int64_t> CountActiveUsers(std::string_view territory,
                                        const std::vector<std::string>& roles) override {
    return One(
        kCountActive, Params().Text(territory).Text(EncodeList(roles)),
        [](Row& q) { return q.Int(0); }, "users", "count returned no row");
  }

  Status InsertSession(const SessionRecord& s) override {
    Params p;
    return Exec(kInsertSession, BindSession(p, s));
  }

  Result<std::optional<SessionRecord>> FindSession(std::string_view hash) override {
    return FindOne(kFindSession, Params().Text(hash), ReadSession<Row>, "sessions");
  }

  Status TouchSession(std::string_view hash, domain::TimestampMs at) override {
    return ExecOne(kTouchSession, Params().Int(at).Text(hash), "no such session");
  }

  Status DeleteSession(std::string_view hash) override {
    return Exec(kDeleteSession, Params().Text(hash));
  }

  Result<std::int64_t> DeleteUserSessions(std::string_view user_id) override {
    return ExecCount(kDeleteUserSessions, Params().Text(user_id));
  }

  Result<std::int64_t> DeleteExpiredSessions(domain::TimestampMs now,
                                             domain::TimestampMs idle_before) override {
    return ExecCount(kDeleteExpired, Params().Int(now).Int(idle_before));
  }

  Result<LoginThrottleRecord> AddLoginFailure(std::string_view key,
                                              domain::TimestampMs at) override {
    return One(kAddFailure, Params().Text(key).Int(at), ReadThrottle<Row>, "login_throttle",
               "upsert returned no row");
  }

  Result<std::optional<LoginThrottleRecord>> FindLoginThrottle(std::string_view key) override {
    return FindOne(kFindThrottle, Params().Text(key), ReadThrottle<Row>, "login_throttle");
  }

  Status LockLogin(std::string_view key, domain::TimestampMs until, int lockouts) override {
    return ExecOne(kLockLogin, Params().Int(until).Int(lockouts).Text(key),
                   "no login throttle row");
  }

  Status ClearLoginThrottle(std::string_view key) override {
    return Exec(kClearThrottle, Params().Text(key));
  }

  Status InsertAccountToken(const AccountTokenRecord& t) override {
    Params p;
    return Exec(kInsertToken, BindToken(p, t));
  }

  Result<std::optional<AccountTokenRecord>> FindAccountToken(std::string_view hash) override {
    return FindOne(kFindToken, Params().Text(hash), ReadToken<Row>, "account_tokens");
  }

  Status UseAccountToken(std::string_view hash, domain::TimestampMs at) override {
    return ExecGuarded(kUseToken, Params().Int(at).Text(hash), kTokenExists, hash,
                       "link already used", "no such link");
  }

  Result<std::int64_t> RevokeAccountTokens(std::string_view user_id,
                                           domain::TimestampMs at) override {
    return ExecCount(kRevokeTokens, Params().Int(at).Text(user_id));
  }

  Result<std::vector<AuditEntry>> SearchAudit(const AuditQuery& a) override {
    Params p;
    if (a.territories.empty()) {
      p.Null();
    } else {
      p.Text(EncodeList(a.territories));
    }
    p.OptText(a.actor)
        .OptText(a.subject_type)
        .OptText(a.subject_id)
        .OptInt64(a.from)
        .OptInt64(a.until)
        .OptInt64(a.before_id)
        .OptInt64(a.after_id)
        .Bool(a.oldest_first)
        .Int(a.limit);
    return AuditRows(kSearchAudit, p);
  }

 private:
  Status WriteTerritories(const UserRecord& u) {
    PARCOURS_RETURN_IF_ERROR(Exec(kDeleteUserTerritories, Params().Text(u.id)));
    return Exec(kInsertUserTerritories, Params().Text(u.id).Text(EncodeList(u.territories)));
  }

  Result<std::optional<UserRecord>> FindOneUser(const StatementDef& st, std::string_view key) {
    return FindOne(st, Params().Text(key), ReadUser<Row>, "users");
  }
};

}  // namespace

std::unique_ptr<AccountRepository> MakePostgresAccounts(PgConn& c, Status* first_error) {
  return std::make_unique<PostgresAccounts>(c, first_error);
}

}  // namespace parcours::storage::postgres_internal
