// Use-case tests of logins, sessions, lockout, links and access, on a real
// SQLite file, with the test clock.
#include "app/auth/auth_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "app/auth/account_service.h"
#include "app/auth/password_hasher.h"
#include "app/auth/totp.h"
#include "app/crypto/sealer.h"
#include "storage/storage.h"
#include "test_clock.h"

namespace parcours::app {
namespace {

namespace fs = std::filesystem;
using testing::kHour;
using testing::kMinute;
using testing::TestClock;
using Kind = LoginResult::Kind;

constexpr const char* kKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kPassword = "correct horse battery";

// Cheap hashes keep the tests fast; the bound is what is tested.
PasswordHasher::Options FastHashes() {
  PasswordHasher::Options o;
  o.ops_limit = 1;
  o.memory_bytes = 8 << 20;
  return o;
}

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "parcours-auth-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    auto s = storage::OpenStorage("sqlite:" + dir_ + "/t.db", 2);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    storage_ = std::move(*s);
    ASSERT_TRUE(storage_->Migrate().ok());
    sealer_.emplace(*Sealer::FromHex(kKey));
    hasher_ = std::make_unique<PasswordHasher>(FastHashes());
    auth_ = std::make_unique<AuthService>(*storage_, clock_, random_, *sealer_, *hasher_);
    accounts_ = std::make_unique<AccountService>(
        *storage_, clock_, random_, *sealer_, *hasher_, *auth_,
        std::vector<std::string>{"hauts-de-france", "normandie", "occitanie"});
  }
  void TearDown() override {
    accounts_.reset();
    auth_.reset();
    storage_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Creates an account and returns its raw TOTP secret.
  std::string Create(const std::string& email, const std::string& role,
                     std::vector<std::string> territories,
                     const std::string& password = kPassword) {
    NewAccount a{email, "Camille Test", role, std::move(territories), {}, {}};
    auto c = accounts_->CreateAccount(a, password, "cli:test");
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    if (!c.ok()) return {};
    ids_[c->user.email] = c->user.id;
    auto pos = c->totp_uri.find("secret=");
    auto end = c->totp_uri.find('&', pos);
    return *totp::FromBase32(c->totp_uri.substr(pos + 7, end - pos - 7));
  }

  std::string Code(const std::string& secret) { return totp::Generate(secret, clock_.NowMs()); }

  // Full login (enrols on the way); returns the session token.
  std::string LogIn(const std::string& email, const std::string& secret) {
    clock_.Advance(30'000);  // a fresh time step, so codes are never replays
    auto r = auth_->Login(email, kPassword, Code(secret));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return {};
    EXPECT_EQ(r->kind, Kind::kAuthenticated);
    return r->session ? r->session->token : std::string();
  }

  domain::Principal PrincipalFor(const std::string& token) {
    auto s = auth_->Authenticate(token);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? s->principal : domain::Principal{};
  }

  std::vector<storage::AuditEntry> AuditOf(const std::string& subject_id) {
    std::vector<storage::AuditEntry> out;
    Status st = storage_->Read([&](storage::Transaction& tx) -> Status {
      auto v = tx.ListAudit("user", subject_id);
      if (!v.ok()) return v.status();
      out = *v;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok());
    return out;
  }

  std::string dir_;
  TestClock clock_{1'780'000'000'000};
  SystemRandom random_;
  std::unique_ptr<storage::Storage> storage_;
  std::optional<Sealer> sealer_;
  std::unique_ptr<PasswordHasher> hasher_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<AccountService> accounts_;
  std::map<std::string, std::string> ids_;
};

TEST_F(AuthTest, FirstLoginEnrolsTheSecondFactorThenNeedsIt) {
  std::string secret = Create("Resp@Example.org", "responder", {"normandie"});
  auto first = auth_->Login("resp@example.org", kPassword, "");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->kind, Kind::kEnrolmentRequired);
  const std::string half = first->session->token;
  // The enrolment session opens no full route and shows the QR of the secret.
  auto s = auth_->Authenticate(half);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->stage, kStageEnrolment);
  auto view = auth_->Enrolment(half);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->secret_base32, totp::Base32(secret));
  EXPECT_NE(view->qr_svg.find("<svg"), std::string::npos);

