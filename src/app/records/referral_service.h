// Referrals (issue 13): a first-line professional refers the parent of one
// of their follow-up records to a directory resource or to a specialised
// team that has an account in the record's territory. The state machine is
// the domain's table (domain/record/referral.h); this service checks who
// acts (referrer or addressee), applies it, and writes the new state, a
// timestamped, attributed event and an audit row in one transaction.
//
// A referral to a team shares the record with that team's account (they
// must know whom they receive). A referral to a resource without accounts
// is tracked by the referrer, who records its answers themselves. The
// referrer sees every change (ListSent with events); the team sees its
// inbox (ListReceived). Anyone else: kNotFound.
//
// Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/seams.h"
#include "core/status.h"
#include "domain/access/access.h"
#include "domain/record/referral.h"
#include "storage/follow_up_repository.h"

namespace parcours::app {

struct NewReferralInput {
  std::string record_id;                        // field "record"
  std::optional<std::string> screening_id;      // one of the record's screenings, if given
  std::string target_kind;                      // field "target_kind": "resource" or "team"
  std::string resource_id;                      // field "resource" (target_kind resource)
  std::string team_user_id;                     // field "team" (target_kind team)
  std::optional<domain::JointCare> joint_care;  // field "joint_care": required
  bool send = true;                             // sent at once (else stays proposed)
};

struct ReferralView {
  storage::ReferralRecord referral;
  std::vector<storage::ReferralEventRecord> events;
  std::string target_name;  // the resource's or the team's name
  std::string referrer_name;
  std::string parent_name;  // the record's pseudonym (members only)
  bool addressee_has_account = false;
  // Events the caller may apply now.
  std::vector<domain::ReferralEvent> allowed;
};

// A team a professional may refer to: an active specialised_team account.
struct TeamOption {
  std::string user_id;
  std::string name;
};

class ReferralService {
 public:
  ReferralService(storage::Storage& storage, const Clock& clock, Random& random,
                  const Sealer& sealer);

  // Every field error at once. Returns the referral (status sent, or
  // proposed when in.send is false).
  Result<storage::ReferralRecord> Create(const domain::Principal& p, const NewReferralInput& in);
  // Applies `event` (fields reason / appointment_date / outcome as the
  // domain requires). kConflict when the referral changed meanwhile or the
  // event is not allowed from its status.
  Result<storage::ReferralRecord> Apply(const domain::Principal& p, std::string_view referral_id,
                                        domain::ReferralEvent event,
                                        const domain::ReferralEventData& data);
  // The caller's sent referrals (newest first) with their events.
  Result<std::vector<ReferralView>> ListSent(const domain::Principal& p);
  // Referrals addressed to the caller's team account (newest first).
  Result<std::vector<ReferralView>> ListReceived(const domain::Principal& p);
  // Active specialised teams of a territory the caller works in.
  Result<std::vector<TeamOption>> Teams(const domain::Principal& p, std::string_view territory);

 private:
  Result<ReferralView> ViewOf(storage::Transaction& tx, const domain::Principal& p,
                              storage::ReferralRecord r);
  // The views of the referrals `rows` lists (those in p's scope), the list
  // audited as "<count> <what>".
  Result<std::vector<ReferralView>> ListViews(
      const domain::Principal& p, std::string_view what,
      const std::function<Result<std::vector<storage::ReferralRecord>>(storage::Transaction&)>&
          list);

  storage::Storage& storage_;
  const Clock& clock_;
  Random& random_;
  const Sealer& sealer_;
};

}  // namespace parcours::app
