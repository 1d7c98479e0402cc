#include "app/auth/auth_service.h"

#include <algorithm>

#include "app/auth/audit.h"
#include "app/auth/password_hasher.h"
#include "app/auth/qr_svg.h"
#include "app/auth/secret_token.h"
#include "app/auth/totp.h"
#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "core/log.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

constexpr std::size_t kMaxTokenChars = 128;

std::string FirstTerritory(const storage::UserRecord& u) {
  return u.territories.empty() ? std::string() : u.territories.front();
}

}  // namespace

Result<std::string> NormaliseEmail(std::string_view email) {
  std::size_t b = email.find_first_not_of(" \t\r\n");
  std::size_t e = email.find_last_not_of(" \t\r\n");
  if (b == std::string_view::npos) return Status::InvalidArgument("email", "e-mail is required");
  std::string out(email.substr(b, e - b + 1));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  auto at = out.find('@');
  bool bad = out.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= out.size() ||
             out.find('@', at + 1) != std::string::npos ||
             out.find('.', at + 1) == std::string::npos;
  for (unsigned char c : out) {
    if (c <= ' ' || c == 0x7f || c == ',' || c == '<' || c == '>' || c == '"') bad = true;
  }
  if (bad) return Status::InvalidArgument("email", "not an e-mail address");
  return out;
}

Result<domain::Principal> PrincipalOf(const storage::UserRecord& user) {
  auto role = domain::ParseRole(user.role);
  if (!role) return Status::Internal("account " + user.id + " has an unknown role");
  domain::Principal p;
  p.user_id = user.id;
  p.role = *role;
  p.territories = user.territories;
  p.sub_territories = user.sub_territories;
  return p;
}

AuthService::AuthService(storage::Storage& storage, const Clock& clock, Random& random,
                         const Sealer& sealer, PasswordHasher& hasher, AuthOptions options)
    : storage_(storage),
      clock_(clock),
      random_(random),
      sealer_(sealer),
      hasher_(hasher),
      options_(std::move(options)) {}

Result<SessionInfo> AuthService::SessionOf(const storage::UserRecord& user, std::string token_hash,
                                           std::string stage, std::string csrf) const {
  auto principal = PrincipalOf(user);
  if (!principal.ok()) return principal.status();
  SessionInfo s;
  s.token_hash = std::move(token_hash);
  s.stage = std::move(stage);
  s.csrf_token = std::move(csrf);
  s.principal = std::move(*principal);
  s.email = user.email;
  s.name = user.name;
  return s;
}

Result<LoginResult> AuthService::Fail(const std::string& key,
                                      const std::optional<storage::UserRecord>& user) {
  const auto now = clock_.NowMs();
  bool locked = false;
  Status st = storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto row = tx.accounts().AddLoginFailure(key, now);
    if (!row.ok()) return row.status();
    if (row->failures < options_.max_failures) return Status::Ok();
    int lockouts = row->lockouts + 1;
    auto delay = options_.lock_base.count();
    for (int i = 1; i < lockouts && delay < options_.lock_max.count(); ++i) delay *= 2;
    delay = std::min<std::int64_t>(delay, options_.lock_max.count());
    PARCOURS_RETURN_IF_ERROR(tx.accounts().LockLogin(key, now + delay, lockouts));
    locked = true;
    if (!user) return Status::Ok();
    return WriteAudit(tx, now,
                      {"system", "lock", "user", user->id, FirstTerritory(*user),
                       "login locked for " + std::to_string(delay / 1000) + " s"});
  });
  if (!st.ok()) return st;
  log::Warn("login failed", {{"locked", locked}});
  LoginResult r;
  r.kind = LoginResult::Kind::kRejected;
  return r;
}