  auto wrong = auth_->CompleteEnrolment(half, "000000");
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
  auto done = auth_->CompleteEnrolment(half, Code(secret));
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->info.stage, kStageFull);
  EXPECT_EQ(done->info.principal.role, domain::Role::kResponder);
  EXPECT_FALSE(auth_->Authenticate(half).ok());  // replaced

  // From now on a code is required, and a used code does not open twice.
  clock_.Advance(30'000);
  auto no_code = auth_->Login("resp@example.org", kPassword, "");
  ASSERT_TRUE(no_code.ok());
  EXPECT_EQ(no_code->kind, Kind::kRejected);
  const std::string code = Code(secret);
  auto ok = auth_->Login("resp@example.org", kPassword, code);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->kind, Kind::kAuthenticated);
  auto replay = auth_->Login("resp@example.org", kPassword, code);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->kind, Kind::kRejected);

  // Logins are audited on the account.
  auto rows = AuditOf(ids_["resp@example.org"]);
  int logins = 0;
  for (const auto& r : rows) logins += r.action == "login" ? 1 : 0;
  EXPECT_EQ(logins, 1);
}

TEST_F(AuthTest, LockoutAfterFiveFailuresWithGrowingBackOff) {
  std::string secret = Create("c@example.org", "coordinator", {"occitanie"});
  LogIn("c@example.org", secret);
  for (int i = 0; i < 5; ++i) {
    auto r = auth_->Login("c@example.org", "wrong password!", Code(secret));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->kind, Kind::kRejected) << i;
  }
  // Locked even with the right password and code.
  clock_.Advance(30'000);
  auto locked = auth_->Login("c@example.org", kPassword, Code(secret));
  ASSERT_TRUE(locked.ok());
  EXPECT_EQ(locked->kind, Kind::kLocked);
  EXPECT_GE(locked->retry_after_seconds, 29);
  EXPECT_LE(locked->retry_after_seconds, 60);
  clock_.Advance(31'000);
  // The lock is over; one more failure locks again, twice as long.
  auto again = auth_->Login("c@example.org", "wrong password!", "");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kind, Kind::kRejected);
  auto second = auth_->Login("c@example.org", kPassword, Code(secret));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->kind, Kind::kLocked);
  EXPECT_EQ(second->retry_after_seconds, 120);
  clock_.Advance(121'000);
  EXPECT_FALSE(LogIn("c@example.org", secret).empty());
  // A success resets the count: four failures do not lock.
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(auth_->Login("c@example.org", "nope nope nope", "").ok());
  EXPECT_FALSE(LogIn("c@example.org", secret).empty());
  // Unknown addresses are throttled alike (nothing tells them apart).
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(auth_->Login("ghost@example.org", kPassword, "").ok());
  auto ghost = auth_->Login("ghost@example.org", kPassword, "");
  ASSERT_TRUE(ghost.ok());
  EXPECT_EQ(ghost->kind, Kind::kLocked);
}

