#include "app/auth/account_service.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "app/auth/access_rules.h"
#include "app/auth/audit.h"
#include "app/auth/auth_service.h"
#include "app/auth/password_hasher.h"
#include "app/auth/secret_token.h"
#include "app/auth/totp.h"
#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "app/notify/outbox.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

std::string FirstTerritory(const storage::UserRecord& u) {
  return u.territories.empty() ? std::string() : u.territories.front();
}

bool ValidText(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// Roles a coordinator may give (not national scope).
bool CoordinatorMayGive(domain::Role r) { return !domain::IsNationalRole(r); }

}  // namespace

AccountSummary SummaryOf(const storage::UserRecord& u) {
  AccountSummary s;
  s.id = u.id;
  s.email = u.email;
  s.name = u.name;
  s.role = u.role;
  s.territories = u.territories;
  s.phone = u.phone;
  s.disabled = u.disabled;
  s.enrolled = !u.password_hash.empty() && u.totp_enrolled;
  s.last_login_at = u.last_login_at;
  return s;
}

AccountService::AccountService(storage::Storage& storage, const Clock& clock, Random& random,
                               const Sealer& sealer, PasswordHasher& hasher, AuthService& auth,
                               std::vector<std::string> known_territories)
    : storage_(storage),
      clock_(clock),
      random_(random),
      sealer_(sealer),
      hasher_(hasher),
      auth_(auth),
      known_territories_(std::move(known_territories)) {
  std::sort(known_territories_.begin(), known_territories_.end());
}

Result<storage::UserRecord> AccountService::Validate(const NewAccount& a) const {
  storage::UserRecord u;
  auto email = NormaliseEmail(a.email);
  if (!email.ok()) return email.status();
  u.email = *email;
  std::string name(a.name);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  while (!name.empty() && name.front() == ' ') name.erase(name.begin());
  if (!ValidText(name, 200)) return Status::InvalidArgument("name", "a name is required");
  u.name = name;
  auto role = domain::ParseRole(a.role);
  if (!role) {
    return Status::InvalidArgument(
        "role",
        "role must be responder, professional, specialised_team, coordinator, national or admin");
  }
  u.role = std::string(domain::ToString(*role));
  std::set<std::string> territories(a.territories.begin(), a.territories.end());
  for (const auto& t : territories) {
    if (!std::binary_search(known_territories_.begin(), known_territories_.end(), t)) {
      return Status::InvalidArgument("territory", "unknown territory '" + t + "'");
    }
  }
  if (domain::IsNationalRole(*role)) {
    if (!territories.empty()) {
      return Status::InvalidArgument("territory",
                                     "national and admin accounts cover every territory");
    }
  } else if (territories.empty()) {
    return Status::InvalidArgument("territory", "at least one territory is required");
  }
  u.territories.assign(territories.begin(), territories.end());
  std::set<std::string> subs(a.sub_territories.begin(), a.sub_territories.end());
  for (const auto& s : subs) {
    if (!ValidText(s, 100)) return Status::InvalidArgument("sub_territory", "invalid code");
  }
  u.sub_territories.assign(subs.begin(), subs.end());
  if (a.phone && !a.phone->empty()) {
    std::string digits;
    for (char c : *a.phone) {
      if (c == ' ' || c == '.' || c == '-') continue;
      digits += c;
    }
    bool ok = digits.size() >= 10 && digits.size() <= 16;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (!(std::isdigit(static_cast<unsigned char>(digits[i])) || (i == 0 && digits[i] == '+'))) {
        ok = false;
      }
    }
    if (!ok) return Status::InvalidArgument("phone", "not a phone number");
    u.phone = digits;
  }
  return u;
}

