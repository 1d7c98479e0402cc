// The one decision "does a team answer recontact requests of this territory
// right now, and on what terms" (who calls back, opening hours, closed
// days). Every screen, API and use case asks here: the result page's offer,
// `recontact_offered` in the API, and the recontact request itself (which is
// refused with kConflict on field "recontact" when the answer is no).
//
// Open when the territory's file says so, or when demo mode opened it
// (app/demo_mode.h). This is where the check "at least one active responder
// or coordinator account of the territory" belongs once accounts exist.
//
// Thread-safe.
#pragma once

#include <memory>

#include "domain/territory/territory.h"

namespace parcours::app {

class DemoMode;

class RecontactGate {
 public:
  // demo may be null (no demo mode: files only).
  explicit RecontactGate(DemoMode* demo) : demo_(demo) {}

  // The terms in force for `t` now, or nullptr when no team answers. The
  // pointer stays valid while held, even if demo mode changes meanwhile.
  std::shared_ptr<const domain::RecontactConfig> Terms(const domain::Territory& t) const;

  bool IsOpen(const domain::Territory& t) const { return Terms(t) != nullptr; }

 private:
  DemoMode* demo_;
};

}  // namespace parcours::app