Result<LoginResult> AuthService::Login(std::string_view email_in, std::string_view password,
                                       std::string_view totp_code) {
  auto email = NormaliseEmail(email_in);
  if (!email.ok()) return email.status();
  if (password.empty()) return Status::InvalidArgument("password", "password is required");
  const auto now = clock_.NowMs();

  std::optional<storage::LoginThrottleRecord> throttle;
  std::optional<storage::UserRecord> user;
  PARCOURS_RETURN_IF_ERROR(storage_.Read([&](storage::Transaction& tx) -> Status {
    auto t = tx.accounts().FindLoginThrottle(*email);
    if (!t.ok()) return t.status();
    throttle = *t;
    auto u = tx.accounts().FindUserByEmail(*email);
    if (!u.ok()) return u.status();
    user = *u;
    return Status::Ok();
  }));
  if (throttle && throttle->locked_until > now) {
    LoginResult r;
    r.kind = LoginResult::Kind::kLocked;
    r.retry_after_seconds = static_cast<int>((throttle->locked_until - now + 999) / 1000);
    return r;
  }

  auto matches = hasher_.Verify(user ? std::string_view(user->password_hash) : "", password);
  if (!matches.ok()) return matches.status();
  if (!*matches || !user || user->disabled) return Fail(*email, user);

  // Second factor.
  std::string secret;
  if (!user->totp_sealed.empty()) {
    auto opened = sealer_.Open(user->totp_sealed);
    if (!opened.ok()) return Status::Internal("TOTP secret of " + user->id + " does not open");
    secret = std::move(*opened);
  }
  std::optional<std::int64_t> step;
  if (!totp_code.empty() && !secret.empty()) {
    step = totp::Verify(secret, totp_code, now, user->totp_last_step);
  }
  const bool enrol_now = !user->totp_enrolled && totp_code.empty();
  if (!enrol_now && !step) return Fail(*email, user);

  const std::string stage = enrol_now ? kStageEnrolment : kStageFull;
  NewSession out;
  out.token = NewSecretToken(random_);
  std::string hash = HashSecretToken(out.token);
  std::string csrf = NewSecretToken(random_);
  bool replayed = false;
  Status st = storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto fresh = tx.accounts().FindUser(user->id);
    if (!fresh.ok()) return fresh.status();
    if (!*fresh || (*fresh)->disabled) return Status::NotFound("account gone");
    storage::UserRecord u = std::move(**fresh);
    if (step) {
      // Re-checked under the write: the same code never opens two sessions.
      if (*step <= u.totp_last_step) {
        replayed = true;
        return Status::Conflict("code already used");
      }
      u.totp_last_step = *step;
      u.totp_enrolled = true;
    }
    if (u.totp_sealed.empty()) u.totp_sealed = sealer_.Seal(totp::NewSecret(random_));
    if (stage == kStageFull) u.last_login_at = now;
    u.updated_at = now;
    PARCOURS_RETURN_IF_ERROR(tx.accounts().UpdateUser(u));
    PARCOURS_RETURN_IF_ERROR(tx.accounts().ClearLoginThrottle(*email));
    const auto limit = stage == kStageFull ? options_.absolute : options_.idle;
    PARCOURS_RETURN_IF_ERROR(
        tx.accounts().InsertSession({hash, u.id, stage, csrf, now, now, now + limit.count()}));
    PARCOURS_RETURN_IF_ERROR(WriteAudit(tx, now,
                                        {u.id, stage == kStageFull ? "login" : "login_enrolment",
                                         "user", u.id, FirstTerritory(u), "password+totp"}));
    *user = std::move(u);
    return Status::Ok();
  });
  if (replayed || st.code() == StatusCode::kNotFound) return Fail(*email, user);
  if (!st.ok()) return st;
  auto info = SessionOf(*user, hash, stage, csrf);
  if (!info.ok()) return info.status();
  out.info = std::move(*info);
  LoginResult r;
  r.kind = stage == kStageFull ? LoginResult::Kind::kAuthenticated
                               : LoginResult::Kind::kEnrolmentRequired;
  r.session = std::move(out);
  return r;
}

