// Referrals: a first-line professional (the referrer) sends a parent to a
// resource of the directory or to a specialised team that has accounts
// (the addressee). Their life is ONE table of transitions (kTransitions in
// referral.cpp), reviewed through tests/cases/referral_transitions.json:
//
//   proposed --send--> sent --accept--> accepted --first_appointment(date)-->
//   first_appointment --end(outcome)--> ended
//                       sent --decline(reason)--> declined
//                       accepted --end(outcome)--> ended  (no appointment held)
//
// Who may apply an event: the referrer or the addressee. When the addressee
// has no account (a directory resource), the referrer records its answers
// (tracked by the referrer). The joint parent–baby care question is
// answered on every referral. Pure; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace parcours::domain {

enum class ReferralStatus { kProposed, kSent, kAccepted, kDeclined, kFirstAppointment, kEnded };
enum class ReferralEvent { kSend, kAccept, kDecline, kFirstAppointment, kEnd };
// Who acts: the referrer, or the addressee (the team receiving it).
enum class ReferralSide { kReferrer, kAddressee };
// "Does this situation need joint parent–baby care?"
enum class JointCare { kYes, kNo, kToAssess };

std::string_view ToString(ReferralStatus v);
std::string_view ToString(ReferralEvent v);
std::string_view ToString(ReferralSide v);
std::string_view ToString(JointCare v);
std::optional<ReferralStatus> ParseReferralStatus(std::string_view s);
std::optional<ReferralEvent> ParseReferralEvent(std::string_view s);
std::optional<ReferralSide> ParseReferralSide(std::string_view s);
std::optional<JointCare> ParseJointCare(std::string_view s);

// Stable codes of a decline reason and of an outcome (counted later by the
// indicators); the pages show their labels from the catalogs.
bool IsDeclineReason(std::string_view code);
bool IsReferralOutcome(std::string_view code);
std::span<const std::string_view> DeclineReasons();
std::span<const std::string_view> ReferralOutcomes();

// What one event carries; the table says which field each event requires.
struct ReferralEventData {
  std::optional<std::string> reason;            // decline
  std::optional<std::string> appointment_date;  // first_appointment, YYYY-MM-DD
  std::optional<std::string> outcome;           // end
};

struct ReferralTransition {
  ReferralStatus from;
  ReferralEvent event;
  ReferralStatus to;
  ReferralSide by;
  // When the addressee has no account, the referrer applies its events.
};

// The table itself (for tests and documentation).
std::span<const ReferralTransition> ReferralTransitions();

// The status after `event`, or: kConflict when the event is not allowed
// from `from`; kForbidden when `by` may not apply it (addressee_has_account
// false: the referrer applies the addressee's events too); kInvalidArgument
// (field "reason", "appointment_date" or "outcome") when the event's datum
// is missing or not a known code / valid date.
Result<ReferralStatus> ApplyReferralEvent(ReferralStatus from, ReferralEvent event, ReferralSide by,
                                          bool addressee_has_account,
                                          const ReferralEventData& data);

// Events `by` may apply from `from` (the forms a page shows).
std::vector<ReferralEvent> AllowedReferralEvents(ReferralStatus from, ReferralSide by,
                                                 bool addressee_has_account);

}  // namespace parcours::domain
