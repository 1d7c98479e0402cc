#include "storage/postgres/postgres_accounts.h"

#include "storage/directory_repository.h"
#include "storage/postgres/postgres_internal.h"

namespace parcours::storage::postgres_internal {
namespace {

#define PARCOURS_USER_COLS                                                                   \
  "id, email, name, role, territories, sub_territories, phone, password_hash, totp_sealed, " \
  "totp_enrolled, totp_last_step, disabled, created_at, updated_at, last_login_at"
#define PARCOURS_SESSION_COLS \
  "token_hash, user_id, stage, csrf_token, created_at, last_seen_at, expires_at"
#define PARCOURS_THROTTLE_COLS "key, failures, lockouts, locked_until, last_failure_at"
#define PARCOURS_TOKEN_COLS \
  "token_hash, user_id, purpose, created_by, created_at, expires_at, used_at"

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

std::int64_t Affected(const PgResult& r) {
  std::string_view n(PQcmdTuples(r.get()));
  std::int64_t v = 0;
  std::from_chars(n.data(), n.data() + n.size(), v);
  return v;
}

class PostgresAccounts : public AccountRepository, private TxnStatements {
 public:
  PostgresAccounts(PgConn& c, Status* first_error) : TxnStatements(c, first_error) {}

  Status InsertUser(const UserRecord& u) override {
    Params p;
    p.Text(u.id)
        .Text(u.email)
        .Text(u.name)
        .Text(u.role)
        .Text(EncodeList(u.territories))
        .Text(EncodeList(u.sub_territories))
        .OptText(u.phone)
        .Text(u.password_hash)
        .Bytes(u.totp_sealed)
        .Bool(u.totp_enrolled)
        .Int(u.totp_last_step)
        .Bool(u.disabled)
        .Int(u.created_at)
        .Int(u.updated_at)
        .OptInt64(u.last_login_at);
    auto r = Run(kInsertUser, p);
    if (!r.ok()) return r.status();
    return WriteTerritories(u);
  }

  Status UpdateUser(const UserRecord& u) override {
    Params p;
    p.Text(u.email)
        .Text(u.name)
        .Text(u.role)
        .Text(EncodeList(u.territories))
        .Text(EncodeList(u.sub_territories))
        .OptText(u.phone)
        .Text(u.password_hash)
        .Bytes(u.totp_sealed)
        .Bool(u.totp_enrolled)
        .Int(u.totp_last_step)
        .Bool(u.disabled)
        .Int(u.updated_at)
        .OptInt64(u.last_login_at)
        .Text(u.id);
    auto r = Run(kUpdateUser, p);
    if (!r.ok()) return r.status();
    if (Affected(*r) == 0) return Status::NotFound("no user " + u.id);
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
    auto r = Run(kListUsers, p);
    if (!r.ok()) return r.status();
    Rows q(r->get());
    std::vector<UserRecord> out;
    out.reserve(static_cast<std::size_t>(q.size()));
    for (int i = 0; i < q.size(); ++i) out.push_back(ReadUser(q, i));
    if (q.corrupt()) return Track(Status::Internal("corrupt row in users"));
    return out;
  }

  Result<std::int64_t> CountActiveUsers(std::string_view territory,
                                        const std::vector<std::string>& roles) override {
    auto r = Run(kCountActive, Params().Text(territory).Text(EncodeList(roles)));
    if (!r.ok()) return r.status();
    Rows q(r->get());
    std::int64_t n = q.Int(0, 0);
    if (q.corrupt()) return Track(Status::Internal("bad count"));
    return n;
  }

  Status InsertSession(const SessionRecord& s) override {
    Params p;
    p.Text(s.token_hash)
        .Text(s.user_id)
        .Text(s.stage)
        .Text(s.csrf_token)
        .Int(s.created_at)
        .Int(s.last_seen_at)
        .Int(s.expires_at);
    return Exec(kInsertSession, p);
  }

  Result<std::optional<SessionRecord>> FindSession(std::string_view hash) override {
    return FindOne(
        kFindSession, Params().Text(hash),
        [](Rows& q, int i) {
          return SessionRecord{q.Text(i, 0), q.Text(i, 1), q.Text(i, 2), q.Text(i, 3),
                               q.Int(i, 4),  q.Int(i, 5),  q.Int(i, 6)};
        },
        "sessions");
  }

  Status TouchSession(std::string_view hash, domain::TimestampMs at) override {
    auto r = Run(kTouchSession, Params().Int(at).Text(hash));
    if (!r.ok()) return r.status();
    if (Affected(*r) == 0) return Status::NotFound("no such session");
    return Status::Ok();
  }

  Status DeleteSession(std::string_view hash) override {
    return Exec(kDeleteSession, Params().Text(hash));
  }

  Result<std::int64_t> DeleteUserSessions(std::string_view user_id) override {
    auto r = Run(kDeleteUserSessions, Params().Text(user_id));
    if (!r.ok()) return r.status();
    return Affected(*r);
  }

