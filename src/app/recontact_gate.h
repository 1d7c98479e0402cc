// The one decision "does a team answer recontact requests of this territory
// right now, and on what terms" (who calls back, opening hours, closed
// days). Every screen, API and use case asks here: the result page's offer,
// `recontact_offered` in the API, and the recontact request itself (which is
// refused with kConflict on field "recontact" when the answer is no).
//
// Open when the territory's file says so, or when demo mode opened it
// (app/demo_mode.h), AND the territory has at least one active account
// (created, not disabled, logged in or not) with the role responder or
// coordinator, read from the database at each call: a team that cannot see
// the requests is no team. A database that cannot be read counts as no
// account (closed): no callback is ever promised on a guess.
//
// Thread-safe.
#pragma once

#include <memory>

#include "domain/territory/territory.h"

namespace parcours::storage {
class Storage;
}

namespace parcours::app {

class DemoMode;

class RecontactGate {
 public:
  // demo may be null (no demo mode: files only). accounts may be null only
  // in unit tests of other rules (no account check); the program passes its
  // storage.
  RecontactGate(DemoMode* demo, storage::Storage* accounts) : demo_(demo), accounts_(accounts) {}

  // The terms in force for `t` now, or nullptr when no team answers. The
  // pointer stays valid while held, even if demo mode changes meanwhile.
  std::shared_ptr<const domain::RecontactConfig> Terms(const domain::Territory& t) const;

  bool IsOpen(const domain::Territory& t) const { return Terms(t) != nullptr; }

 private:
  // True when the territory has an active responder or coordinator.
  bool HasTeamAccount(const domain::Territory& t) const;

  DemoMode* demo_;
  storage::Storage* accounts_;
};

}  // namespace parcours::app
