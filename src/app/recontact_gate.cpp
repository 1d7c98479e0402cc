#include "app/recontact_gate.h"

#include "app/demo_mode.h"

namespace parcours::app {

std::shared_ptr<const domain::RecontactConfig> RecontactGate::Terms(
    const domain::Territory& t) const {
  if (t.recontact.open) {
    // The catalog outlives every request: a non-owning pointer.
    return std::shared_ptr<const domain::RecontactConfig>(std::shared_ptr<void>(), &t.recontact);
  }
  if (demo_ == nullptr) return nullptr;
  std::shared_ptr<const DemoState> demo = demo_->Current();
  auto it = demo->recontact.find(t.code);
  if (!demo->loaded || it == demo->recontact.end()) return nullptr;
  // Shares ownership of the snapshot holding the terms.
  return std::shared_ptr<const domain::RecontactConfig>(demo, &it->second);
}

}  // namespace parcours::app