Result<OneTimeLink> AccountService::MakeLink(storage::Transaction& tx, const storage::UserRecord& u,
                                             std::string_view purpose, std::string_view actor,
                                             domain::TimestampMs now) {
  auto revoked = tx.accounts().RevokeAccountTokens(u.id, now);
  if (!revoked.ok()) return revoked.status();
  OneTimeLink link;
  link.token = NewSecretToken(random_);
  link.purpose = purpose;
  link.user_id = u.id;
  link.expires_at =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(kLinkValidity).count();
  PARCOURS_RETURN_IF_ERROR(
      tx.accounts().InsertAccountToken({HashSecretToken(link.token), u.id, std::string(purpose),
                                        std::string(actor), now, link.expires_at, std::nullopt}));
  PARCOURS_RETURN_IF_ERROR(WriteAudit(tx, now,
                                      {actor, purpose == "invitation" ? "invite" : "reset_password",
                                       "user", u.id, FirstTerritory(u), "one-time link, 72 h"}));
  if (mail_links_ && !u.email.empty()) {
    OutgoingMessage m;
    // One message per link (its token hash): a new link is a new message.
    m.dedupe_key = "account/" + u.id + "/" + HashSecretToken(link.token) + "/email";
    m.channel = "email";
    m.kind = std::string(purpose);
    m.territory_code = FirstTerritory(u);
    m.to = u.email;
    m.language = "fr";
    m.template_name = std::string(purpose);
    m.vars = {{"path", "/pro/lien/" + link.token}};
    PARCOURS_RETURN_IF_ERROR(EnqueueMessage(tx, sealer_, clock_, random_, m));
    link.emailed = true;
  }
  return link;
}

namespace {
// Each sub-territory an account is narrowed to must exist in one of its
// territories (`parcours subterritory set`): a typo would otherwise narrow
// it to nothing, and it would never see an alert.
Status CheckSubTerritories(storage::Transaction& tx, const storage::UserRecord& u) {
  for (const auto& code : u.sub_territories) {
    bool found = false;
    for (const auto& t : u.territories) {
      auto subs = tx.directory().ListSubTerritories(t);
      if (!subs.ok()) return subs.status();
      for (const auto& sub : *subs) found = found || sub.code == code;
    }
    if (!found) {
      return Status::InvalidArgument(
          "sub_territory", "no sub-territory '" + code + "' in the account's territories");
    }
  }
  return Status::Ok();
}
}  // namespace

Result<CreatedAccount> AccountService::CreateAccount(const NewAccount& a, std::string_view password,
                                                     std::string_view actor) {
  auto u = Validate(a);
  if (!u.ok()) return u.status();
  if (!password.empty()) {
    PARCOURS_RETURN_IF_ERROR(CheckNewPassword(password));
    auto hash = hasher_.Hash(password);
    if (!hash.ok()) return hash.status();
    u->password_hash = std::move(*hash);
  }
  const auto now = clock_.NowMs();
  u->id = NewId(clock_, random_);
  std::string secret = totp::NewSecret(random_);
  u->totp_sealed = sealer_.Seal(secret);
  u->created_at = u->updated_at = now;
  Status st = storage_.Transact([&](storage::Transaction& tx) -> Status {
    PARCOURS_RETURN_IF_ERROR(CheckSubTerritories(tx, *u));
    PARCOURS_RETURN_IF_ERROR(tx.accounts().InsertUser(*u));
    return WriteAudit(tx, now,
                      {actor, "create", "user", u->id, FirstTerritory(*u), "role " + u->role});
  });
  if (st.code() == StatusCode::kConflict) {
    return Status::InvalidArgument("email", "an account with this e-mail already exists");
  }
  if (!st.ok()) return st;
  return CreatedAccount{*u, totp::Uri(auth_.options().issuer, u->email, secret)};
}

Status AccountService::SetDisabled(std::string_view email_in, bool disabled,
                                   std::string_view actor) {
  auto email = NormaliseEmail(email_in);
  if (!email.ok()) return email.status();
  const auto now = clock_.NowMs();
  return storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto u = tx.accounts().FindUserByEmail(*email);
    if (!u.ok()) return u.status();
    if (!*u) return Status::NotFound("no account " + *email);
    storage::UserRecord user = std::move(**u);
    user.disabled = disabled;
    user.updated_at = now;
    PARCOURS_RETURN_IF_ERROR(tx.accounts().UpdateUser(user));
    if (disabled) {
      auto n = tx.accounts().DeleteUserSessions(user.id);
      if (!n.ok()) return n.status();
    }
    return WriteAudit(
        tx, now,
        {actor, disabled ? "disable" : "enable", "user", user.id, FirstTerritory(user), ""});
  });
}

