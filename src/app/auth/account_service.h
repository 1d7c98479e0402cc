// Accounts of professionals: creation (command line), invitations and
// password resets by one-time links, enabling and disabling, lists, and the
// audit-log search. Every web use case takes the acting Principal and
// checks its access rule (app/auth/access_rules.h) before reading anything;
// a record outside the principal's territories is kNotFound. Every read or
// change of an account is written to the audit log in the same transaction.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/seams.h"
#include "core/status.h"
#include "domain/access/access.h"
#include "storage/account_repository.h"

namespace parcours::app {

class AuthService;
struct NewSession;

// What a new account is made of (CLI and invitations). Field names in
// errors: email, name, role, territory, phone.
struct NewAccount {
  std::string email;
  std::string name;
  std::string role;
  std::vector<std::string> territories;
  std::vector<std::string> sub_territories;
  std::optional<std::string> phone;
};

struct CreatedAccount {
  storage::UserRecord user;
  std::string totp_uri;
};

// A one-time link just made: the token is shown once, only its hash is kept.
struct OneTimeLink {
  std::string token;
  std::string purpose;  // "invitation" or "reset"
  std::string user_id;
  domain::TimestampMs expires_at = 0;
  // Also e-mailed to the account (SetMailLinks), through the outbox.
  bool emailed = false;
};

// What the link page shows before anything happens.
struct LinkInfo {
  std::string purpose;
  std::string email;
  std::string name;
};

// One account as a list shows it (no secret).
struct AccountSummary {
  std::string id;
  std::string email;
  std::string name;
  std::string role;
  std::vector<std::string> territories;
  std::optional<std::string> phone;
  bool disabled = false;
  bool enrolled = false;  // has a password and an enrolled second factor
  std::optional<domain::TimestampMs> last_login_at;
};

struct AuditSearch {
  std::optional<std::string> territory;
  std::optional<std::string> actor;
  std::optional<std::string> subject_id;
  std::optional<domain::TimestampMs> from;
  std::optional<domain::TimestampMs> until;
  std::optional<std::int64_t> before_id;
  int limit = 50;
};

class AccountService {
 public:
  static constexpr std::chrono::hours kLinkValidity{72};

  // known_territories: the territory codes of data/territories (others are
  // refused). All borrowed; they must outlive the service.
  AccountService(storage::Storage& storage, const Clock& clock, Random& random,
                 const Sealer& sealer, PasswordHasher& hasher, AuthService& auth,
                 std::vector<std::string> known_territories);

  // --- command line (the operator is trusted; actor "cli:<user>") --------
  // Creates an account; password empty = none yet (a reset link sets it).
  Result<CreatedAccount> CreateAccount(const NewAccount& a, std::string_view password,
                                       std::string_view actor);
  Status SetDisabled(std::string_view email, bool disabled, std::string_view actor);
  Result<OneTimeLink> ResetPasswordByEmail(std::string_view email, std::string_view actor);
  // New secret, enrolment again at next login; returns the new otpauth URI.
  Result<std::string> ResetTotp(std::string_view email, std::string_view actor);
  Result<std::vector<AccountSummary>> ListAll(std::string_view actor);
  // Every audit entry with id > after_id, oldest first, in pages (export).
  Result<std::vector<storage::AuditEntry>> AuditPage(std::int64_t after_id, int limit);
  Status RecordExport(std::string_view actor, std::int64_t rows);

  // --- web (principal checked against access_rules.h) --------------------
  Result<std::vector<AccountSummary>> List(const domain::Principal& p);
  Result<AccountSummary> Get(const domain::Principal& p, std::string_view user_id);
  Result<OneTimeLink> Invite(const domain::Principal& p, const NewAccount& a);
  Result<OneTimeLink> ResetPassword(const domain::Principal& p, std::string_view user_id);
  Result<std::vector<storage::AuditEntry>> SearchAudit(const domain::Principal& p,
                                                       const AuditSearch& q);

  // --- one-time links (anonymous: the token is the credential) ----------
  // kNotFound for an unknown, used or expired link (the same answer).
  Result<LinkInfo> OpenLink(std::string_view token);
  // Sets the password (checked, field "password"; confirm must match, field
  // "password_confirm"). An invitation then opens an enrolment session (new
  // TOTP secret, QR code next); a reset returns no session (log in next).
  Result<std::optional<NewSession>> AcceptLink(std::string_view token, std::string_view password,
                                               std::string_view confirm);

  const std::vector<std::string>& known_territories() const { return known_territories_; }

  // Invitation and reset links are also e-mailed to the account, through
  // the outbox in the link's transaction (issue 12), when e-mail is on;
  // on_enqueued runs after such a transaction (the scheduler's Nudge).
  void SetMailLinks(bool on, std::function<void()> on_enqueued = {}) {
    mail_links_ = on;
    on_mail_enqueued_ = std::move(on_enqueued);
  }

 private:
  Result<storage::UserRecord> Validate(const NewAccount& a) const;
  Result<OneTimeLink> MakeLink(storage::Transaction& tx, const storage::UserRecord& u,
                               std::string_view purpose, std::string_view actor,
                               domain::TimestampMs now);

  bool mail_links_ = false;
  std::function<void()> on_mail_enqueued_;
  storage::Storage& storage_;
  const Clock& clock_;
  Random& random_;
  const Sealer& sealer_;
  PasswordHasher& hasher_;
  AuthService& auth_;
  std::vector<std::string> known_territories_;
};

AccountSummary SummaryOf(const storage::UserRecord& u);

}  // namespace parcours::app
