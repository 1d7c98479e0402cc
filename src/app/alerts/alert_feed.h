// The live feed of alert events for the inbox's server-sent events.
//
// One thread follows the event log by its cursor (AlertRepository::
// EventsAfter): it reads when nudged in-process (a command or a request
// just wrote an event) AND every poll_interval, so events written by
// another instance of the program over the same database reach this
// instance's subscribers too. Each subscriber is a principal: it receives
// only events of its territories (domain::InScope), and of its
// sub-territories when it is narrowed to some, in seq order, and a
// heartbeat (nullptr) every heartbeat_interval so idle connections stay
// open through proxies. A subscriber whose delivery returns false is
// dropped (its connection closed).
//
// A subscriber that reconnects gives the last seq it saw (the SSE
// Last-Event-ID): it first receives, in order, the events of its scope
// written after that seq and before the feed's cursor, then the live ones,
// with no gap and no repeat. At most max_replay events are replayed; a
// subscriber further behind gets the most recent max_replay (its page
// reloads its list anyway).
//
// Thread-safe. Delivery runs on the feed's thread and must not block (the
// HTTP layer only queues bytes for an asynchronous write).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "core/status.h"
#include "domain/access/access.h"
#include "storage/records.h"

namespace parcours::storage {
class Storage;
}

namespace parcours::app {

class AlertFeed {
 public:
  struct Options {
    std::chrono::milliseconds poll_interval{1000};
    std::chrono::milliseconds heartbeat_interval{15000};
    int batch = 500;
    int max_replay = 5000;
  };
  // Receives an event, or nullptr for a heartbeat; false: drop me.
  using Deliver = std::function<bool(const storage::AlertEventRecord*)>;

  AlertFeed(storage::Storage& storage, Options options);
  ~AlertFeed();  // stops the thread
  AlertFeed(const AlertFeed&) = delete;
  AlertFeed& operator=(const AlertFeed&) = delete;

  // Starts following from the last event written (older ones are history:
  // the inbox shows them on load). Idempotent.
  Status Start();
  void Stop();

  // Returns an id for Unsubscribe. after_seq: replay the events after it
  // first (see above); nullopt: live events only.
  std::uint64_t Subscribe(domain::Principal principal, Deliver deliver,
                          std::optional<std::int64_t> after_seq = std::nullopt);
  void Unsubscribe(std::uint64_t id);
  // Reads the log now (an event was just written by this instance).
  void Nudge();

  int subscribers() const;
  std::int64_t cursor() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parcours::app
