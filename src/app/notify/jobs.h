// The program's scheduled jobs, in one list: `serve` runs them in its
// Scheduler, `parcours jobs run` runs each once. To add a job (the parents'
// reminders, the daily digest, the retention purge…), construct it in
// RegisterJobs (jobs.cpp) from what JobContext holds — add to JobContext
// what it needs — and push it onto the list; nothing else needs to know.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/notify/outbox_sender.h"
#include "app/notify/purge_job.h"
#include "app/notify/scheduled_job.h"
#include "app/notify/sms_gateway_channel.h"
#include "app/notify/smtp_channel.h"

namespace parcours::storage {
class Storage;
}

namespace parcours::app {

class AlertEscalation;
class Clock;
class MessageRenderer;
class PathwayConfig;
class Random;
class Sealer;

// The outbox's channels and sender: settings of `serve` and `jobs run`.
struct NotifySettings {
  SmtpSettings smtp;       // url "" = e-mail off
  SmsGatewaySettings sms;  // url "" = SMS off
  SenderOptions sender;
  bool email_on() const { return !smtp.url.empty(); }
  bool sms_on() const { return !sms.url.empty(); }
};

// The parents' reminders, the responders' digest and the retention purge
// (issue 12, branch remind): settings of `serve` and `jobs run`.
struct RemindSettings {
  std::string public_url;  // "" = no reminder or digest can carry a link: not sent
  int digest_hour = 8;
  RetentionPeriods retention;
};

// Channels for one sending thread, per the settings (nullptr factories for
// the channels that are off).
ChannelFactory MakeChannels(const NotifySettings& s);

struct JobContext {
  storage::Storage& storage;
  const Sealer& sealer;
  Clock& clock;  // the real clock (leases, created_at)
  Random& random;
  const PathwayConfig& pathway;
  const MessageRenderer& renderer;
  const NotifySettings& notify;
  // The escalation sweep as a job (`jobs run`; `serve` sweeps on its own
  // thread, escalation-interval): nullptr = not a job here.
  AlertEscalation* escalation = nullptr;
  RemindSettings remind;
};

struct RegisteredJob {
  std::unique_ptr<ScheduledJob> job;
  // Run also as soon as something is enqueued in this process (Scheduler::
  // Nudge), not only at each tick: the outbox sender.
  bool on_nudge = false;
};

// Every job, in the order they run (the sender last, so what the other jobs
// enqueue leaves in the same pass).
std::vector<RegisteredJob> RegisterJobs(const JobContext& ctx);

}  // namespace parcours::app
