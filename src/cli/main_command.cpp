#include "cli/main_command.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "app/clock.h"
#include "app/crypto/contact_key.h"
#include "app/crypto/sealer.h"
#include "cli/cli_common.h"
#include "cli/config.h"
#include "cli/directory_commands.h"
#include "cli/jobs_commands.h"
#include "cli/territory_commands.h"
#include "cli/user_commands.h"
#include "core/log.h"
#include "http/server.h"
#include "http/web_app.h"
#include "storage/sqlite/sqlite_storage.h"
#include "storage/storage.h"

namespace parcours::cli {
namespace {

struct Command {
  const char* name;
  const char* summary;
  std::vector<const char*> settings;  // settings it reads
  std::function<int(const Config&)> run;
};

Result<std::unique_ptr<storage::Storage>> OpenAndMigrate(const Config& c) {
  auto st = OpenDatabase(c);
  if (!st.ok()) return st.status();
  auto v = (*st)->SchemaVersion();
  if (!v.ok()) return v.status();
  log::Info("database ready",
            {{"backend", (*st)->Backend()}, {"schema_version", static_cast<std::int64_t>(*v)}});
  return st;
}

// Raises the soft limit on open files to the hard limit, and returns the
// connection cap that fits under it (files, database and a margin kept).
int RaiseFileLimit(int wanted) {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return wanted;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &rl);
    (void)::getrlimit(RLIMIT_NOFILE, &rl);
  }
  constexpr rlim_t kReserved = 128;
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < static_cast<rlim_t>(wanted) + kReserved) {
    const int fit = rl.rlim_cur > kReserved + 16 ? static_cast<int>(rl.rlim_cur - kReserved) : 16;
    log::Warn("max-connections lowered to fit the open-file limit",
              {{"max_connections", static_cast<std::int64_t>(fit)}});
    return fit;
  }
  return wanted;
}

