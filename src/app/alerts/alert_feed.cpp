#include "app/alerts/alert_feed.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/log.h"
#include "core/thread_annotations.h"
#include "storage/storage.h"

namespace parcours::app {

struct AlertFeed::Impl {
  Impl(storage::Storage& s, Options o) : storage(s), opt(o) {}

  struct Sub {
    domain::Principal principal;
    Deliver deliver;
    std::optional<std::int64_t> replay_after;  // events still to replay
  };

  storage::Storage& storage;
  const Options opt;

  mutable core::Mutex mu;
  std::condition_variable cv;
  bool nudged GUARDED_BY(mu) = false;
  bool stopping GUARDED_BY(mu) = false;
  bool started GUARDED_BY(mu) = false;
  std::map<std::uint64_t, Sub> subs GUARDED_BY(mu);
  std::uint64_t next_id GUARDED_BY(mu) = 1;
  std::atomic<std::int64_t> cursor{0};
  std::thread thread;
  // Sub-territory of the alerts seen lately (only the feed's thread uses
  // it): an event carries its territory, not its sub-territory, which
  // matters only to subscribers narrowed to some sub-territories.
  std::unordered_map<std::string, std::optional<std::string>> sub_of;

  bool AnyNarrowed() {
    core::MutexLock lock(mu);
    for (const auto& [id, sub] : subs) {
      if (!sub.principal.sub_territories.empty()) return true;
    }
    return false;
  }

  // The alert's sub-territory (nullopt: none, or unreadable: then only the
  // territory decides, as for the inbox list of an alert without one).
  std::optional<std::string> SubTerritoryOf(const storage::AlertEventRecord& e) {
    if (auto it = sub_of.find(e.alert_id); it != sub_of.end()) return it->second;
    std::optional<std::string> sub;
    Status st = storage.Read([&](storage::Transaction& tx) -> Status {
      auto a = tx.FindAlert(e.alert_id);
      if (!a.ok()) return a.status();
      if (*a) sub = (*a)->sub_territory_code;
      return Status::Ok();
    });
    if (!st.ok()) {
      log::Warn("alert feed: cannot read an alert's sub-territory", {{"error", st.ToString()}});
      return std::nullopt;
    }
    if (sub_of.size() >= 10000) sub_of.clear();
    sub_of.emplace(e.alert_id, sub);
    return sub;
  }

  static bool Sees(const domain::Principal& p, const storage::AlertEventRecord& e,
                   const std::optional<std::string>& sub) {
    if (sub) return domain::InScope(p, e.territory_code, std::string_view(*sub));
    return domain::InScope(p, e.territory_code);
  }

  void Run() {
    auto next_heartbeat = std::chrono::steady_clock::now() + opt.heartbeat_interval;
    for (;;) {
      {
        core::MutexLock lock(mu);
        if (!nudged && !stopping) {
          std::unique_lock<std::mutex> wait(mu.native(), std::adopt_lock);
          cv.wait_for(wait, opt.poll_interval);
          wait.release();
        }
        if (stopping) return;
        nudged = false;
      }
      Replay();
      Poll();
      if (std::chrono::steady_clock::now() >= next_heartbeat) {
        next_heartbeat = std::chrono::steady_clock::now() + opt.heartbeat_interval;
        Dispatch(nullptr, std::nullopt);
      }
    }
  }

  // One batch of the event log after `after`; nullopt (logged) on failure.
  std::optional<std::vector<storage::AlertEventRecord>> ReadAfter(std::int64_t after) {
    std::vector<storage::AlertEventRecord> events;
    Status st = storage.Read([&](storage::Transaction& tx) -> Status {
      auto r = tx.alerts().EventsAfter(after, opt.batch);
      if (!r.ok()) return r.status();
      events = std::move(*r);
      return Status::Ok();
    });
    if (!st.ok()) {
      log::Warn("alert feed: cannot read events", {{"error", st.ToString()}});
      return std::nullopt;
    }
    return events;
  }

  void Poll() {
    for (;;) {
      auto read = ReadAfter(cursor.load());
      if (!read) return;
      const std::vector<storage::AlertEventRecord>& events = *read;
      const bool narrowed = AnyNarrowed();
      for (const auto& e : events) {
        Dispatch(&e, narrowed ? SubTerritoryOf(e) : std::nullopt);
        cursor.store(e.seq);
      }
      if (static_cast<int>(events.size()) < opt.batch) return;
    }
  }