Result<SessionInfo> AuthService::Authenticate(std::string_view token) {
  const Status unauthenticated(StatusCode::kUnauthenticated, "no valid session");
  if (token.empty() || token.size() > kMaxTokenChars) return unauthenticated;
  const std::string hash = HashSecretToken(token);
  const auto now = clock_.NowMs();
  std::optional<storage::SessionRecord> session;
  std::optional<storage::UserRecord> user;
  PARCOURS_RETURN_IF_ERROR(storage_.Read([&](storage::Transaction& tx) -> Status {
    auto s = tx.accounts().FindSession(hash);
    if (!s.ok()) return s.status();
    session = *s;
    if (!session) return Status::Ok();
    auto u = tx.accounts().FindUser(session->user_id);
    if (!u.ok()) return u.status();
    user = *u;
    return Status::Ok();
  }));
  if (!session) return unauthenticated;
  const bool expired = now >= session->expires_at ||
                       now - session->last_seen_at >= options_.idle.count() || !user ||
                       user->disabled;
  if (expired) {
    Status del = storage_.Transact(
        [&](storage::Transaction& tx) { return tx.accounts().DeleteSession(hash); });
    if (!del.ok()) log::Warn("could not delete an expired session", {{"error", del.message()}});
    return unauthenticated;
  }
  if (now - session->last_seen_at >= options_.touch_every.count()) {
    Status touched = storage_.Transact(
        [&](storage::Transaction& tx) { return tx.accounts().TouchSession(hash, now); });
    if (touched.code() == StatusCode::kNotFound) return unauthenticated;  // logged out meanwhile
    PARCOURS_RETURN_IF_ERROR(touched);
  }
  return SessionOf(*user, hash, session->stage, session->csrf_token);
}

Status AuthService::Logout(std::string_view token) {
  if (token.empty() || token.size() > kMaxTokenChars) return Status::Ok();
  const std::string hash = HashSecretToken(token);
  const auto now = clock_.NowMs();
  return storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto s = tx.accounts().FindSession(hash);
    if (!s.ok()) return s.status();
    if (!*s) return Status::Ok();
    PARCOURS_RETURN_IF_ERROR(tx.accounts().DeleteSession(hash));
    auto u = tx.accounts().FindUser((*s)->user_id);
    if (!u.ok()) return u.status();
    return WriteAudit(tx, now,
                      {(*s)->user_id, "logout", "user", (*s)->user_id,
                       *u ? FirstTerritory(**u) : std::string(), ""});
  });
}

Result<EnrolmentView> AuthService::Enrolment(std::string_view token) {
  auto s = Authenticate(token);
  if (!s.ok()) return s.status();
  const SessionInfo& session = *s;
  if (session.stage != kStageEnrolment) return Status::Conflict("second factor already enrolled");
  std::optional<storage::UserRecord> user;
  PARCOURS_RETURN_IF_ERROR(storage_.Read([&](storage::Transaction& tx) -> Status {
    auto u = tx.accounts().FindUser(session.principal.user_id);
    if (!u.ok()) return u.status();
    user = *u;
    return Status::Ok();
  }));
  if (!user || user->totp_sealed.empty()) return Status::NotFound("no second factor to enrol");
  auto secret = sealer_.Open(user->totp_sealed);
  if (!secret.ok()) return Status::Internal("TOTP secret does not open");
  EnrolmentView v;
  v.otpauth_uri = totp::Uri(options_.issuer, user->email, *secret);
  v.secret_base32 = totp::Base32(*secret);
  auto svg = QrSvg(v.otpauth_uri, "QR code à scanner avec l'application d'authentification");
  if (!svg.ok()) return svg.status();
  v.qr_svg = std::move(*svg);
  return v;
}

