#include "cli/jobs_commands.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iterator>
#include <optional>

#include "app/alerts/escalation.h"
#include "app/auth/audit.h"
#include "app/clock.h"
#include "app/crypto/contact_key.h"
#include "app/crypto/sealer.h"
#include "app/notify/alert_notices.h"
#include "app/notify/outbox.h"
#include "app/notify/outbox_admin.h"
#include "app/notify/scheduler.h"
#include "app/pathway_config.h"
#include "cli/cli_common.h"
#include "core/log.h"
#include "core/utc_time.h"
#include "http/views/mail_renderer.h"
#include "storage/storage.h"

namespace parcours::cli {
namespace {

Result<std::string> ReadSecretFile(const std::string& path, const char* field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument(field, "cannot read " + path);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  if (s.empty()) return Status::InvalidArgument(field, "the file is empty");
  return s;
}

std::string OwnerName() {
  char host[256] = {0};
  (void)::gethostname(host, sizeof host - 1);
  app::SystemRandom random;
  std::string r;
  for (unsigned char ch : random.Bytes(4)) {
    static const char* kHex = "0123456789abcdef";
    r += kHex[ch >> 4];
    r += kHex[ch & 15];
  }
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + r;
}

std::string Iso(long long ms) { return core::UtcText(ms, "%Y-%m-%dT%H:%M:%SZ"); }

}  // namespace

Result<long long> ParseIsoTime(const std::string& s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, n = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5) {
    return Status::InvalidArgument("now", "ISO-8601 time expected, e.g. 2026-12-01T09:30:00Z");
  }
  std::string rest = s.substr(static_cast<std::size_t>(n));
  if (rest.size() >= 3 && rest[0] == ':') {
    int used = 0;
    if (std::sscanf(rest.c_str(), ":%2d%n", &sec, &used) != 1) {
      return Status::InvalidArgument("now", "bad seconds");
    }
    rest = rest.substr(static_cast<std::size_t>(used));
  }
  long long offset_min = 0;
  if (rest == "Z" || rest.empty()) {
    // UTC
  } else if ((rest[0] == '+' || rest[0] == '-') && rest.size() == 6 && rest[3] == ':') {
    int oh = 0, om = 0;
    if (std::sscanf(rest.c_str() + 1, "%2d:%2d", &oh, &om) != 2) {
      return Status::InvalidArgument("now", "bad offset");
    }
    offset_min = (rest[0] == '+' ? 1 : -1) * (oh * 60LL + om);
  } else {
    return Status::InvalidArgument("now", "ISO-8601 time expected, e.g. 2026-12-01T09:30:00Z");
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
    return Status::InvalidArgument("now", "date or time out of range");
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  const long long t = static_cast<long long>(timegm(&tm));
  return (t - offset_min * 60) * 1000;
}

Result<app::NotifySettings> NotifySettingsFrom(const Config& c) {
  app::NotifySettings s;
  s.smtp.url = c.Get("smtp-url");
  s.smtp.from = c.Get("smtp-from");
  s.smtp.allow_plaintext = c.Get("smtp-allow-plaintext") == "true";
  if (!c.Get("smtp-password-file").empty()) {
    auto p = ReadSecretFile(c.Get("smtp-password-file"), "smtp-password-file");
    if (!p.ok()) return p.status();
    s.smtp.password = std::move(*p);
  }
  if (s.email_on()) {
    auto probe = app::SmtpChannel::Create(s.smtp);  // checks the URL and the sender
    if (!probe.ok()) return probe.status();
  }
  s.sms.url = c.Get("sms-gateway-url");
  s.sms.auth_header = c.Get("sms-gateway-auth");
  if (!c.Get("sms-gateway-body").empty()) s.sms.body_template = c.Get("sms-gateway-body");
  if (s.sms_on()) {
    auto probe = app::SmsGatewayChannel::Create(s.sms);
    if (!probe.ok()) return probe.status();
  }
  auto attempts = c.GetInt("outbox-max-attempts", 1, 100);
  auto backoff = c.GetInt("outbox-backoff", 1, 86400);
  auto cap = c.GetInt("outbox-backoff-cap", 1, 7 * 86400);
  auto lease = c.GetInt("outbox-lease", 2, 3600);
  auto workers = c.GetInt("outbox-workers", 1, 64);
  for (const Status* st :
       {&attempts.status(), &backoff.status(), &cap.status(), &lease.status(), &workers.status()}) {
    if (!st->ok()) return *st;
  }
  s.sender.max_attempts = *attempts;
  s.sender.backoff_base_ms = *backoff * 1000LL;
  s.sender.backoff_cap_ms = std::max(*cap, *backoff) * 1000LL;
  s.sender.lease_ms = *lease * 1000LL;
  // A send must end well inside the lease: it starts only with this much
  // lease left, and the channels give up before it is spent.
  s.sender.send_timeout_ms = std::min<std::int64_t>(40'000, s.sender.lease_ms / 2);
  const long channel_timeout = std::max<long>(1, s.sender.send_timeout_ms / 1000 - 1);
  s.smtp.timeout_seconds = std::min(s.smtp.timeout_seconds, channel_timeout);
  s.sms.timeout_seconds = std::min(s.sms.timeout_seconds, channel_timeout);
  s.sender.workers = *workers;
  s.sender.owner = OwnerName();
  return s;
}

Result<app::RemindSettings> RemindSettingsFrom(const Config& c) {
  auto alert_days = c.GetInt("retention-alert-contact-days", 1, 3650);
  auto reminder_days = c.GetInt("retention-reminder-days", 1, 3650);
  auto outbox_days = c.GetInt("retention-outbox-days", 0, 3650);
  auto digest_hour = c.GetInt("digest-hour", 0, 23);
  for (const Status* s : {&alert_days.status(), &reminder_days.status(), &outbox_days.status(),
                          &digest_hour.status()}) {
    if (!s->ok()) return *s;
  }
  app::RemindSettings r;
  r.public_url = c.Get("public-url");
  r.digest_hour = *digest_hour;
  r.retention.alert_contact_days = *alert_days;
  r.retention.reminder_days = *reminder_days;
  r.retention.outbox_days = *outbox_days;
  return r;
}

int JobsCommand(const Config& c) {
  if (c.positional().size() != 1 || c.positional()[0] != "run") {
    std::fprintf(stderr, "usage: parcours jobs run [--now ISO-8601]\n");
    return 2;
  }
  app::SystemClock clock;
  app::SystemRandom random;
  long long now = clock.NowMs();
  if (!c.Get("now").empty()) {
    auto t = ParseIsoTime(c.Get("now"));
    if (!t.ok()) return Fail(t.status());
    now = *t;
  }
  log::Info(
      "jobs run",
      {{"now", Iso(now)}, {"simulated", !c.Get("now").empty()}, {"real_now", Iso(clock.NowMs())}});
  auto notify = NotifySettingsFrom(c);
  if (!notify.ok()) return Fail(notify.status());
  auto storage = OpenDatabase(c);
  if (!storage.ok()) return FailMessage(storage.status());
  auto key_file = KeyFile(c);
  if (!key_file.ok()) return FailMessage(key_file.status());
  auto sealer = app::OpenContactKey(**storage, *key_file, random);
  if (!sealer.ok()) return FailMessage(sealer.status());
  auto pathway = app::PathwayConfig::Load(ShareDir(c));
  if (!pathway.ok()) return FailMessage(pathway.status());
  const std::string from = app::AddressOf(notify->smtp.from);
  const auto at = from.find('@');
  auto renderer = http::MailRenderer::Load(ShareDir(c), c.Get("public-url"),
                                           at == std::string::npos ? "" : from.substr(at + 1));
  if (!renderer.ok()) return FailMessage(renderer.status());
  app::AlertNotices notices(*pathway, *sealer, clock, random);
  app::AlertEscalation escalation(*pathway, **storage, clock, random);
  escalation.SetNotices(&notices);
  app::Scheduler scheduler(clock, std::chrono::seconds(60));
  app::JobContext ctx{**storage, *sealer, clock, random, *pathway, **renderer, *notify};
  ctx.escalation = &escalation;
  auto remind = RemindSettingsFrom(c);
  if (!remind.ok()) return FailMessage(remind.status());
  ctx.remind = *remind;
  for (auto& j : app::RegisterJobs(ctx)) scheduler.Add(std::move(j.job), j.on_nudge);
  Status st = scheduler.RunAllOnce(now);
  if (!st.ok()) return FailMessage(st);
  std::printf("jobs run at %s: done\n", Iso(now).c_str());
  return 0;
}

namespace {

// `parcours outbox test`: test messages (an operator checking the SMTP
// server or the SMS gateway; the reliability tests and bench/outbox.sh
// with --count), enqueued 500 per transaction.
int EnqueueTestMessages(const Config& c, storage::Storage& storage) {
  const std::string email = c.Get("email");
  const std::string phone = c.Get("phone");
  if (email.empty() && phone.empty()) {
    return Fail(
        Status::InvalidArgument("email", "outbox test needs --email ADDRESS or --phone NUMBER"));
  }
  auto count = c.GetInt("count", 1, 10'000'000);
  if (!count.ok()) return Fail(count.status());
  app::SystemClock clock;
  app::SystemRandom random;
  auto key_file = KeyFile(c);
  if (!key_file.ok()) return FailMessage(key_file.status());
  auto sealer = app::OpenContactKey(storage, *key_file, random);
  if (!sealer.ok()) return FailMessage(sealer.status());
  const std::string run = app::NewId(clock, random);
  int done = 0;
  while (done < *count) {
    const int n = std::min(500, *count - done);
    Status st = storage.Transact([&](storage::Transaction& tx) -> Status {
      for (int i = done; i < done + n; ++i) {
        for (const auto& [channel, to] : {std::pair{"email", email}, std::pair{"sms", phone}}) {
          if (to.empty()) continue;
          const app::OutgoingMessage m{
              .dedupe_key = "test/" + run + "/" + std::to_string(i) + "/" + channel,
              .channel = channel,
              .kind = "test",
              .to = to,
              .language = std::string("fr"),
              .template_name = "test",
              .vars = {{"path", "/"}},
          };
          PARCOURS_RETURN_IF_ERROR(app::EnqueueMessage(tx, *sealer, clock, random, m));
        }
      }
      return app::WriteAudit(
          tx, clock.NowMs(),
          {Actor(c), "create", "outbox", run, "", std::to_string(n) + " test messages"});
    });
    if (!st.ok()) return FailMessage(st);
    done += n;
  }
  std::printf(
      "enqueued %d test message(s) per channel (run %s); they leave with the next "
      "`serve` scheduler pass or `parcours jobs run`\n",
      *count, run.c_str());
  return 0;
}

}  // namespace

int OutboxCommand(const Config& c) {
  const auto& pos = c.positional();
  const bool list = pos.size() == 1 && pos[0] == "list";
  const bool retry = pos.size() == 2 && pos[0] == "retry";
  const bool test = pos.size() == 1 && pos[0] == "test";
  if (!list && !retry && !test) {
    std::fprintf(stderr,
                 "usage: parcours outbox list [--status pending|sent|failed]\n"
                 "       parcours outbox retry ID\n"
                 "       parcours outbox test --email ADDRESS [--phone NUMBER] [--count N]\n");
    return 2;
  }
  auto storage = OpenDatabase(c);
  if (!storage.ok()) return FailMessage(storage.status());
  if (test) return EnqueueTestMessages(c, **storage);
  app::SystemClock clock;
  app::OutboxAdmin admin(**storage, clock);
  if (retry) {
    Status st = admin.ReplayAny(Actor(c), pos[1]);
    if (!st.ok()) return Fail(st);
    std::printf("message %s is pending again (due now)\n", pos[1].c_str());
    return 0;
  }
  std::optional<std::string> status;
  if (!c.Get("status").empty()) status = c.Get("status");
  auto rows = admin.ListAll(Actor(c), status, 1000);
  if (!rows.ok()) return Fail(rows.status());
  std::printf("%-26s %-6s %-14s %-16s %-8s %-8s %-20s %s\n", "id", "chan", "kind", "territory",
              "status", "attempts", "created", "last answer");
  for (const auto& m : *rows) {
    std::printf("%-26s %-6s %-14s %-16s %-8s %-8d %-20s %s\n", m.id.c_str(), m.channel.c_str(),
                m.kind.c_str(), m.territory_code.empty() ? "-" : m.territory_code.c_str(),
                m.status.c_str(), m.attempts, Iso(m.created_at).c_str(),
                m.last_error.value_or("").c_str());
  }
  return 0;
}

}  // namespace parcours::cli
