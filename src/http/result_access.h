// Signed, time-limited tokens of the parent's screening pages, and the
// quick exit that invalidates them.
// - Form token: issued with the questions form (bound to its screening id)
//   and the recontact form; a storing POST without a valid one is refused
//   (403, "expired form"). HTML forms only: the JSON API does not use it.
// - Result token: the result is shown by post-redirect-get at
//   /depistage/resultat?r=TOKEN, a short-lived no-store page.
// - Quick exit: /sortie?r=TOKEN marks the screening as left; from then on
//   its result page, a resubmitted form and its form tokens show no score
//   and no crisis block (Back, reload, resubmit on a shared phone).
// Tokens are "payload.mac", the MAC a keyed BLAKE2b under a subkey of the
// contact key (Sealer::Mac), so any instance sharing the key verifies them.
// Exits are remembered in memory by each instance, for a day (bounded).
// Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/thread_annotations.h"
#include "domain/common/types.h"

namespace parcours::app {
class Clock;
class Sealer;
}  // namespace parcours::app

namespace parcours::http {

class ResultAccess {
 public:
  static constexpr domain::TimestampMs kFormLifetimeMs = 3 * 3600 * 1000;  // filling in, calling
  static constexpr domain::TimestampMs kResultLifetimeMs = 30 * 60 * 1000;
  static constexpr domain::TimestampMs kExitMemoryMs = 24 * 3600 * 1000;

  ResultAccess(const app::Sealer& sealer, const app::Clock& clock)
      : sealer_(sealer), clock_(clock) {}

  std::string FormToken(const std::string& screening_id) const;
  // True when `token` was issued for `screening_id`, has not expired and the
  // screening was not left by the quick exit.
  bool CheckForm(const std::string& token, const std::string& screening_id) const;

  std::string ResultToken(const std::string& screening_id, bool embedded) const;
  struct ResultRef {
    std::string screening_id;
    bool embedded = false;
  };
  // The screening a valid, unexpired result token points to; nullopt when
  // invalid, expired, or left by the quick exit.
  std::optional<ResultRef> OpenResult(const std::string& token) const;

  // The quick exit: forgets access to the token's screening. False when the
  // token is not a valid result token (the exit still happens).
  bool Exit(const std::string& result_token);
  bool Exited(const std::string& screening_id) const;

 private:
  std::string Sign(const std::string& kind, const std::string& payload) const;
  std::optional<std::string> Verify(const std::string& kind, const std::string& token) const;

  const app::Sealer& sealer_;
  const app::Clock& clock_;
  mutable core::Mutex mu_;
  std::unordered_map<std::string, domain::TimestampMs> exited_ GUARDED_BY(mu_);  // id → until
  std::deque<std::pair<domain::TimestampMs, std::string>> exit_order_ GUARDED_BY(mu_);
};

}  // namespace parcours::http
