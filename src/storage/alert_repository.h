// AlertRepository: the alert circuit's queries and its event log. Reached
// from a Transaction (Transaction::alerts()), so it shares that
// transaction's atomicity.
//
// Contract (both backends, tests/storage/alert_conformance_test.cpp):
// - ApplyEvent writes the alert's new state and appends the event in the
//   caller's transaction, only if the stored version is still the one the
//   caller read: otherwise kConflict (field "version") and nothing is
//   written (two responders acting at once: one wins). The stored version
//   becomes expected_version + 1.
// - AppendEvent appends without touching the alert (created, escalated); a
//   second event with the same escalation_key is kConflict.
// - seq values grow in commit order: a reader that saw seq N never later
//   sees a new event with seq <= N.
// - Searches take the caller's territories explicitly (never "all" by
//   omission) and return overdue open alerts first, then by deadline.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/records.h"

namespace parcours::storage {

struct AlertQuery {
  std::vector<std::string> territories;  // required; empty matches nothing
  // Status filter: nullopt = every status; "open" = every status but closed.
  std::optional<std::string> status;  // "open", "closed", or an AlertStatus id
  std::optional<domain::Urgency> urgency;
  std::optional<std::string> sub_territory;
  std::optional<domain::AlertSource> source;
  std::optional<std::string> emitter_user_id;
  bool overdue_only = false;  // open and deadline_at < now
  bool flood_only = false;    // suspected_flood
  TimestampMs now = 0;        // for overdue ordering and filtering
  int limit = 200;
};

class AlertRepository {
 public:
  virtual ~AlertRepository() = default;

  // Returns the event's seq.
  virtual Result<std::int64_t> ApplyEvent(const AlertRecord& new_state,
                                          std::int64_t expected_version,
                                          const AlertEventRecord& event) = 0;
  virtual Result<std::int64_t> AppendEvent(const AlertEventRecord& event) = 0;

  virtual Result<std::vector<AlertRecord>> Search(const AlertQuery& q) = 0;
  // Open alerts whose deadline_at < before and that have no escalation of
  // `level` for that deadline yet (no event with the key
  // "<id>/<deadline_at>/<level>"), oldest deadline first; of one territory
  // when `territory` is given, of every territory otherwise.
  virtual Result<std::vector<AlertRecord>> ListOverdue(TimestampMs before, int level,
                                                       const std::optional<std::string>& territory,
                                                       int limit) = 0;

  // One alert's events, in seq order.
  virtual Result<std::vector<AlertEventRecord>> ListEvents(std::string_view alert_id) = 0;
  // Events with seq > after_seq, in seq order, at most limit.
  virtual Result<std::vector<AlertEventRecord>> EventsAfter(std::int64_t after_seq, int limit) = 0;
  // Highest seq written so far (0 when none).
  virtual Result<std::int64_t> LastEventSeq() = 0;
};

}  // namespace parcours::storage
