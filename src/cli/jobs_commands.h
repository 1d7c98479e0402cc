// `parcours jobs run [--now ISO-8601]` and `parcours outbox list|retry`
// (issue 12), and the outbox settings shared with `serve`.
#pragma once

#include "app/notify/jobs.h"
#include "cli/config.h"
#include "core/status.h"

namespace parcours::cli {

// The channels and sender from smtp-*, sms-gateway-* and outbox-* (a
// password file read, bounds checked). The owner is this process.
Result<app::NotifySettings> NotifySettingsFrom(const Config& c);
// public-url, digest-hour and the retention-* periods (issue 12, remind).
Result<app::RemindSettings> RemindSettingsFrom(const Config& c);

// "2026-12-01T09:30:00Z", "2026-12-01T09:30+01:00", "2026-12-01T09:30"
// (UTC) → milliseconds since the epoch.
Result<long long> ParseIsoTime(const std::string& s);

// `parcours jobs run [--now ISO-8601]`: runs every registered job once
// (the escalation sweep, then the outbox sender…) and exits. --now decides
// what is due only (leases keep the real clock); it is logged.
int JobsCommand(const Config& c);

// `parcours outbox list [--status failed]`: messages by id, channel, kind,
// territory, status, attempts and last answer (never the payload).
// `parcours outbox retry ID`: a failed message back to pending. Audited.
int OutboxCommand(const Config& c);

}  // namespace parcours::cli
