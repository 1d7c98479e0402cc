// Logging in and out, sessions, second-factor enrolment: the login seam.
//
// - Login checks the password (argon2id, bounded concurrency) and the TOTP
//   code. An account without an enrolled second factor gets an "enrolment"
//   session that opens only the enrolment step (the QR code), unless the
//   request already carries a valid code of its secret (API clients that
//   read the URI printed by `parcours user add`).
// - After kMaxFailures consecutive failures for an e-mail address (known or
//   not), attempts are refused (kTooManyRequests with retry_after_seconds)
//   for kLockBase, doubling at each new lock up to kLockMax, even with the
//   right password. A success resets the count.
// - Sessions live in the database (several instances share them), keyed by
//   a hash of the cookie value; they end after `idle` without a request and
//   after `absolute` in any case, when the account is disabled, and at logout.
// - Another identity provider (Pro Santé Connect, OpenID Connect) plugs in
//   by calling OpenSessionFor() once it has established who the user is
//   (docs/decisions.md).
//
// Thread-safe. Time comes only from the Clock seam.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/seams.h"
#include "core/status.h"
#include "domain/access/access.h"
#include "domain/common/types.h"

namespace parcours::storage {
struct UserRecord;
}  // namespace parcours::storage

namespace parcours::app {

struct AuthOptions {
  std::chrono::milliseconds idle{30 * 60 * 1000};
  std::chrono::milliseconds absolute{12 * 3600 * 1000};
  int max_failures = 5;
  std::chrono::milliseconds lock_base{60 * 1000};
  std::chrono::milliseconds lock_max{3600 * 1000};
  // last_seen_at is written at most this often (one write per minute per
  // session, not per request); idle expiry is exact to this much.
  std::chrono::milliseconds touch_every{60 * 1000};
  std::string issuer = "Parcours DPP";
};

inline constexpr const char* kStageFull = "full";
inline constexpr const char* kStageEnrolment = "enrolment";

// An open session as a request sees it.
struct SessionInfo {
  std::string token_hash;
  std::string stage;  // kStageFull or kStageEnrolment
  std::string csrf_token;
  domain::Principal principal;
  std::string email;
  std::string name;
};

// A session just opened: the cookie value is shown once, never stored.
struct NewSession {
  std::string token;
  SessionInfo info;
};

struct LoginResult {
  enum class Kind { kAuthenticated, kEnrolmentRequired, kRejected, kLocked };
  Kind kind = Kind::kRejected;
  std::optional<NewSession> session;  // kAuthenticated, kEnrolmentRequired
  int retry_after_seconds = 0;        // kLocked
};

// What the enrolment step shows.
struct EnrolmentView {
  std::string otpauth_uri;
  std::string secret_base32;  // for typing by hand
  std::string qr_svg;
};

class AuthService {
 public:
  // All borrowed; they must outlive the service.
  AuthService(storage::Storage& storage, const Clock& clock, Random& random, const Sealer& sealer,
              PasswordHasher& hasher, AuthOptions options = {});

  // kInvalidArgument only for malformed input (field "email"/"password");
  // a wrong factor is kRejected, a locked account kLocked.
  Result<LoginResult> Login(std::string_view email, std::string_view password,
                            std::string_view totp_code);

  // The session of a cookie value: kUnauthenticated when unknown, expired
  // (idle or absolute) or when its account is disabled.
  Result<SessionInfo> Authenticate(std::string_view token);

  Status Logout(std::string_view token);

  // Enrolment step of the enrolment session of a cookie value.
  Result<EnrolmentView> Enrolment(std::string_view token);
  // Checks the first code; on success the enrolment session is replaced by
  // a full one. kInvalidArgument (field "totp") for a wrong code; wrong
  // codes count as login failures (kTooManyRequests once locked).
  Result<NewSession> CompleteEnrolment(std::string_view token, std::string_view code);

  // Opens a session for an account whose identity another provider has
  // established (the Pro Santé Connect seam). stage: kStageFull or
  // kStageEnrolment.
  Result<NewSession> OpenSessionFor(const storage::UserRecord& user, std::string_view stage,
                                    std::string_view method);

  const AuthOptions& options() const { return options_; }

 private:
  Result<SessionInfo> SessionOf(const storage::UserRecord& user, std::string token_hash,
                                std::string stage, std::string csrf) const;
  Result<LoginResult> Fail(const std::string& key, const std::optional<storage::UserRecord>& user);

  storage::Storage& storage_;
  const Clock& clock_;
  Random& random_;
  const Sealer& sealer_;
  PasswordHasher& hasher_;
  const AuthOptions options_;
};

// Lower-cases ASCII letters and trims spaces; kInvalidArgument (field
// "email") when it does not look like an address.
Result<std::string> NormaliseEmail(std::string_view email);

// The principal of a stored account (role parsed; kInternal if corrupt).
Result<domain::Principal> PrincipalOf(const storage::UserRecord& user);

}  // namespace parcours::app
