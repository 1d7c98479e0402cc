#include "cli/user_commands.h"

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "app/auth/account_service.h"
#include "app/auth/audit.h"
#include "app/auth/auth_service.h"
#include "app/auth/password_hasher.h"
#include "app/clock.h"
#include "app/crypto/contact_key.h"
#include "app/crypto/sealer.h"
#include "app/pathway_config.h"
#include "cli/cli_common.h"
#include "storage/storage.h"

namespace parcours::cli {
namespace {

int Usage() {
  std::fprintf(stderr,
               "usage: parcours user add --email E --name N --role R --territory T[,T2] "
               "[--sub-territory S[,S2]] [--phone P] [--password-file F]\n"
               "       parcours user disable|enable|reset-password|reset-totp EMAIL\n"
               "       parcours user list\n");
  return 2;
}

// Everything the account use cases need, opened from the settings.
struct Services {
  std::unique_ptr<storage::Storage> storage;
  app::SystemClock clock;
  app::SystemRandom random;
  std::optional<app::Sealer> sealer;
  std::unique_ptr<app::PasswordHasher> hasher;
  std::unique_ptr<app::AuthService> auth;
  std::unique_ptr<app::AccountService> accounts;
};

Status OpenServices(const Config& c, Services& s) {
  auto st = OpenDatabase(c);
  if (!st.ok()) return st.status();
  s.storage = std::move(*st);
  auto key_file = KeyFile(c);  // TOTP secrets are sealed with the contact key
  if (!key_file.ok()) return key_file.status();
  auto sealer = app::OpenContactKey(*s.storage, *key_file, s.random);
  if (!sealer.ok()) return sealer.status();
  s.sealer.emplace(*sealer);
  auto pathway = app::PathwayConfig::Load(ShareDir(c));
  if (!pathway.ok()) return pathway.status();
  std::vector<std::string> codes;
  for (const auto& t : pathway->territories().all()) {
    if (!t.outside()) codes.push_back(t.code);
  }
  s.hasher = std::make_unique<app::PasswordHasher>(app::PasswordHasher::Options{});
  s.auth = std::make_unique<app::AuthService>(*s.storage, s.clock, s.random, *s.sealer, *s.hasher);
  s.accounts = std::make_unique<app::AccountService>(*s.storage, s.clock, s.random, *s.sealer,
                                                     *s.hasher, *s.auth, std::move(codes));
  // With e-mail on (smtp-url), reset links are also e-mailed (issue 12).
  s.accounts->SetMailLinks(!c.Get("smtp-url").empty());
  return Status::Ok();
}

Result<std::string> ReadPasswordFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("password-file", "cannot read " + path);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (s.size() > 4096) return Status::InvalidArgument("password-file", "file too large");
  // A trailing newline is not part of the password.
  if (!s.empty() && s.back() == '\n') s.pop_back();
  if (!s.empty() && s.back() == '\r') s.pop_back();
  if (s.empty()) return Status::InvalidArgument("password-file", "the file holds no password");
  return s;
}

std::string TargetEmail(const Config& c) {
  if (!c.Get("email").empty()) return c.Get("email");
  return c.positional().size() > 1 ? c.positional()[1] : std::string();
}

std::string PublicUrl(const Config& c) {
  std::string u = c.Get("public-url");
  while (!u.empty() && u.back() == '/') u.pop_back();
  return u;
}

}  // namespace