int Serve(const Config& c) {
  http::ServerOptions so;
  so.bind = c.Get("bind");
  auto port = c.GetInt("port", 0, 65535);
  auto io = c.GetInt("io-threads", 1, 64);
  auto workers = c.GetInt("worker-threads", 1, 1024);
  auto api_limit = c.GetInt("api-body-limit", 1024, 64 * 1024 * 1024);
  auto form_limit = c.GetInt("form-body-limit", 1024, 64 * 1024 * 1024);
  auto read_timeout = c.GetInt("read-timeout", 1, 3600);
  auto idle_timeout = c.GetInt("idle-timeout", 1, 3600);
  for (const Status* s : {&port.status(), &io.status(), &workers.status(), &api_limit.status(),
                          &form_limit.status(), &read_timeout.status(), &idle_timeout.status()}) {
    if (!s->ok()) return FailMessage(*s);
  }
  so.port = static_cast<unsigned short>(*port);
  so.io_threads = *io;
  so.worker_threads = *workers;
  so.api_body_limit = static_cast<std::size_t>(*api_limit);
  so.form_body_limit = static_cast<std::size_t>(*form_limit);
  so.read_timeout = std::chrono::seconds(*read_timeout);
  so.idle_timeout = std::chrono::seconds(*idle_timeout);
  http::WebOptions wo;
  wo.share_dir = ShareDir(c);
  {
    auto max_conn = c.GetInt("max-connections", 16, 1000000);
    auto queue = c.GetInt("worker-queue", 1, 1000000);
    auto hsts = c.GetInt("hsts-max-age", 0, 100000000);
    auto window = c.GetInt("rate-window", 1, 7 * 86400);
    auto screening = c.GetInt("screening-limit", 1, 100000000);
    auto recontact = c.GetInt("recontact-limit", 1, 100000000);
    auto lookup = c.GetInt("lookup-limit", 1, 100000000);
    auto partner = c.GetInt("partner-screening-limit", 1, 100000000);
    auto flood = c.GetInt("flood-threshold", 1, 100000000);
    for (const Status* s : {&max_conn.status(), &queue.status(), &hsts.status(), &window.status(),
                            &screening.status(), &recontact.status(), &lookup.status(),
                            &partner.status(), &flood.status()}) {
      if (!s->ok()) return FailMessage(*s);
    }
    so.max_connections = RaiseFileLimit(*max_conn);
    so.max_queue = static_cast<std::size_t>(*queue);
    wo.hsts_max_age = *hsts;
    wo.metrics_token = c.Get("metrics-token");
    wo.guard.window = std::chrono::seconds(*window);
    wo.guard.screening_limit = *screening;
    wo.guard.recontact_limit = *recontact;
    wo.guard.lookup_limit = *lookup;
    wo.guard.partner_screening_limit = *partner;
    wo.guard.trusted_proxies = SplitList(c.Get("trusted-proxies"));
    wo.guard.partner_keys = SplitList(c.Get("partner-keys"));
    wo.flood_threshold = *flood;
  }
  {
    auto sweep = c.GetInt("escalation-interval", 0, 3600);
    auto poll = c.GetInt("alert-poll-ms", 100, 60000);
    if (!sweep.ok()) return Fail(sweep.status());
    if (!poll.ok()) return Fail(poll.status());
    // A sweep more often than every 5 s would only load the database.
    if (*sweep > 0 && *sweep < 5) {
      return Fail(Status::InvalidArgument("escalation-interval", "0 (off) or 5 to 3600 seconds"));
    }
    wo.escalation_interval = *sweep;
    wo.alert_poll_ms = *poll;
  }
  wo.public_url = c.Get("public-url");
  {
    auto notify = NotifySettingsFrom(c);
    if (!notify.ok()) return Fail(notify.status());
    auto interval = c.GetInt("scheduler-interval", 1, 3600);
    if (!interval.ok()) return Fail(interval.status());
    wo.notify = std::move(*notify);
    wo.scheduler = c.Get("no-scheduler") != "true";
    wo.scheduler_interval = *interval;
    auto remind = RemindSettingsFrom(c);
    if (!remind.ok()) return FailMessage(remind.status());
    wo.retention_alert_contact_days = remind->retention.alert_contact_days;
    wo.retention_reminder_days = remind->retention.reminder_days;
    wo.retention_outbox_days = remind->retention.outbox_days;
    wo.digest_hour = remind->digest_hour;
  }
  {
    auto hashes = c.GetInt("password-hash-concurrency", 1, 64);
    if (!hashes.ok()) return FailMessage(hashes.status());
    wo.password_hash_concurrency = *hashes;
  }

  auto storage = OpenAndMigrate(c);
  if (!storage.ok()) return FailMessage(storage.status());
  app::SystemClock clock;
  app::SystemRandom random;
  auto key_file = KeyFile(c);
  if (!key_file.ok()) return FailMessage(key_file.status());
  auto sealer = app::OpenContactKey(**storage, *key_file, random);
  if (!sealer.ok()) return FailMessage(sealer.status());
  auto web = http::WebApp::Create(wo, **storage, clock, random, *sealer);
  if (!web.ok()) return FailMessage(web.status());

  http::Server server(so, (*web)->MakeHandlers());
  (*web)->ObserveServer(server);
  std::string err = server.Listen();
  if (!err.empty()) return FailMessage(Status::Unavailable(err));
  server.StopOnSignals();
  log::Info("listening",
            {{"bind", so.bind},
             {"port", static_cast<std::int64_t>(server.port())},
             {"url", "http://" + so.bind + ":" + std::to_string(server.port()) + "/"}});
  server.Run();
  if (server.workers_abandoned()) {
    // A handler is stuck past the drain timeout: leave without waiting.
    log::Warn("stopped with handlers still running", {});
    std::fflush(nullptr);
    ::_exit(0);
  }
  log::Info("stopped", {});
  return 0;
}

int Migrate(const Config& c) {
  auto storage = OpenAndMigrate(c);
  if (!storage.ok()) return FailMessage(storage.status());
  auto v = (*storage)->SchemaVersion();
  if (!v.ok()) return FailMessage(v.status());
  std::printf("schema version %d (%s)\n", *v, std::string((*storage)->Backend()).c_str());
  return 0;
}