Result<OneTimeLink> AccountService::ResetPasswordByEmail(std::string_view email_in,
                                                         std::string_view actor) {
  auto email = NormaliseEmail(email_in);
  if (!email.ok()) return email.status();
  const auto now = clock_.NowMs();
  std::optional<OneTimeLink> link;
  PARCOURS_RETURN_IF_ERROR(storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto u = tx.accounts().FindUserByEmail(*email);
    if (!u.ok()) return u.status();
    if (!*u) return Status::NotFound("no account " + *email);
    // An account that never set a password gets an invitation (password and
    // second factor); otherwise a reset (password only).
    const bool fresh = (*u)->password_hash.empty() || !(*u)->totp_enrolled;
    auto l = MakeLink(tx, **u, fresh ? "invitation" : "reset", actor, now);
    if (!l.ok()) return l.status();
    link = std::move(*l);
    return Status::Ok();
  }));
  if (link->emailed && on_mail_enqueued_) on_mail_enqueued_();
  return *link;
}

Result<std::string> AccountService::ResetTotp(std::string_view email_in, std::string_view actor) {
  auto email = NormaliseEmail(email_in);
  if (!email.ok()) return email.status();
  const auto now = clock_.NowMs();
  std::string secret = totp::NewSecret(random_);
  PARCOURS_RETURN_IF_ERROR(storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto u = tx.accounts().FindUserByEmail(*email);
    if (!u.ok()) return u.status();
    if (!*u) return Status::NotFound("no account " + *email);
    storage::UserRecord user = std::move(**u);
    user.totp_sealed = sealer_.Seal(secret);
    user.totp_enrolled = false;
    user.totp_last_step = 0;
    user.updated_at = now;
    PARCOURS_RETURN_IF_ERROR(tx.accounts().UpdateUser(user));
    auto n = tx.accounts().DeleteUserSessions(user.id);
    if (!n.ok()) return n.status();
    return WriteAudit(tx, now, {actor, "reset_totp", "user", user.id, FirstTerritory(user), ""});
  }));
  return totp::Uri(auth_.options().issuer, *email, secret);
}

Result<std::vector<AccountSummary>> AccountService::ListAll(std::string_view actor) {
  std::vector<AccountSummary> out;
  const auto now = clock_.NowMs();
  PARCOURS_RETURN_IF_ERROR(storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto users = tx.accounts().ListUsers({});
    if (!users.ok()) return users.status();
    out.clear();  // the storage may run this again (a retried transaction)
    for (const auto& u : *users) out.push_back(SummaryOf(u));
    return WriteAudit(tx, now,
                      {actor, "list", "user", "*", "", std::to_string(out.size()) + " accounts"});
  }));
  return out;
}

Result<std::vector<storage::AuditEntry>> AccountService::AuditPage(std::int64_t after_id,
                                                                   int limit) {
  std::vector<storage::AuditEntry> out;
  PARCOURS_RETURN_IF_ERROR(storage_.Read([&](storage::Transaction& tx) -> Status {
    storage::AuditQuery q;
    q.after_id = after_id;
    q.oldest_first = true;
    q.limit = limit;
    auto v = tx.accounts().SearchAudit(q);
    if (!v.ok()) return v.status();
    out = std::move(*v);
    return Status::Ok();
  }));
  return out;
}

Status AccountService::RecordExport(std::string_view actor, std::int64_t rows) {
  const auto now = clock_.NowMs();
  return storage_.Transact([&](storage::Transaction& tx) {
    return WriteAudit(tx, now,
                      {actor, "export", "audit_log", "*", "", std::to_string(rows) + " rows"});
  });
}

Result<std::vector<AccountSummary>> AccountService::List(const domain::Principal& p) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kUsersRead, &p));
  std::vector<AccountSummary> out;
  const auto now = clock_.NowMs();
  PARCOURS_RETURN_IF_ERROR(storage_.Transact([&](storage::Transaction& tx) -> Status {
    storage::UserFilter f;
    if (!domain::IsNationalRole(p.role)) {
      f.territories = p.territories;
      if (f.territories.empty()) return Status::Ok();
    }
    auto users = tx.accounts().ListUsers(f);
    if (!users.ok()) return users.status();
    out.clear();  // the storage may run this again (a retried transaction)
    for (const auto& u : *users) out.push_back(SummaryOf(u));
    const std::string detail = std::to_string(out.size()) + " accounts";
    if (f.territories.empty())
      return WriteAudit(tx, now, {p.user_id, "list", "user", "*", "", detail});
    for (const auto& t : f.territories) {
      PARCOURS_RETURN_IF_ERROR(WriteAudit(tx, now, {p.user_id, "list", "user", "*", t, detail}));
    }
    return Status::Ok();
  }));
  return out;
}