int UserCommand(const Config& c) {
  if (c.positional().empty()) return Usage();
  const std::string& verb = c.positional()[0];
  if (verb != "add" && verb != "disable" && verb != "enable" && verb != "reset-password" &&
      verb != "reset-totp" && verb != "list") {
    return Usage();
  }
  if (verb != "add" && verb != "list" && TargetEmail(c).empty()) return Usage();
  std::string password;
  if (verb == "add" && !c.Get("password-file").empty()) {
    auto p = ReadPasswordFile(c.Get("password-file"));
    if (!p.ok()) return Fail(p.status());
    password = std::move(*p);
  }
  Services s;
  Status st = OpenServices(c, s);
  if (!st.ok()) return Fail(st);
  const std::string actor = Actor(c);

  if (verb == "add") {
    app::NewAccount a;
    a.email = c.Get("email");
    a.name = c.Get("name");
    a.role = c.Get("role");
    a.territories = SplitList(c.Get("territory"));
    a.sub_territories = SplitList(c.Get("sub-territory"));
    if (!c.Get("phone").empty()) a.phone = c.Get("phone");
    auto created = s.accounts->CreateAccount(a, password, actor);
    if (!created.ok()) return Fail(created.status());
    std::printf("totp_uri=%s\n", created->totp_uri.c_str());
    if (password.empty()) {
      std::fprintf(stderr,
                   "parcours: no password set; `parcours user reset-password %s` makes a link "
                   "to set one\n",
                   created->user.email.c_str());
    }
    return 0;
  }
  if (verb == "disable" || verb == "enable") {
    st = s.accounts->SetDisabled(TargetEmail(c), verb == "disable", actor);
    if (!st.ok()) return Fail(st);
    std::printf("%s %s\n", TargetEmail(c).c_str(), verb == "disable" ? "disabled" : "enabled");
    return 0;
  }
  if (verb == "reset-password") {
    auto link = s.accounts->ResetPasswordByEmail(TargetEmail(c), actor);
    if (!link.ok()) return Fail(link.status());
    std::printf("%s_url=%s/pro/lien/%s\n", link->purpose == "invitation" ? "invitation" : "reset",
                PublicUrl(c).c_str(), link->token.c_str());
    if (link->emailed) {
      // Sent by the outbox: a running `serve`, or `parcours jobs run`.
      std::printf("emailed_to=%s\n", TargetEmail(c).c_str());
    }
    return 0;
  }
  if (verb == "reset-totp") {
    auto uri = s.accounts->ResetTotp(TargetEmail(c), actor);
    if (!uri.ok()) return Fail(uri.status());
    std::printf("totp_uri=%s\n", uri->c_str());
    return 0;
  }
  auto list = s.accounts->ListAll(actor);
  if (!list.ok()) return Fail(list.status());
  for (const auto& u : *list) {
    std::string territories;
    for (const auto& t : u.territories) territories += (territories.empty() ? "" : ",") + t;
    std::printf("%s\t%s\t%s\t%s\t%s\t%s\n", u.id.c_str(), u.email.c_str(), u.role.c_str(),
                territories.empty() ? "*" : territories.c_str(),
                u.disabled ? "disabled" : (u.enrolled ? "active" : "pending"), u.name.c_str());
  }
  return 0;
}

int DemoResponders(const Config& c, const std::vector<std::string>& territories) {
  Services s;
  Status st = OpenServices(c, s);
  if (!st.ok()) return Fail(st);
  for (const auto& code : territories) {
    app::NewAccount a;
    a.email = "demo.repondant." + code + "@demo.invalid";
    a.name = "Équipe de démonstration (" + code + ")";
    a.role = "responder";
    a.territories = {code};
    // Already there (the demo loaded before: a second ./run): kept as it is.
    bool exists = false;
    st = s.storage->Read([&](storage::Transaction& tx) -> Status {
      auto found = tx.accounts().FindUserByEmail(a.email);
      if (!found.ok()) return found.status();
      exists = found->has_value();
      return Status::Ok();
    });
    if (!st.ok()) return Fail(st);
    if (!exists) {
      auto created = s.accounts->CreateAccount(a, /*password=*/"", "cli:demo");
      if (!created.ok()) return Fail(created.status());
    }
    std::printf("demo responder of %s: %s (no password: `parcours user reset-password %s`)\n",
                code.c_str(), a.email.c_str(), a.email.c_str());
  }
  return 0;
}

int AuditCommand(const Config& c) {
  if (c.positional().size() != 1 || c.positional()[0] != "export") {
    std::fprintf(stderr, "usage: parcours audit export [--output FILE]\n");
    return 2;
  }
  Services s;
  Status st = OpenServices(c, s);
  if (!st.ok()) return Fail(st);
  FILE* out = stdout;
  const std::string& path = c.Get("output");
  if (!path.empty()) {
    if (std::filesystem::exists(path)) {
      return Fail(Status::InvalidArgument("output", "refusing to overwrite existing file " + path));
    }
    out = std::fopen(path.c_str(), "wx");
    if (!out) return Fail(Status::InvalidArgument("output", "cannot create " + path));
  }
  std::int64_t after = 0, rows = 0;
  for (;;) {
    auto page = s.accounts->AuditPage(after, 1000);
    if (!page.ok()) {
      if (out != stdout) std::fclose(out);
      return Fail(page.status());
    }
    if (page->empty()) break;
    for (const auto& e : *page) {
      std::string line = boost::json::serialize(app::AuditJson(e));
      std::fprintf(out, "%s\n", line.c_str());
      after = e.id;
      ++rows;
    }
  }
  bool write_failed = std::fflush(out) != 0 || std::ferror(out) != 0;
  if (out != stdout) write_failed = std::fclose(out) != 0 || write_failed;
  if (write_failed) return Fail(Status::Unavailable("could not write the export"));
  st = s.accounts->RecordExport(Actor(c), rows);
  if (!st.ok()) return Fail(st);
  std::fprintf(stderr, "parcours: %lld audit rows exported\n", static_cast<long long>(rows));
  return 0;
}

}  // namespace parcours::cli