int Backup(const Config& c) {
  std::string out = c.Get("output");
  if (out.empty() && !c.positional().empty()) out = c.positional()[0];
  const std::string& url = c.Get("database");
  if (url.starts_with("postgres")) {
    std::printf(
        "PostgreSQL databases are backed up with the server's own tools, e.g.\n"
        "  pg_dump --format=custom --file=parcours-$(date +%%F).dump '%s'\n"
        "or continuous archiving (see docs/operations.md).\n",
        url.c_str());
    return 0;
  }
  if (out.empty())
    return FailMessage(Status::InvalidArgument("output", "backup needs --output FILE"));
  if (std::filesystem::exists(out)) {
    return FailMessage(
        Status::InvalidArgument("output", "refusing to overwrite existing file " + out));
  }
  std::string path = url.starts_with("sqlite:") ? url.substr(7) : url;
  if (!std::filesystem::exists(path)) {
    return FailMessage(Status::NotFound("no database at " + path));
  }
  Status st = storage::BackupSqlite(path, out);
  if (!st.ok()) return FailMessage(st);
  std::printf("backup written to %s\n", out.c_str());
  return 0;
}

int Version(const Config&) {
  std::printf("parcours %s\n", PARCOURS_VERSION);
  return 0;
}

// The settings of `serve` and `jobs run` that send messages and run the jobs.
std::vector<const char*> With(std::vector<const char*> settings) {
  for (const char* s :
       {"smtp-url", "smtp-from", "smtp-password-file", "smtp-allow-plaintext", "sms-gateway-url",
        "sms-gateway-auth", "sms-gateway-body", "outbox-max-attempts", "outbox-backoff",
        "outbox-backoff-cap", "outbox-lease", "outbox-workers", "digest-hour",
        "retention-alert-contact-days", "retention-reminder-days", "retention-outbox-days"}) {
    settings.push_back(s);
  }
  settings.push_back("log-level");
  return settings;
}

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"serve", "migrate the database, then serve HTTP until SIGTERM/SIGINT",
       With({"config",
             "database",
             "key-file",
             "bind",
             "port",
             "share-dir",
             "io-threads",
             "worker-threads",
             "db-pool",
             "api-body-limit",
             "form-body-limit",
             "read-timeout",
             "idle-timeout",
             "max-connections",
             "worker-queue",
             "metrics-token",
             "hsts-max-age",
             "trusted-proxies",
             "rate-window",
             "screening-limit",
             "recontact-limit",
             "lookup-limit",
             "partner-keys",
             "partner-screening-limit",
             "flood-threshold",
             "escalation-interval",
             "alert-poll-ms",
             "public-url",
             "password-hash-concurrency",
             "no-scheduler",
             "scheduler-interval"}),
       Serve},
      {"migrate",
       "apply pending database migrations and print the schema version",
       {"config", "database", "db-pool", "log-level"},
       Migrate},
      {"backup",
       "online backup of the SQLite database to --output FILE (PostgreSQL: prints the pg_dump "
       "command)",
       {"config", "database", "output", "log-level"},
       Backup},
      {"version", "print the program version", {}, Version},
      // Directory of professionals and structures (cli/directory_commands.h).
      {"import",
       "import rpps|finess|communes FILE: load open data into the directory",
       {"config", "database", "db-pool", "dry-run", "territory", "format", "actor", "log-level"},
       ImportCommand},
      {"resource",
       "resource add|edit|show|verify|deactivate|reactivate|publish|unpublish: hand edits",
       {"config", "database", "db-pool", "kind", "territory", "source", "actor", "log-level"},
       ResourceCommand},
      {"subterritory",
       "subterritory set CODE field=value...|list TERRITORY|of COMMUNE: routing areas",
       {"config", "database", "db-pool", "log-level"},
       SubTerritoryCommand},
      {"demo",
       "demo load: communes, a fictional directory and demo responders for a first look (marked "
       "demo)",
       {"config", "database", "db-pool", "key-file", "share-dir", "log-level"},
       DemoCommand},
      // Pathway configuration (cli/territory_commands.h).
      {"territory",
       "territory holidays CODE YEAR | deadline CODE URGENCY YYYY-MM-DDTHH:MM: closed days and "
       "alert deadlines as computed",
       {"config", "database", "share-dir", "log-level"},
       TerritoryCommand},
      // Accounts of professionals and the audit log (cli/user_commands.h).
      {"user",
       "user add|disable|enable|reset-password|reset-totp|list: professionals' accounts",
       {"config", "database", "db-pool", "key-file", "share-dir", "email", "name", "role",
        "territory", "sub-territory", "phone", "password-file", "public-url", "smtp-url", "actor",
        "log-level"},
       UserCommand},
      // Scheduled jobs and the outbox (cli/jobs_commands.h).
      {"jobs",
       "jobs run [--now ISO-8601]: run every scheduled job once (escalation sweep, outbox "
       "sender…) and exit",
       With({"config", "database", "db-pool", "key-file", "share-dir", "public-url", "now"}),
       JobsCommand},
      {"outbox",
       "outbox list [--status failed] | retry ID | test --email A [--phone P] [--count N]: "
       "messages to send, replaying a failed one, test messages",
       {"config", "database", "db-pool", "key-file", "status", "email", "phone", "count", "actor",
        "log-level"},
       OutboxCommand},
      {"audit",
       "audit export [--output FILE]: the audit log as JSON lines",
       {"config", "database", "db-pool", "key-file", "share-dir", "output", "actor", "log-level"},
       AuditCommand},
  };
  return kCommands;
}

