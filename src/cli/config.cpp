#include "cli/config.h"

#include <cctype>
#include <charconv>
#include <fstream>
#include <string_view>

extern char** environ;

namespace parcours::cli {
namespace {

const SettingSpec* Find(const std::string& key) {
  for (const auto& s : AllSettings()) {
    if (key == s.key) return &s;
  }
  return nullptr;
}

std::string EnvName(const std::string& key) {
  std::string out = "PARCOURS_";
  for (char c : key)
    out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t\r");
  std::size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

const std::vector<SettingSpec>& AllSettings() {
  static const std::vector<SettingSpec> kAll = {
      {"config", "", "configuration file (key = value lines)"},
      {"database", "sqlite:./var/parcours.db",
       "database URL: sqlite:PATH (embedded) or postgresql://user@host:port/db"},
      {"key-file", "",
       "file holding the key that seals parents' contact details (64 hex characters); "
       "created when missing on a new database (default: contact.key beside the SQLite file; "
       "required with PostgreSQL)"},
      {"bind", "127.0.0.1", "address to listen on"},
      {"port", "8080", "TCP port to listen on (0 = any free port)"},
      {"share-dir", "",
       "directory holding templates/, data/, static/ and node_modules/ "
       "(default: the source tree the program was built from)"},
      {"io-threads", "2", "threads handling connections"},
      {"worker-threads", "64", "threads running request handlers (may wait on the database)"},
      {"db-pool", "8", "database connections (PostgreSQL pool; SQLite readers)"},
      {"api-body-limit", "262144", "largest request body accepted under /api/, in bytes"},
      {"form-body-limit", "65536", "largest request body accepted elsewhere, in bytes"},
      {"read-timeout", "30", "seconds allowed to receive one request"},
      {"idle-timeout", "60", "seconds a keep-alive connection may stay idle"},
      {"log-level", "info", "debug, info, warn or error"},
      // Public surface (docs: README "Settings").
      {"max-connections", "4096",
       "open connections kept at most; at the cap the oldest one still waiting for a request "
       "is closed"},
      {"worker-queue", "2048", "requests waiting for a worker at most (beyond: 503 + Retry-After)"},
      {"metrics-token", "",
       "bearer token required by GET /metrics (empty: /metrics is not served)"},
      {"hsts-max-age", "0",
       "seconds of Strict-Transport-Security sent with every response (0: none; set it only "
       "when clients reach the server over HTTPS)"},
      {"trusted-proxies", "",
       "comma-separated peer addresses whose X-Forwarded-For is believed (e.g. 127.0.0.1 for a "
       "local nginx)"},
      {"rate-window", "3600", "seconds over which the per-address limits below refill"},
      {"screening-limit", "30", "screenings per address per rate window"},
      {"recontact-limit", "5", "recontact requests per address per rate window"},
      {"lookup-limit", "20", "request-status lookups by reference per address per rate window"},
      {"partner-keys", "",
       "comma-separated keys partners send in X-Partner-Key to get partner-screening-limit"},
      {"partner-screening-limit", "3000", "screenings per rate window for a partner key"},
      {"flood-threshold", "20",
       "recontact requests per territory per hour past which new ones are flagged as a "
       "suspected flood (still accepted)"},
      {"escalation-interval", "60",
       "seconds between two sweeps recording overdue alerts as escalated (5 to 3600; 0: no "
       "sweep)"},
      {"alert-poll-ms", "1000",
       "milliseconds between two reads of the alert event log by the live inbox when nothing "
       "nudged it (events written by other instances; 100 to 60000)"},
      // Issue 12: parents' reminders, the responders' digest, the retention purge.
      {"digest-hour", "8",
       "local hour (0-23) of the responders' daily digest, in their territory's time zone"},
      {"retention-alert-contact-days", "90",
       "days after an alert is closed before its contact details are erased (1 to 3650)"},
      {"retention-reminder-days", "30",
       "days after a reminder was sent or stopped before its row is deleted (1 to 3650)"},
      {"retention-outbox-days", "1",
       "days after a message was sent before its sealed recipient and links are erased from "
       "the outbox (0 to 3650)"},
      {"output", "", "output file (backup)"},
      // Directory commands (import, resource, subterritory, demo).
      {"dry-run", "false", "import: report what would change, write nothing"},
      {"territory", "",
       "import: territory codes to keep, comma-separated (default: the six); "
       "resource publish: territory to publish"},
      {"format", "csv", "import communes: csv or etalab-json"},
      {"kind", "", "resource publish: kind of resource to publish"},
      {"source", "", "resource publish: rpps, finess, manual or demo"},
      {"actor", "", "name recorded in the directory history (default cli:$USER)"},
      // Accounts (user, audit) and the professional side of serve.
      {"email", "", "user: e-mail address of the account"},
      {"name", "", "user add: full name"},
      {"role", "",
       "user add: responder, professional, specialised_team, coordinator, national or admin"},
      {"phone", "", "user add: phone number (optional)"},
      {"sub-territory", "",
       "user add: sub-territory codes the account is narrowed to, comma-separated (default: "
       "its whole territories)"},
      {"password-file", "",
       "user add: file holding the password (a trailing newline is not part of it)"},
      {"public-url", "",
       "public address of the site, for one-time links (serve: default from the request's Host; "
       "user reset-password: default none, the path is printed)"},
      {"password-hash-concurrency", "2",
       "password hashes computed at once (each holds 64 MiB while it runs)"},
      // Outgoing messages and scheduled jobs (issue 12; docs/operations.md).
      {"smtp-url", "",
       "SMTP server for e-mail: smtp://host:port (STARTTLS required unless the host is loopback "
       "or smtp-allow-plaintext) or smtps://host:port; credentials may be in the URL "
       "(smtp://user:password@host); empty: e-mail off"},
      {"smtp-from", "", "sender of e-mails, e.g. \"Parcours DPP <ne-pas-repondre@example.fr>\""},
      {"smtp-password-file", "", "file holding the SMTP password (instead of the URL)"},
      {"smtp-allow-plaintext", "false",
       "allow SMTP without STARTTLS towards a host that is not loopback"},
      {"sms-gateway-url", "", "HTTP(S) URL of the SMS gateway (POST); empty: SMS off"},
      {"sms-gateway-auth", "",
       "header line sent to the SMS gateway, e.g. \"Authorization: Bearer TOKEN\""},
      {"sms-gateway-body", "",
       "JSON body template of the SMS gateway, with {{to}}, {{text}} and {{id}} (the "
       "idempotency key) [default: {\"to\":\"{{to}}\",\"text\":\"{{text}}\","
       "\"idempotency_key\":\"{{id}}\"}]"},
      {"outbox-max-attempts", "8",
       "attempts to send a message before it is failed (a permanent answer fails it at once)"},
      {"outbox-backoff", "60",
       "seconds before the second attempt; doubled for each next one (up to outbox-backoff-cap)"},
      {"outbox-backoff-cap", "21600", "longest wait between two attempts, in seconds"},
      {"outbox-lease", "120",
       "seconds a sender holds the messages it claimed (2 to 3600; then another may take them); "
       "a send starts only with half of it left, and times out before"},
      {"outbox-workers", "2", "messages sent at once by one process"},
      {"no-scheduler", "false",
       "serve: do not run the scheduled jobs (outbox sender…) in this process"},
      {"scheduler-interval", "30", "serve: seconds between two runs of the scheduled jobs"},
      {"now", "", "jobs run: the time (ISO-8601) deciding what is due; leases use the real clock"},
      {"status", "", "outbox list: pending, sent or failed"},
      {"count", "1", "outbox test: how many test messages per channel"},
  };
  return kAll;
}

Result<Config> Config::Parse(const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env) {
  Config c;
  for (const auto& s : AllSettings()) {
    c.values_[s.key] = s.default_value;
    c.sources_[s.key] = "default";
  }
  // Flags first (collected), so --config is known before reading the file.
  std::map<std::string, std::string> flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      c.help_ = true;
      continue;
    }
    if (!a.starts_with("--")) {
      c.positional_.push_back(a);
      continue;
    }
    std::string key = a.substr(2);
    std::string value;
    auto eq = key.find('=');
    if (eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
    } else if (const SettingSpec* spec = Find(key);
               spec && std::string_view(spec->default_value) == "false") {
      value = "true";  // a switch: "--dry-run" alone means true
    } else {
      if (i + 1 >= args.size()) return Status::InvalidArgument(key, "--" + key + " needs a value");
      value = args[++i];
    }
    if (!Find(key)) return Status::InvalidArgument(key, "unknown option --" + key);
    flags[key] = value;
  }
  std::string file = flags.count("config") ? flags["config"] : "";
  if (file.empty()) {
    auto it = env.find("PARCOURS_CONFIG");
    if (it != env.end()) file = it->second;
  }
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return Status::InvalidArgument("config", "cannot read configuration file " + file);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      line = Trim(line);
      if (line.empty() || line[0] == '#') continue;
      auto eq = line.find('=');
      std::string where = file;
      where += ':';
      where += std::to_string(n);
      if (eq == std::string::npos) {
        return Status::InvalidArgument("config", where + ": expected key = value");
      }
      std::string key = Trim(line.substr(0, eq));
      if (!Find(key)) {
        where += ": unknown setting ";
        where += key;
        return Status::InvalidArgument(key, where);
      }
      c.values_[key] = Trim(line.substr(eq + 1));
      c.sources_[key] = "file";
    }
  }
  for (const auto& s : AllSettings()) {
    auto it = env.find(EnvName(s.key));
    if (it != env.end()) {
      c.values_[s.key] = it->second;
      c.sources_[s.key] = "env";
    }
  }
  for (const auto& [k, v] : flags) {
    c.values_[k] = v;
    c.sources_[k] = "flag";
  }
  return c;
}

const std::string& Config::Get(const std::string& key) const { return values_.at(key); }
const std::string& Config::Source(const std::string& key) const { return sources_.at(key); }

Result<int> Config::GetInt(const std::string& key, int min, int max) const {
  const std::string& v = Get(key);
  int out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || out < min || out > max) {
    return Status::InvalidArgument(key, key + " must be a whole number from " +
                                            std::to_string(min) + " to " + std::to_string(max) +
                                            " (got '" + v + "')");
  }
  return out;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    if (!kv.starts_with("PARCOURS_")) continue;
    auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

}  // namespace parcours::cli