Result<AccountSummary> AccountService::Get(const domain::Principal& p, std::string_view user_id) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kUsersRead, &p));
  std::optional<AccountSummary> out;
  const auto now = clock_.NowMs();
  PARCOURS_RETURN_IF_ERROR(storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto u = tx.accounts().FindUser(user_id);
    if (!u.ok()) return u.status();
    if (!*u) return Status::NotFound("no such account");
    const auto& user = **u;
    bool visible = domain::IsNationalRole(p.role);
    for (const auto& t : user.territories) visible = visible || domain::InScope(p, t);
    if (!visible) return Status::NotFound("no such account");
    out = SummaryOf(user);
    return WriteAudit(tx, now, {p.user_id, "read", "user", user.id, FirstTerritory(user), ""});
  }));
  return *out;
}

Result<OneTimeLink> AccountService::Invite(const domain::Principal& p, const NewAccount& a) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kUsersInvite, &p));
  auto u = Validate(a);
  if (!u.ok()) return u.status();
  if (!domain::IsNationalRole(p.role)) {
    auto role = domain::ParseRole(u->role);
    if (!role || !CoordinatorMayGive(*role)) {
      return Status::InvalidArgument("role", "this role can only be given by an administrator");
    }
    for (const auto& t : u->territories) {
      if (!domain::InScope(p, t)) {
        return Status::InvalidArgument("territory", "not one of your territories: " + t);
      }
    }
  }
  const auto now = clock_.NowMs();
  u->id = NewId(clock_, random_);
  u->created_at = u->updated_at = now;
  std::optional<OneTimeLink> link;
  Status st = storage_.Transact([&](storage::Transaction& tx) -> Status {
    PARCOURS_RETURN_IF_ERROR(tx.accounts().InsertUser(*u));
    PARCOURS_RETURN_IF_ERROR(WriteAudit(
        tx, now, {p.user_id, "create", "user", u->id, FirstTerritory(*u), "role " + u->role}));
    auto l = MakeLink(tx, *u, "invitation", p.user_id, now);
    if (!l.ok()) return l.status();
    link = std::move(*l);
    return Status::Ok();
  });
  if (st.code() == StatusCode::kConflict) {
    return Status::InvalidArgument("email", "an account with this e-mail already exists");
  }
  if (!st.ok()) return st;
  if (link->emailed && on_mail_enqueued_) on_mail_enqueued_();
  return *link;
}

Result<OneTimeLink> AccountService::ResetPassword(const domain::Principal& p,
                                                  std::string_view user_id) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kUsersResetPassword, &p));
  const auto now = clock_.NowMs();
  std::optional<OneTimeLink> link;
  PARCOURS_RETURN_IF_ERROR(storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto u = tx.accounts().FindUser(user_id);
    if (!u.ok()) return u.status();
    if (!*u) return Status::NotFound("no such account");
    bool visible = domain::IsNationalRole(p.role);
    for (const auto& t : (*u)->territories) visible = visible || domain::InScope(p, t);
    if (!visible) return Status::NotFound("no such account");
    const bool fresh = (*u)->password_hash.empty() || !(*u)->totp_enrolled;
    auto l = MakeLink(tx, **u, fresh ? "invitation" : "reset", p.user_id, now);
    if (!l.ok()) return l.status();
    link = std::move(*l);
    return Status::Ok();
  }));
  if (link->emailed && on_mail_enqueued_) on_mail_enqueued_();
  return *link;
}

Result<std::vector<storage::AuditEntry>> AccountService::SearchAudit(const domain::Principal& p,
                                                                     const AuditSearch& q) {
  PARCOURS_RETURN_IF_ERROR(domain::CheckAccess(access::kAuditSearch, &p));
  storage::AuditQuery query;
  if (q.territory) {
    if (!domain::IsNationalRole(p.role) && !domain::InScope(p, *q.territory)) {
      return Status::InvalidArgument("territory", "not one of your territories");
    }
    query.territories = {*q.territory};
  } else if (!domain::IsNationalRole(p.role)) {
    query.territories = p.territories;
    if (query.territories.empty()) return std::vector<storage::AuditEntry>{};
  }
  query.actor = q.actor;
  query.subject_id = q.subject_id;
  query.from = q.from;
  query.until = q.until;
  query.before_id = q.before_id;
  query.limit = std::clamp(q.limit, 1, 500);
  std::vector<storage::AuditEntry> out;
  const auto now = clock_.NowMs();
  PARCOURS_RETURN_IF_ERROR(storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto v = tx.accounts().SearchAudit(query);
    if (!v.ok()) return v.status();
    out = std::move(*v);
    const std::string detail = std::to_string(out.size()) + " rows";
    if (query.territories.empty()) {
      return WriteAudit(tx, now, {p.user_id, "search", "audit_log", "*", "", detail});
    }
    for (const auto& t : query.territories) {
      PARCOURS_RETURN_IF_ERROR(
          WriteAudit(tx, now, {p.user_id, "search", "audit_log", "*", t, detail}));
    }
    return Status::Ok();
  }));
  return out;
}