void PrintUsage(FILE* out) {
  std::fprintf(out, "Usage: parcours COMMAND [options]\n\nCommands:\n");
  for (const auto& c : Commands()) std::fprintf(out, "  %-10s %s\n", c.name, c.summary);
  std::fprintf(out, "\nRun 'parcours COMMAND --help' for the options of a command.\n");
}

void PrintCommandHelp(const Command& cmd) {
  std::printf(
      "Usage: parcours %s [options]\n\n%s\n\nOptions (flag, or PARCOURS_<NAME> in the environment, "
      "or 'name = value' in the --config file):\n",
      cmd.name, cmd.summary);
  for (const char* key : cmd.settings) {
    for (const auto& s : AllSettings()) {
      if (std::string(s.key) != key) continue;
      std::printf("  --%-18s %s", s.key, s.help);
      if (*s.default_value) std::printf(" [default: %s]", s.default_value);
      std::printf("\n");
    }
  }
  std::printf("  --%-18s %s\n", "help", "show this help");
}

}  // namespace

int Main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(stderr);
    return 2;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(stdout);
    return 0;
  }
  if (name == "--version") name = "version";
  const Command* cmd = nullptr;
  for (const auto& c : Commands()) {
    if (name == c.name) cmd = &c;
  }
  if (!cmd) {
    std::fprintf(stderr, "parcours: unknown command '%s'\n\n", name.c_str());
    PrintUsage(stderr);
    return 2;
  }
  // Database, key and any other file this program creates: owner only
  // (0600 files, 0700 directories).
  ::umask(077);
  std::vector<std::string> args(argv + 2, argv + argc);
  auto config = Config::Parse(args, ProcessEnvironment());
  if (!config.ok()) return FailMessage(config.status());
  if (config->help()) {
    PrintCommandHelp(*cmd);
    return 0;
  }
  const std::string& level = config->Get("log-level");
  if (level == "debug")
    log::SetMinLevel(log::Level::kDebug);
  else if (level == "warn")
    log::SetMinLevel(log::Level::kWarn);
  else if (level == "error")
    log::SetMinLevel(log::Level::kError);
  else if (level != "info")
    return FailMessage(
        Status::InvalidArgument("log-level", "log-level must be debug, info, warn or error"));
  return cmd->run(*config);
}

}  // namespace parcours::cli
