// The alert circuit's use cases for responders and coordinators: the inbox
// (list with filters, overdue first), one alert (audited read, contact
// details opened on request and audited), and the commands that move an
// alert through the state machine (domain/alert/alert_machine.h).
//
// Access: every call takes the acting Principal and checks its rule
// (app/auth/access_rules.h) first; an alert outside the principal's
// territories (or sub-territories) is kNotFound, never kForbidden.
// Apply(): the transition is checked against the one table; a forbidden one
// (or the unreachable floor) is kConflict with an "invalid transition"
// message (IsInvalidTransition), which the API renders as 409
// invalid_transition. The alert's new state, its event and the audit row
// are written in one transaction; a concurrent change of the same alert is
// kConflict on field "version" (one of two responders acting at once wins).
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/directory/directory_search.h"
#include "app/screening/recontact_service.h"
#include "core/status.h"
#include "domain/access/access.h"
#include "domain/alert/alert_machine.h"
#include "storage/records.h"

namespace parcours::storage {
class Storage;
class Transaction;
}  // namespace parcours::storage

namespace parcours::app {

class Clock;
class Random;
class Sealer;
class PathwayConfig;
class RecontactGate;

struct AlertListFilter {
  // "open" (default), "closed", "all", or one status identifier.
  std::string status = "open";
  std::optional<domain::Urgency> urgency;
  std::optional<std::string> sub_territory;
  std::optional<domain::AlertSource> source;
  bool overdue_only = false;
  bool flood_only = false;  // alerts accepted while the territory was flooded
  int limit = 200;
};

struct AlertItem {
  storage::AlertRecord alert;
  bool overdue = false;  // open and past its deadline
};

// A third party's identity and relation to the parent (sealed at rest).
struct ReporterDetails {
  std::string name, relation, phone, email;
};

struct AlertEventItem {
  storage::AlertEventRecord event;
  std::string note;  // opened from note_sealed ("" when none)
};

struct AlertDetail {
  AlertItem item;
  std::optional<storage::ScreeningRecord> screening;
  std::optional<ContactDetails> contact;    // only when asked for (audited)
  std::optional<ReporterDetails> reporter;  // third-party reports, with the contact
  std::vector<AlertEventItem> events;       // oldest first
  // The directory's resources nearest the parent's commune (of the level of
  // response when qualified with one), to close the alert as oriented
  // towards one of them; empty without a directory or a commune.
  std::vector<DirectoryItem> nearby;
};

// One command, typed. Fields not used by `type` are ignored.
struct AlertCommandInput {
  std::optional<domain::AlertEventType> type;             // nullopt: unknown type (field "type")
  std::optional<domain::Urgency> urgency;                 // qualify (required)
  std::optional<domain::CareLevel> level;                 // qualify (optional)
  std::optional<std::string> user_id;                     // assign (default: the actor)
  std::optional<domain::AttemptChannel> channel;          // attempt (required)
  std::optional<domain::AttemptOutcome> attempt_outcome;  // attempt (required)
  std::optional<domain::CloseOutcome> close_outcome;      // close (required)
  std::optional<std::string> resource_id;                 // close as oriented (required then)
  std::string note;                                       // attempt, close (optional; sealed)
  std::string reason;                                     // reopen (required; sealed)
  // The version the caller read; nullopt: the one read in the transaction.
  std::optional<std::int64_t> expected_version;
  // What the caller could not read into a value (reported first).
  FieldErrors unreadable;
};

struct AlertCommandResult {
  AlertItem item;
  storage::AlertEventRecord event;
};

// True for the kConflict of a transition the table (or the floor) refuses.
bool IsInvalidTransition(const Status& st);

// "2026-11-23/am": the local half-day of `at` in `time_zone` (before or
// after noon), the unit of the unreachable floor.
std::string HalfDayKey(std::string_view time_zone, domain::TimestampMs at);

// Resources offered to close an alert as oriented.
inline constexpr int kNearbyResources = 15;

class AlertService {
 public:
  AlertService(const PathwayConfig& config, const RecontactGate& gate, storage::Storage& storage,
               Clock& clock, Random& random, const Sealer& sealer);

  // The principal's territories' alerts: overdue open ones first, then by
  // deadline. The list itself is audited (one row per territory).
  Result<std::vector<AlertItem>> List(const domain::Principal& p, const AlertListFilter& f);

  // One alert with its screening summary and history. with_contact opens
  // the sealed contact (and a third party's identity): audited apart.
  Result<AlertDetail> Get(const domain::Principal& p, const std::string& id, bool with_contact);

  Result<AlertCommandResult> Apply(const domain::Principal& p, const std::string& id,
                                   const AlertCommandInput& in);

  // Called after a command is committed (the live inbox reads the log now).
  // Set once, before serving.
  void SetOnEvent(std::function<void()> fn) { on_event_ = std::move(fn); }
  // The directory Get lists nearby resources from (none when unset).
  void SetDirectory(DirectorySearch* directory) { directory_ = directory; }

  // The deadline of an alert of `territory_code` qualified `urgency` at `at`.
  domain::TimestampMs Deadline(const std::string& territory_code, domain::Urgency urgency,
                               domain::TimestampMs at) const;

 private:
  const PathwayConfig& config_;
  const RecontactGate& gate_;
  storage::Storage& storage_;
  Clock& clock_;
  Random& random_;
  const Sealer& sealer_;
  std::function<void()> on_event_;
  DirectorySearch* directory_ = nullptr;
};

// The "created" event written with a new alert, in the same transaction.
storage::AlertEventRecord CreatedEvent(const storage::AlertRecord& a, std::string id,
                                       std::string actor);

// Reporter identity as sealed (JSON inside the box).
std::string EncodeReporter(const ReporterDetails& r);
Result<ReporterDetails> DecodeReporter(std::string_view json);

}  // namespace parcours::app
