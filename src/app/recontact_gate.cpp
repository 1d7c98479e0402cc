#include "app/recontact_gate.h"

#include "app/demo_mode.h"
#include "core/log.h"
#include "storage/storage.h"

namespace parcours::app {

namespace {

std::shared_ptr<const domain::RecontactConfig> TermsInFiles(const domain::Territory& t,
                                                            DemoMode* demo_mode) {
  if (t.recontact.open) {
    // The catalog outlives every request: a non-owning pointer.
    return std::shared_ptr<const domain::RecontactConfig>(std::shared_ptr<void>(), &t.recontact);
  }
  if (demo_mode == nullptr) return nullptr;
  std::shared_ptr<const DemoState> demo = demo_mode->Current();
  auto it = demo->recontact.find(t.code);
  if (!demo->loaded || it == demo->recontact.end()) return nullptr;
  // Shares ownership of the snapshot holding the terms.
  return std::shared_ptr<const domain::RecontactConfig>(demo, &it->second);
}

}  // namespace

std::shared_ptr<const domain::RecontactConfig> RecontactGate::Terms(
    const domain::Territory& t) const {
  auto terms = TermsInFiles(t, demo_);
  if (terms == nullptr || accounts_ == nullptr) return terms;
  return HasTeamAccount(t) ? terms : nullptr;
}

bool RecontactGate::HasTeamAccount(const domain::Territory& t) const {
  std::int64_t n = 0;
  const Status st = accounts_->Read([&](storage::Transaction& tx) -> Status {
    auto r = tx.accounts().CountActiveUsers(t.code, {"responder", "coordinator"});
    if (!r.ok()) return r.status();
    n = *r;
    return Status::Ok();
  });
  if (!st.ok()) {
    log::Error("recontact: cannot count the territory's accounts; treated as closed",
               {{"territory", std::string_view(t.code)}, {"error", st.ToString()}});
    return false;
  }
  return n > 0;
}

}  // namespace parcours::app