TEST_F(AuthTest, IdleAndAbsoluteExpiry) {
  std::string secret = Create("r@example.org", "responder", {"normandie"});
  std::string token = LogIn("r@example.org", secret);
  ASSERT_FALSE(token.empty());
  // Idle: each request within 30 minutes keeps the session alive.
  clock_.Advance(29 * kMinute);
  EXPECT_TRUE(auth_->Authenticate(token).ok());
  clock_.Advance(29 * kMinute);
  EXPECT_TRUE(auth_->Authenticate(token).ok());
  clock_.Advance(30 * kMinute + 1);
  EXPECT_EQ(auth_->Authenticate(token).status().code(), StatusCode::kUnauthenticated);

  // Absolute: 12 hours even when used every 20 minutes.
  std::string token2 = LogIn("r@example.org", secret);
  const auto start = clock_.NowMs();
  while (clock_.NowMs() + 20 * kMinute < start + 12 * kHour) {
    clock_.Advance(20 * kMinute);
    ASSERT_TRUE(auth_->Authenticate(token2).ok());
  }
  clock_.Set(start + 12 * kHour);
  EXPECT_EQ(auth_->Authenticate(token2).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthTest, LogoutAndDisableEndSessions) {
  std::string secret = Create("r@example.org", "responder", {"normandie"});
  std::string a = LogIn("r@example.org", secret);
  std::string b = LogIn("r@example.org", secret);
  ASSERT_TRUE(auth_->Logout(a).ok());
  EXPECT_FALSE(auth_->Authenticate(a).ok());
  EXPECT_TRUE(auth_->Authenticate(b).ok());
  ASSERT_TRUE(accounts_->SetDisabled("r@example.org", true, "cli:test").ok());
  EXPECT_FALSE(auth_->Authenticate(b).ok());
  clock_.Advance(30'000);
  auto r = auth_->Login("r@example.org", kPassword, Code(secret));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind, Kind::kRejected);
  ASSERT_TRUE(accounts_->SetDisabled("r@example.org", false, "cli:test").ok());
  EXPECT_FALSE(LogIn("r@example.org", secret).empty());
}

TEST_F(AuthTest, InvitationLinkIsOneTimeAndExpires) {
  std::string secret = Create("coord@example.org", "coordinator", {"hauts-de-france"});
  domain::Principal coord = PrincipalFor(LogIn("coord@example.org", secret));

  NewAccount other{"x@example.org", "X", "responder", {"normandie"}, {}, {}};
  EXPECT_EQ(accounts_->Invite(coord, other).status().field(), "territory");
  NewAccount national{"n@example.org", "N", "national", {}, {}, {}};
  EXPECT_EQ(accounts_->Invite(coord, national).status().field(), "role");

  NewAccount resp{
      "new@example.org", "Nouvelle Répondante", "responder", {"hauts-de-france"}, {}, {}};
  auto link = accounts_->Invite(coord, resp);
  ASSERT_TRUE(link.ok()) << link.status().ToString();
  EXPECT_EQ(link->purpose, "invitation");
  auto info = accounts_->OpenLink(link->token);  // opening changes nothing
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->email, "new@example.org");
  EXPECT_TRUE(accounts_->OpenLink(link->token).ok());

  EXPECT_EQ(accounts_->AcceptLink(link->token, "short", "short").status().field(), "password");
  EXPECT_EQ(
      accounts_->AcceptLink(link->token, "a long enough one", "another long one").status().field(),
      "password_confirm");
  auto session = accounts_->AcceptLink(link->token, "a long enough one", "a long enough one");
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  ASSERT_TRUE(*session);
  EXPECT_EQ((*session)->info.stage, kStageEnrolment);
  EXPECT_EQ(
      accounts_->AcceptLink(link->token, "a long enough one", "a long enough one").status().code(),
      StatusCode::kNotFound);

  // A link older than 72 hours opens nothing.
  NewAccount late{"late@example.org", "L", "professional", {"hauts-de-france"}, {}, {}};
  auto old = accounts_->Invite(coord, late);
  ASSERT_TRUE(old.ok());
  clock_.Advance(72 * kHour);
  EXPECT_EQ(accounts_->OpenLink(old->token).status().code(), StatusCode::kNotFound);
}