Result<LinkInfo> AccountService::OpenLink(std::string_view token) {
  const Status gone = Status::NotFound("this link is unknown, already used or expired");
  if (token.empty() || token.size() > 128) return gone;
  const auto now = clock_.NowMs();
  std::optional<LinkInfo> info;
  PARCOURS_RETURN_IF_ERROR(storage_.Read([&](storage::Transaction& tx) -> Status {
    auto t = tx.accounts().FindAccountToken(HashSecretToken(token));
    if (!t.ok()) return t.status();
    if (!*t || (*t)->used_at || (*t)->expires_at <= now) return Status::Ok();
    auto u = tx.accounts().FindUser((*t)->user_id);
    if (!u.ok()) return u.status();
    if (!*u || (*u)->disabled) return Status::Ok();
    info = LinkInfo{(*t)->purpose, (*u)->email, (*u)->name};
    return Status::Ok();
  }));
  if (!info) return gone;
  return *info;
}

Result<std::optional<NewSession>> AccountService::AcceptLink(std::string_view token,
                                                             std::string_view password,
                                                             std::string_view confirm) {
  auto info = OpenLink(token);
  if (!info.ok()) return info.status();
  PARCOURS_RETURN_IF_ERROR(CheckNewPassword(password));
  if (password != confirm) {
    return Status::InvalidArgument("password_confirm", "the two passwords differ");
  }
  auto hash = hasher_.Hash(password);
  if (!hash.ok()) return hash.status();
  const auto now = clock_.NowMs();
  const std::string token_hash = HashSecretToken(token);
  std::optional<storage::UserRecord> user;
  std::string purpose;
  Status st = storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto t = tx.accounts().FindAccountToken(token_hash);
    if (!t.ok()) return t.status();
    if (!*t || (*t)->used_at || (*t)->expires_at <= now) {
      return Status::NotFound("this link is unknown, already used or expired");
    }
    purpose = (*t)->purpose;
    // Single use, even when two requests race (the second gets kConflict).
    PARCOURS_RETURN_IF_ERROR(tx.accounts().UseAccountToken(token_hash, now));
    auto u = tx.accounts().FindUser((*t)->user_id);
    if (!u.ok()) return u.status();
    if (!*u || (*u)->disabled)
      return Status::NotFound("this link is unknown, already used or expired");
    storage::UserRecord changed = std::move(**u);
    changed.password_hash = *hash;
    if (purpose == "invitation") {
      changed.totp_sealed = sealer_.Seal(totp::NewSecret(random_));
      changed.totp_enrolled = false;
      changed.totp_last_step = 0;
    }
    changed.updated_at = now;
    PARCOURS_RETURN_IF_ERROR(tx.accounts().UpdateUser(changed));
    auto n = tx.accounts().DeleteUserSessions(changed.id);
    if (!n.ok()) return n.status();
    PARCOURS_RETURN_IF_ERROR(tx.accounts().ClearLoginThrottle(changed.email));
    PARCOURS_RETURN_IF_ERROR(WriteAudit(
        tx, now,
        {changed.id, "set_password", "user", changed.id, FirstTerritory(changed), purpose}));
    user = std::move(changed);
    return Status::Ok();
  });
  if (st.code() == StatusCode::kConflict) {
    return Status::NotFound("this link is unknown, already used or expired");
  }
  if (!st.ok()) return st;
  if (purpose != "invitation") return std::optional<NewSession>();
  auto session = auth_.OpenSessionFor(*user, kStageEnrolment, "invitation link");
  if (!session.ok()) return session.status();
  return std::optional<NewSession>(std::move(*session));
}

}  // namespace parcours::app
