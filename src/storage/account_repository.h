// AccountRepository: professionals' accounts, their server-side sessions,
// login throttling, one-time invitation / reset tokens, and the search of
// the audit log. Reached from a Transaction (Transaction::accounts()), so it
// shares that transaction's atomicity.
//
// Contract (both backends, tests/storage/account_conformance_test.cpp):
// - Ids are opaque random strings given by the caller (app::NewId), never
//   sequential. E-mail addresses are unique (compared as stored: the caller
//   lower-cases them); a duplicate is kConflict.
// - Secrets are never stored in the clear: sessions and one-time tokens are
//   kept by a hash of their value (the caller hashes), passwords as an
//   argon2id string, TOTP secrets sealed (app::Sealer).
// - Updates of a missing row are kNotFound.
// - Lists are in a stable order given per method.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/common/types.h"
#include "storage/records.h"

namespace parcours::storage {

struct UserRecord {
  std::string id;
  std::string email;  // lower-case
  std::string name;
  std::string role;                          // domain::Role identifier
  std::vector<std::string> territories;      // sorted, unique; empty = every territory
  std::vector<std::string> sub_territories;  // sorted, unique; optional narrowing
  std::optional<std::string> phone;
  std::string password_hash;               // argon2id string; "" = not set yet
  std::vector<unsigned char> totp_sealed;  // sealed base32-free raw secret; may be empty
  bool totp_enrolled = false;              // a first code was verified
  std::int64_t totp_last_step = 0;         // last accepted time step (replay guard)
  bool disabled = false;
  domain::TimestampMs created_at = 0;
  domain::TimestampMs updated_at = 0;
  std::optional<domain::TimestampMs> last_login_at;

  bool operator==(const UserRecord&) const = default;
};

struct SessionRecord {
  std::string token_hash;  // hex hash of the cookie value
  std::string user_id;
  std::string stage;       // "full" or "enrolment" (password checked, TOTP to enrol)
  std::string csrf_token;  // echoed by forms and X-CSRF-Token
  domain::TimestampMs created_at = 0;
  domain::TimestampMs last_seen_at = 0;
  domain::TimestampMs expires_at = 0;  // absolute limit

  bool operator==(const SessionRecord&) const = default;
};

// Consecutive login failures of one account key (the e-mail as typed,
// lower-case, known or not, so an unknown address is throttled alike).
struct LoginThrottleRecord {
  std::string key;
  int failures = 0;  // consecutive, reset by a success
  int lockouts = 0;  // locks since the last success (back-off)
  domain::TimestampMs locked_until = 0;
  domain::TimestampMs last_failure_at = 0;

  bool operator==(const LoginThrottleRecord&) const = default;
};

// A one-time link: an invitation (sets a first password and TOTP) or a
// password reset.
struct AccountTokenRecord {
  std::string token_hash;
  std::string user_id;
  std::string purpose;     // "invitation" or "reset"
  std::string created_by;  // account id or "cli:<user>"
  domain::TimestampMs created_at = 0;
  domain::TimestampMs expires_at = 0;
  std::optional<domain::TimestampMs> used_at;

  bool operator==(const AccountTokenRecord&) const = default;
};

// Which users a list returns: every set criterion must hold.
struct UserFilter {
  // Users having at least one of these territories (national-scope users,
  // who have none, are not among them); empty = all users.
  std::vector<std::string> territories;
  std::optional<std::string> role;
  bool active_only = false;
};

// Which audit entries a search returns: every set criterion must hold.
struct AuditQuery {
  std::vector<std::string> territories;  // empty = every territory
  std::optional<std::string> actor;
  std::optional<std::string> subject_type;
  std::optional<std::string> subject_id;
  std::optional<domain::TimestampMs> from;   // at >= from
  std::optional<domain::TimestampMs> until;  // at < until
  std::optional<std::int64_t> before_id;     // id < before_id (paging, newest first)
  std::optional<std::int64_t> after_id;      // id > after_id (export, oldest first)
  bool oldest_first = false;
  int limit = 100;
};

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;

  // --- users --------------------------------------------------------------
  virtual Status InsertUser(const UserRecord& u) = 0;
  // Replaces every field of row u.id (created_at kept).
  virtual Status UpdateUser(const UserRecord& u) = 0;
  virtual Result<std::optional<UserRecord>> FindUser(std::string_view id) = 0;
  virtual Result<std::optional<UserRecord>> FindUserByEmail(std::string_view email) = 0;
  // By e-mail.
  virtual Result<std::vector<UserRecord>> ListUsers(const UserFilter& filter) = 0;
  // Active (not disabled) accounts of the territory with one of the roles.
  virtual Result<std::int64_t> CountActiveUsers(std::string_view territory_code,
                                                const std::vector<std::string>& roles) = 0;

  // --- sessions -----------------------------------------------------------
  virtual Status InsertSession(const SessionRecord& s) = 0;
  virtual Result<std::optional<SessionRecord>> FindSession(std::string_view token_hash) = 0;
  // Sets last_seen_at; kNotFound when the session is gone.
  virtual Status TouchSession(std::string_view token_hash, domain::TimestampMs at) = 0;
  // Missing sessions are not an error.
  virtual Status DeleteSession(std::string_view token_hash) = 0;
  // Every session of the user (disable, password or TOTP reset); returns how many.
  virtual Result<std::int64_t> DeleteUserSessions(std::string_view user_id) = 0;
  // Sessions whose absolute limit passed or idle since before idle_before.
  virtual Result<std::int64_t> DeleteExpiredSessions(domain::TimestampMs now,
                                                     domain::TimestampMs idle_before) = 0;

  // --- login throttling ---------------------------------------------------
  // Atomically adds one failure at `at` (creating the row) and returns the row.
  virtual Result<LoginThrottleRecord> AddLoginFailure(std::string_view key,
                                                      domain::TimestampMs at) = 0;
  virtual Result<std::optional<LoginThrottleRecord>> FindLoginThrottle(std::string_view key) = 0;
  // Sets the lock of an existing row (kNotFound otherwise).
  virtual Status LockLogin(std::string_view key, domain::TimestampMs until, int lockouts) = 0;
  virtual Status ClearLoginThrottle(std::string_view key) = 0;

  // --- one-time tokens ----------------------------------------------------
  virtual Status InsertAccountToken(const AccountTokenRecord& t) = 0;
  virtual Result<std::optional<AccountTokenRecord>> FindAccountToken(
      std::string_view token_hash) = 0;
  // Marks an unused token used; kConflict if it was already used (single
  // use even under concurrent requests), kNotFound if absent.
  virtual Status UseAccountToken(std::string_view token_hash, domain::TimestampMs at) = 0;
  // Marks every unused token of the user used at `at` (a newer link
  // replaces older ones); returns how many.
  virtual Result<std::int64_t> RevokeAccountTokens(std::string_view user_id,
                                                   domain::TimestampMs at) = 0;

  // --- audit log search -----------------------------------------------------
  // Newest first (or oldest first when query.oldest_first), at most limit.
  virtual Result<std::vector<AuditEntry>> SearchAudit(const AuditQuery& query) = 0;
};

}  // namespace parcours::storage