TEST_F(AuthTest, AccessIsCheckedInTheUseCaseAndOtherTerritoriesAreNotFound) {
  std::string s1 = Create("coord-hdf@example.org", "coordinator", {"hauts-de-france"});
  std::string s2 = Create("resp-norm@example.org", "responder", {"normandie"});
  Create("resp-hdf@example.org", "responder", {"hauts-de-france"});
  domain::Principal coord = PrincipalFor(LogIn("coord-hdf@example.org", s1));
  domain::Principal resp = PrincipalFor(LogIn("resp-norm@example.org", s2));

  EXPECT_EQ(accounts_->List(resp).status().code(), StatusCode::kForbidden);
  EXPECT_EQ(accounts_->SearchAudit(resp, {}).status().code(), StatusCode::kForbidden);
  auto list = accounts_->List(coord);
  ASSERT_TRUE(list.ok());
  std::vector<std::string> emails;
  for (const auto& u : *list) emails.push_back(u.email);
  EXPECT_EQ(emails, (std::vector<std::string>{"coord-hdf@example.org", "resp-hdf@example.org"}));
  // Another territory's id: not found, not forbidden.
  EXPECT_EQ(accounts_->Get(coord, ids_["resp-norm@example.org"]).status().code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(accounts_->Get(coord, ids_["resp-hdf@example.org"]).ok());
  EXPECT_EQ(accounts_->ResetPassword(coord, ids_["resp-hdf@example.org"]).status().code(),
            StatusCode::kForbidden);

  // The read is audited, with who, what and the territory.
  bool found = false;
  for (const auto& e : AuditOf(ids_["resp-hdf@example.org"])) {
    if (e.action == "read" && e.actor == coord.user_id && e.territory_code == "hauts-de-france") {
      found = true;
    }
  }
  EXPECT_TRUE(found);
  // The coordinator's audit search covers their territories only.
  auto rows = accounts_->SearchAudit(coord, {});
  ASSERT_TRUE(rows.ok());
  for (const auto& e : *rows) EXPECT_EQ(e.territory_code, "hauts-de-france");
  AuditSearch elsewhere;
  elsewhere.territory = "normandie";
  EXPECT_EQ(accounts_->SearchAudit(coord, elsewhere).status().field(), "territory");
}

// RSS high-water mark of this process, in bytes (reset by ResetPeakRss).
long long PeakRss() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return -1;
}
long long CurrentRss() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return -1;
}
void ResetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

TEST(PasswordHasherTest, AFloodStaysWithinTheMemoryBound) {
  PasswordHasher::Options o;
  o.max_concurrent = 2;
  o.ops_limit = 1;
  o.memory_bytes = 32 << 20;
  PasswordHasher hasher(o);
  auto hash = hasher.Hash("correct horse battery");
  ASSERT_TRUE(hash.ok());
  ASSERT_TRUE(*hasher.Verify(*hash, "correct horse battery"));
  ASSERT_FALSE(*hasher.Verify(*hash, "wrong horse battery"));

  ResetPeakRss();
  const long long before = CurrentRss();
  constexpr int kFlood = 24;  // unbounded, this would need 24 × 32 MiB
  std::vector<std::thread> threads;
  std::atomic<int> done{0};
  for (int i = 0; i < kFlood; ++i) {
    threads.emplace_back([&] {
      auto v = hasher.Verify(*hash, "a guess of an attacker");
      if (v.ok() && !*v) ++done;
    });
  }
  for (auto& t : threads) t.join();
  const long long growth = PeakRss() - before;
  EXPECT_EQ(done.load(), kFlood);
  EXPECT_LE(hasher.PeakInFlight(), 2);
  // Two hashes at once, plus slack for the threads' stacks and allocator.
  constexpr long long kBound = 2LL * (32 << 20);  // 2 hashes of 32 MiB
  EXPECT_EQ(static_cast<long long>(hasher.MemoryBound()), kBound);
  EXPECT_LT(growth, kBound + (24LL << 20)) << "peak RSS grew by " << (growth >> 20) << " MiB";
}

TEST(PasswordHasherTest, NewPasswordRules) {
  EXPECT_EQ(CheckNewPassword("short").field(), "password");
  EXPECT_TRUE(CheckNewPassword("douze carac.").ok());
  EXPECT_TRUE(CheckNewPassword("éééééééééééé").ok());  // 12 characters, 24 bytes
  EXPECT_FALSE(CheckNewPassword("ééééééééééé").ok());  // 11 characters
  EXPECT_FALSE(CheckNewPassword(std::string("abcdefghijk\x01", 12)).ok());
  EXPECT_FALSE(CheckNewPassword("abcdefghijk\xff").ok());
}

}  // namespace
}  // namespace parcours::app
