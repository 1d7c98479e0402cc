#include "app/notify/jobs.h"

#include "app/alerts/escalation.h"
#include "app/notify/digest_job.h"
#include "app/notify/reminder_service.h"
#include "app/pathway_config.h"
#include "core/log.h"

namespace parcours::app {
namespace {

// Records overdue alerts as escalated (and so enqueues the coordinators'
// messages) as of `now`.
class EscalationJob : public ScheduledJob {
 public:
  explicit EscalationJob(AlertEscalation& e) : e_(e) {}
  std::string_view Name() const override { return "escalation"; }
  Result<int> RunDue(domain::TimestampMs now) override {
    auto r = e_.SweepAt(now);
    if (!r.ok()) return r.status();
    return r->recorded;
  }

 private:
  AlertEscalation& e_;
};

}  // namespace

ChannelFactory MakeChannels(const NotifySettings& s) {
  ChannelFactory f;
  if (s.email_on()) {
    f.email = [smtp = s.smtp]() -> std::unique_ptr<EmailChannel> {
      auto c = SmtpChannel::Create(smtp);
      if (!c.ok()) {
        log::Error("smtp channel", {{"error", c.status().ToString()}});
        return nullptr;
      }
      return std::move(*c);
    };
  }
  if (s.sms_on()) {
    f.sms = [sms = s.sms]() -> std::unique_ptr<SmsChannel> {
      auto c = SmsGatewayChannel::Create(sms);
      if (!c.ok()) {
        log::Error("sms channel", {{"error", c.status().ToString()}});
        return nullptr;
      }
      return std::move(*c);
    };
  }
  return f;
}

std::vector<RegisteredJob> RegisterJobs(const JobContext& ctx) {
  std::vector<RegisteredJob> jobs;
  if (ctx.escalation) jobs.push_back({std::make_unique<EscalationJob>(*ctx.escalation), false});
  // Jobs that enqueue messages go here, before the sender.
  Enqueuer enqueue = [&sealer = ctx.sealer, &clock = ctx.clock, &random = ctx.random](
                         storage::Transaction& tx, const OutgoingMessage& m) {
    return EnqueueMessage(tx, sealer, clock, random, m);
  };
  jobs.push_back(
      {std::make_unique<ReminderJob>(ctx.storage, ctx.sealer, enqueue, ctx.remind.public_url),
       false});
  jobs.push_back({std::make_unique<DigestJob>(ctx.storage, ctx.pathway.territories(), enqueue,
                                              ctx.remind.public_url, ctx.remind.digest_hour),
                  false});
  jobs.push_back({std::make_unique<PurgeJob>(ctx.storage, ctx.remind.retention), false});

  jobs.push_back({std::make_unique<OutboxSender>(ctx.storage, ctx.sealer, ctx.clock, ctx.renderer,
                                                 MakeChannels(ctx.notify), ctx.notify.sender),
                  /*on_nudge=*/true});
  return jobs;
}

}  // namespace parcours::app