  // Brings new subscribers that gave a last seen seq up to the cursor, on
  // the feed's thread, before the next live event: no gap, no repeat.
  void Replay() {
    std::vector<std::pair<std::uint64_t, std::int64_t>> todo;
    {
      core::MutexLock lock(mu);
      for (const auto& [id, sub] : subs) {
        if (sub.replay_after) todo.emplace_back(id, *sub.replay_after);
      }
    }
    const std::int64_t upto = cursor.load();
    for (auto [id, after] : todo) {
      std::int64_t from = std::max(after, upto - opt.max_replay);
      bool alive = true;
      while (alive && from < upto) {
        auto read = ReadAfter(from);
        if (!read) return;  // tried again at the next wake-up
        const std::vector<storage::AlertEventRecord>& events = *read;
        if (events.empty()) break;
        core::MutexLock lock(mu);
        auto it = subs.find(id);
        if (it == subs.end()) break;
        for (const auto& e : events) {
          if (e.seq > upto) break;
          from = e.seq;
          if (domain::InScope(it->second.principal, e.territory_code) && !it->second.deliver(&e)) {
            subs.erase(it);
            alive = false;
            break;
          }
        }
        if (static_cast<int>(events.size()) < opt.batch) break;
      }
      core::MutexLock lock(mu);
      auto it = subs.find(id);
      if (it != subs.end()) it->second.replay_after.reset();
    }
  }

  // Delivers to every subscriber in scope (all of them for a heartbeat);
  // drops those that refuse. Deliveries only queue bytes: done under mu.
  void Dispatch(const storage::AlertEventRecord* e, const std::optional<std::string>& sub) {
    core::MutexLock lock(mu);
    for (auto it = subs.begin(); it != subs.end();) {
      // Still replaying: Replay() delivers up to the cursor; live events
      // come only after (a heartbeat is harmless).
      if (e != nullptr && it->second.replay_after) {
        ++it;
        continue;
      }
      const bool in_scope = e == nullptr || Sees(it->second.principal, *e, sub);
      if (in_scope && !it->second.deliver(e)) {
        it = subs.erase(it);
      } else {
        ++it;
      }
    }
  }
};

AlertFeed::AlertFeed(storage::Storage& storage, Options options)
    : impl_(std::make_unique<Impl>(storage, options)) {}

AlertFeed::~AlertFeed() { Stop(); }

Status AlertFeed::Start() {
  {
    core::MutexLock lock(impl_->mu);
    if (impl_->started) return Status::Ok();
  }
  std::int64_t last = 0;
  Status st = impl_->storage.Read([&](storage::Transaction& tx) -> Status {
    auto r = tx.alerts().LastEventSeq();
    if (!r.ok()) return r.status();
    last = *r;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  impl_->cursor.store(last);
  core::MutexLock lock(impl_->mu);
  if (impl_->started) return Status::Ok();
  impl_->started = true;
  impl_->stopping = false;
  impl_->thread = std::thread([this] { impl_->Run(); });
  return Status::Ok();
}

void AlertFeed::Stop() {
  {
    core::MutexLock lock(impl_->mu);
    if (!impl_->started) return;
    impl_->stopping = true;
    impl_->started = false;
  }
  impl_->cv.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
  core::MutexLock lock(impl_->mu);
  impl_->subs.clear();
}

std::uint64_t AlertFeed::Subscribe(domain::Principal principal, Deliver deliver,
                                   std::optional<std::int64_t> after_seq) {
  std::uint64_t id = 0;
  {
    core::MutexLock lock(impl_->mu);
    id = impl_->next_id++;
    impl_->subs.emplace(id, Impl::Sub{std::move(principal), std::move(deliver), after_seq});
    if (after_seq) impl_->nudged = true;
  }
  if (after_seq) impl_->cv.notify_all();
  return id;
}

void AlertFeed::Unsubscribe(std::uint64_t id) {
  core::MutexLock lock(impl_->mu);
  impl_->subs.erase(id);
}

void AlertFeed::Nudge() {
  {
    core::MutexLock lock(impl_->mu);
    impl_->nudged = true;
  }
  impl_->cv.notify_all();
}

int AlertFeed::subscribers() const {
  core::MutexLock lock(impl_->mu);
  return static_cast<int>(impl_->subs.size());
}

std::int64_t AlertFeed::cursor() const { return impl_->cursor.load(); }

}  // namespace parcours::app