Result<NewSession> AuthService::CompleteEnrolment(std::string_view token, std::string_view code) {
  auto s = Authenticate(token);
  if (!s.ok()) return s.status();
  const SessionInfo& session = *s;
  if (session.stage != kStageEnrolment) return Status::Conflict("second factor already enrolled");
  const auto now = clock_.NowMs();
  const std::string key = session.email;
  std::optional<storage::LoginThrottleRecord> throttle;
  PARCOURS_RETURN_IF_ERROR(storage_.Read([&](storage::Transaction& tx) -> Status {
    auto t = tx.accounts().FindLoginThrottle(key);
    if (!t.ok()) return t.status();
    throttle = *t;
    return Status::Ok();
  }));
  if (throttle && throttle->locked_until > now) {
    return Status(StatusCode::kTooManyRequests, "too many wrong codes; try again later");
  }
  NewSession out;
  out.token = NewSecretToken(random_);
  const std::string hash = HashSecretToken(out.token);
  const std::string csrf = NewSecretToken(random_);
  std::optional<storage::UserRecord> done;
  bool wrong = false;
  Status st = storage_.Transact([&](storage::Transaction& tx) -> Status {
    auto u = tx.accounts().FindUser(session.principal.user_id);
    if (!u.ok()) return u.status();
    if (!*u || (*u)->disabled) return {StatusCode::kUnauthenticated, "account disabled"};
    storage::UserRecord user = std::move(**u);
    auto secret = sealer_.Open(user.totp_sealed);
    if (!secret.ok()) return Status::Internal("TOTP secret does not open");
    auto step = totp::Verify(*secret, code, now, user.totp_last_step);
    if (!step) {
      wrong = true;
      return Status::InvalidArgument("totp", "wrong code");
    }
    user.totp_enrolled = true;
    user.totp_last_step = *step;
    user.last_login_at = now;
    user.updated_at = now;
    PARCOURS_RETURN_IF_ERROR(tx.accounts().UpdateUser(user));
    PARCOURS_RETURN_IF_ERROR(tx.accounts().DeleteSession(session.token_hash));
    PARCOURS_RETURN_IF_ERROR(tx.accounts().ClearLoginThrottle(key));
    PARCOURS_RETURN_IF_ERROR(tx.accounts().InsertSession(
        {hash, user.id, kStageFull, csrf, now, now, now + options_.absolute.count()}));
    PARCOURS_RETURN_IF_ERROR(
        WriteAudit(tx, now, {user.id, "enrol_totp", "user", user.id, FirstTerritory(user), ""}));
    done = std::move(user);
    return Status::Ok();
  });
  if (wrong) {
    auto f = Fail(key, std::nullopt);
    if (!f.ok()) return f.status();
    return Status::InvalidArgument("totp", "wrong code");
  }
  if (!st.ok()) return st;
  auto info = SessionOf(*done, hash, kStageFull, csrf);
  if (!info.ok()) return info.status();
  out.info = std::move(*info);
  return out;
}

Result<NewSession> AuthService::OpenSessionFor(const storage::UserRecord& user,
                                               std::string_view stage, std::string_view method) {
  if (stage != kStageFull && stage != kStageEnrolment) {
    return Status::InvalidArgument("stage", "unknown session stage");
  }
  if (user.disabled) return Status(StatusCode::kUnauthenticated, "account disabled");
  const auto now = clock_.NowMs();
  NewSession out;
  out.token = NewSecretToken(random_);
  const std::string hash = HashSecretToken(out.token);
  const std::string csrf = NewSecretToken(random_);
  const auto limit = stage == kStageFull ? options_.absolute : options_.idle;
  PARCOURS_RETURN_IF_ERROR(storage_.Transact([&](storage::Transaction& tx) -> Status {
    PARCOURS_RETURN_IF_ERROR(tx.accounts().InsertSession(
        {hash, user.id, std::string(stage), csrf, now, now, now + limit.count()}));
    return WriteAudit(tx, now,
                      {user.id, stage == kStageFull ? "login" : "login_enrolment", "user", user.id,
                       FirstTerritory(user), method});
  }));
  auto info = SessionOf(user, hash, std::string(stage), csrf);
  if (!info.ok()) return info.status();
  out.info = std::move(*info);
  return out;
}

}  // namespace parcours::app