  Result<std::int64_t> DeleteExpiredSessions(domain::TimestampMs now,
                                             domain::TimestampMs idle_before) override {
    auto r = Run(kDeleteExpired, Params().Int(now).Int(idle_before));
    if (!r.ok()) return r.status();
    return Affected(*r);
  }

  Result<LoginThrottleRecord> AddLoginFailure(std::string_view key,
                                              domain::TimestampMs at) override {
    auto r = Run(kAddFailure, Params().Text(key).Int(at));
    if (!r.ok()) return r.status();
    Rows q(r->get());
    if (q.size() != 1) return Track(Status::Internal("upsert returned no row"));
    auto t = ReadThrottle(q, 0);
    if (q.corrupt()) return Track(Status::Internal("corrupt row in login_throttle"));
    return t;
  }

  Result<std::optional<LoginThrottleRecord>> FindLoginThrottle(std::string_view key) override {
    return FindOne(kFindThrottle, Params().Text(key), ReadThrottle, "login_throttle");
  }

  Status LockLogin(std::string_view key, domain::TimestampMs until, int lockouts) override {
    auto r = Run(kLockLogin, Params().Int(until).Int(lockouts).Text(key));
    if (!r.ok()) return r.status();
    if (Affected(*r) == 0) return Status::NotFound("no login throttle row");
    return Status::Ok();
  }

  Status ClearLoginThrottle(std::string_view key) override {
    return Exec(kClearThrottle, Params().Text(key));
  }

  Status InsertAccountToken(const AccountTokenRecord& t) override {
    Params p;
    p.Text(t.token_hash)
        .Text(t.user_id)
        .Text(t.purpose)
        .Text(t.created_by)
        .Int(t.created_at)
        .Int(t.expires_at)
        .OptInt64(t.used_at);
    return Exec(kInsertToken, p);
  }

  Result<std::optional<AccountTokenRecord>> FindAccountToken(std::string_view hash) override {
    return FindOne(
        kFindToken, Params().Text(hash),
        [](Rows& q, int i) {
          return AccountTokenRecord{q.Text(i, 0), q.Text(i, 1), q.Text(i, 2),    q.Text(i, 3),
                                    q.Int(i, 4),  q.Int(i, 5),  q.OptInt64(i, 6)};
        },
        "account_tokens");
  }

  Status UseAccountToken(std::string_view hash, domain::TimestampMs at) override {
    auto r = Run(kUseToken, Params().Int(at).Text(hash));
    if (!r.ok()) return r.status();
    if (Affected(*r) == 1) return Status::Ok();
    auto e = Run(kTokenExists, Params().Text(hash));
    if (!e.ok()) return e.status();
    return PQntuples(e->get()) > 0 ? Status::Conflict("link already used")
                                   : Status::NotFound("no such link");
  }

  Result<std::int64_t> RevokeAccountTokens(std::string_view user_id,
                                           domain::TimestampMs at) override {
    auto r = Run(kRevokeTokens, Params().Int(at).Text(user_id));
    if (!r.ok()) return r.status();
    return Affected(*r);
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
    auto d = Run(kDeleteUserTerritories, Params().Text(u.id));
    if (!d.ok()) return d.status();
    return Exec(kInsertUserTerritories, Params().Text(u.id).Text(EncodeList(u.territories)));
  }

  static UserRecord ReadUser(Rows& q, int i) {
    UserRecord u;
    u.id = q.Text(i, 0);
    u.email = q.Text(i, 1);
    u.name = q.Text(i, 2);
    u.role = q.Text(i, 3);
    u.territories = DecodeList(q.Text(i, 4));
    u.sub_territories = DecodeList(q.Text(i, 5));
    u.phone = q.OptText(i, 6);
    u.password_hash = q.Text(i, 7);
    u.totp_sealed = q.Bytes(i, 8);
    u.totp_enrolled = q.Bool(i, 9);
    u.totp_last_step = q.Int(i, 10);
    u.disabled = q.Bool(i, 11);
    u.created_at = q.Int(i, 12);
    u.updated_at = q.Int(i, 13);
    u.last_login_at = q.OptInt64(i, 14);
    return u;
  }

  static LoginThrottleRecord ReadThrottle(Rows& q, int i) {
    return LoginThrottleRecord{q.Text(i, 0), static_cast<int>(q.Int(i, 1)),
                               static_cast<int>(q.Int(i, 2)), q.Int(i, 3), q.Int(i, 4)};
  }

  Result<std::optional<UserRecord>> FindOneUser(const StatementDef& st, std::string_view key) {
    return FindOne(st, Params().Text(key), ReadUser, "users");
  }
};

}  // namespace

std::unique_ptr<AccountRepository> MakePostgresAccounts(PgConn& c, Status* first_error) {
  return std::make_unique<PostgresAccounts>(c, first_error);
}

}  // namespace parcours::storage::postgres_internal
