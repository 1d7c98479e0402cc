// Seeing and replaying outbox messages: the coordinators' page
// (/pro/messages) and `parcours outbox list|retry`. Nothing here opens a
// payload: a message is shown by its channel, kind, territory, status,
// attempts and the servers' answers only. Every list and replay is audited.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/access/access.h"
#include "storage/outbox_repository.h"

namespace parcours::storage {
class Storage;
}

namespace parcours::app {

class Clock;

class OutboxAdmin {
 public:
  OutboxAdmin(storage::Storage& storage, const Clock& clock) : storage_(storage), clock_(clock) {}

  // Messages of the principal's territories (admin: every territory and
  // the messages of none) with `status` (nullopt = all), newest first.
  Result<std::vector<storage::OutboxMessageRecord>> List(const domain::Principal& p,
                                                         std::optional<std::string> status,
                                                         int limit = 200);
  // Puts a failed message back to pending, due now. kNotFound outside the
  // principal's territories (as for an unknown id), kConflict when it is
  // not failed.
  Status Replay(const domain::Principal& p, const std::string& id);

  // The command line (an operator: every territory), audited as `actor`.
  Result<std::vector<storage::OutboxMessageRecord>> ListAll(const std::string& actor,
                                                            std::optional<std::string> status,
                                                            int limit = 200);
  Status ReplayAny(const std::string& actor, const std::string& id);

 private:
  // territories nullopt = every territory.
  Result<std::vector<storage::OutboxMessageRecord>> ListIn(
      const std::string& actor, const std::optional<std::vector<std::string>>& territories,
      std::optional<std::string> status, int limit);
  Status ReplayIn(const std::string& actor,
                  const std::optional<std::vector<std::string>>& territories,
                  const std::string& id);

  storage::Storage& storage_;
  const Clock& clock_;
};

}  // namespace parcours::app
