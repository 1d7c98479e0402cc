#include "domain/record/referral.h"

#include <algorithm>
#include <array>
#include <vector>

#include "domain/calendar/holidays.h"

namespace parcours::domain {
namespace {

using S = ReferralStatus;
using E = ReferralEvent;
using W = ReferralSide;

// THE state machine of referrals.
constexpr ReferralTransition kTransitions[] = {
    {S::kProposed, E::kSend, S::kSent, W::kReferrer},
    {S::kSent, E::kAccept, S::kAccepted, W::kAddressee},
    {S::kSent, E::kDecline, S::kDeclined, W::kAddressee},
    {S::kAccepted, E::kFirstAppointment, S::kFirstAppointment, W::kAddressee},
    {S::kAccepted, E::kEnd, S::kEnded, W::kAddressee},
    {S::kFirstAppointment, E::kEnd, S::kEnded, W::kAddressee},
};

constexpr std::array<std::string_view, 6> kStatusNames = {
    "proposed", "sent", "accepted", "declined", "first_appointment", "ended"};
constexpr std::array<std::string_view, 5> kEventNames = {"send", "accept", "decline",
                                                         "first_appointment", "end"};
constexpr std::array<std::string_view, 2> kSideNames = {"referrer", "addressee"};
constexpr std::array<std::string_view, 3> kJointNames = {"yes", "no", "to_assess"};

constexpr std::string_view kDeclineReasons[] = {
    "outside_scope", "no_capacity", "redirected_elsewhere", "parent_unreachable", "other"};
constexpr std::string_view kOutcomes[] = {"care_started",    "care_completed", "redirected",
                                          "parent_declined", "no_show",        "other"};

template <typename T, std::size_t N>
std::optional<T> ParseName(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<T>(i);
  }
  return std::nullopt;
}

bool MayApply(const ReferralTransition& t, W by, bool addressee_has_account) {
  if (t.by == by) return true;
  // A resource without accounts: the referrer records its answers.
  return t.by == W::kAddressee && by == W::kReferrer && !addressee_has_account;
}

}  // namespace

std::string_view ToString(ReferralStatus v) { return kStatusNames[static_cast<int>(v)]; }
std::string_view ToString(ReferralEvent v) { return kEventNames[static_cast<int>(v)]; }
std::string_view ToString(ReferralSide v) { return kSideNames[static_cast<int>(v)]; }
std::string_view ToString(JointCare v) { return kJointNames[static_cast<int>(v)]; }
std::optional<ReferralStatus> ParseReferralStatus(std::string_view s) {
  return ParseName<ReferralStatus>(kStatusNames, s);
}
std::optional<ReferralEvent> ParseReferralEvent(std::string_view s) {
  return ParseName<ReferralEvent>(kEventNames, s);
}
std::optional<ReferralSide> ParseReferralSide(std::string_view s) {
  return ParseName<ReferralSide>(kSideNames, s);
}
std::optional<JointCare> ParseJointCare(std::string_view s) {
  return ParseName<JointCare>(kJointNames, s);
}

std::span<const std::string_view> DeclineReasons() { return kDeclineReasons; }
std::span<const std::string_view> ReferralOutcomes() { return kOutcomes; }
bool IsDeclineReason(std::string_view code) {
  return std::find(std::begin(kDeclineReasons), std::end(kDeclineReasons), code) !=
         std::end(kDeclineReasons);
}
bool IsReferralOutcome(std::string_view code) {
  return std::find(std::begin(kOutcomes), std::end(kOutcomes), code) != std::end(kOutcomes);
}

std::span<const ReferralTransition> ReferralTransitions() { return kTransitions; }

Result<ReferralStatus> ApplyReferralEvent(ReferralStatus from, ReferralEvent event, ReferralSide by,
                                          bool addressee_has_account,
                                          const ReferralEventData& data) {
  const ReferralTransition* found = nullptr;
  for (const auto& t : kTransitions) {
    if (t.from == from && t.event == event) found = &t;
  }
  if (found == nullptr) {
    return Status::Conflict(std::string("a referral ") + std::string(ToString(from)) +
                            " cannot be " + std::string(ToString(event)));
  }
  if (!MayApply(*found, by, addressee_has_account)) {
    return Status::Forbidden(std::string("the ") + std::string(ToString(by)) + " may not " +
                             std::string(ToString(event)) + " this referral");
  }
  switch (event) {
    case E::kDecline:
      if (!data.reason || data.reason->empty()) {
        return Status::InvalidArgument("reason", "required");
      }
      if (!IsDeclineReason(*data.reason)) return Status::InvalidArgument("reason", "unknown code");
      break;
    case E::kFirstAppointment:
      if (!data.appointment_date || data.appointment_date->empty()) {
        return Status::InvalidArgument("appointment_date", "required");
      }
      if (!ParseIsoDate(*data.appointment_date)) {
        return Status::InvalidArgument("appointment_date", "not a date (YYYY-MM-DD)");
      }
      break;
    case E::kEnd:
      if (!data.outcome || data.outcome->empty()) {
        return Status::InvalidArgument("outcome", "required");
      }
      if (!IsReferralOutcome(*data.outcome)) {
        return Status::InvalidArgument("outcome", "unknown code");
      }
      break;
    case E::kSend:
    case E::kAccept: break;
  }
  return found->to;
}

std::vector<ReferralEvent> AllowedReferralEvents(ReferralStatus from, ReferralSide by,
                                                 bool addressee_has_account) {
  std::vector<ReferralEvent> out;
  for (const auto& t : kTransitions) {
    if (t.from == from && MayApply(t, by, addressee_has_account)) out.push_back(t.event);
  }
  return out;
}

}  // namespace parcours::domain
