#include "domain/alert/alert_machine.h"

#include <array>
#include <set>
#include <utility>

#include "domain/common/enum_names.h"

namespace parcours::domain {
namespace {

constexpr std::array<std::pair<AlertStatus, std::string_view>, 5> kStatusNames{{
    {AlertStatus::kNew, "new"},
    {AlertStatus::kQualified, "qualified"},
    {AlertStatus::kAssigned, "assigned"},
    {AlertStatus::kInContact, "in_contact"},
    {AlertStatus::kClosed, "closed"},
}};
constexpr std::array<std::pair<AlertEventType, std::string_view>, 7> kEventNames{{
    {AlertEventType::kCreated, "created"},
    {AlertEventType::kQualify, "qualify"},
    {AlertEventType::kAssign, "assign"},
    {AlertEventType::kAttempt, "attempt"},
    {AlertEventType::kClose, "close"},
    {AlertEventType::kReopen, "reopen"},
    {AlertEventType::kEscalated, "escalated"},
}};
constexpr std::array<std::pair<CloseOutcome, std::string_view>, 6> kOutcomeNames{{
    {CloseOutcome::kOriented, "oriented"},
    {CloseOutcome::kTakenInCharge, "taken_in_charge"},
    {CloseOutcome::kUnreachable, "unreachable"},
    {CloseOutcome::kRefused, "refused"},
    {CloseOutcome::kDuplicate, "duplicate"},
    {CloseOutcome::kWrongNumber, "wrong_number"},
}};
constexpr std::array<std::pair<AttemptChannel, std::string_view>, 4> kChannelNames{{
    {AttemptChannel::kPhone, "phone"},
    {AttemptChannel::kSms, "sms"},
    {AttemptChannel::kEmail, "email"},
    {AttemptChannel::kVisit, "visit"},
}};
constexpr std::array<std::pair<AttemptOutcome, std::string_view>, 4> kAttemptOutcomeNames{{
    {AttemptOutcome::kReached, "reached"},
    {AttemptOutcome::kNoAnswer, "no_answer"},
    {AttemptOutcome::kMessageLeft, "message_left"},
    {AttemptOutcome::kWrongNumber, "wrong_number"},
}};
constexpr std::array<std::pair<AlertSource, std::string_view>, 3> kSourceNames{{
    {AlertSource::kParent, "parent"},
    {AlertSource::kProfessional, "professional"},
    {AlertSource::kThirdParty, "third_party"},
}};

using S = AlertStatus;
using E = AlertEventType;

// THE table of allowed transitions. Anything absent is forbidden.
constexpr AlertTransition kTransitions[] = {
    {S::kNew, E::kQualify, S::kQualified},       {S::kQualified, E::kAssign, S::kAssigned},
    {S::kAssigned, E::kAssign, S::kAssigned},    {S::kInContact, E::kAssign, S::kInContact},
    {S::kQualified, E::kAttempt, S::kInContact}, {S::kAssigned, E::kAttempt, S::kInContact},
    {S::kInContact, E::kAttempt, S::kInContact}, {S::kNew, E::kClose, S::kClosed},
    {S::kQualified, E::kClose, S::kClosed},      {S::kAssigned, E::kClose, S::kClosed},
    {S::kInContact, E::kClose, S::kClosed},      {S::kClosed, E::kReopen, S::kNew},
    {S::kNew, E::kEscalated, S::kNew},           {S::kQualified, E::kEscalated, S::kQualified},
    {S::kAssigned, E::kEscalated, S::kAssigned}, {S::kInContact, E::kEscalated, S::kInContact},
};

}  // namespace

std::string_view ToString(AlertStatus v) { return EnumName(kStatusNames, v); }
std::string_view ToString(AlertEventType v) { return EnumName(kEventNames, v); }
std::string_view ToString(CloseOutcome v) { return EnumName(kOutcomeNames, v); }
std::string_view ToString(AttemptChannel v) { return EnumName(kChannelNames, v); }
std::string_view ToString(AttemptOutcome v) { return EnumName(kAttemptOutcomeNames, v); }
std::string_view ToString(AlertSource v) { return EnumName(kSourceNames, v); }
std::optional<AlertStatus> ParseAlertStatus(std::string_view s) {
  return ParseEnum(kStatusNames, s);
}
std::optional<AlertEventType> ParseAlertEventType(std::string_view s) {
  return ParseEnum(kEventNames, s);
}
std::optional<CloseOutcome> ParseCloseOutcome(std::string_view s) {
  return ParseEnum(kOutcomeNames, s);
}
std::optional<AttemptChannel> ParseAttemptChannel(std::string_view s) {
  return ParseEnum(kChannelNames, s);
}
std::optional<AttemptOutcome> ParseAttemptOutcome(std::string_view s) {
  return ParseEnum(kAttemptOutcomeNames, s);
}
std::optional<AlertSource> ParseAlertSource(std::string_view s) {
  return ParseEnum(kSourceNames, s);
}

bool IsOpen(AlertStatus s) { return s != AlertStatus::kClosed; }

std::span<const AlertTransition> AlertTransitions() { return kTransitions; }

std::optional<AlertStatus> NextStatus(AlertStatus from, AlertEventType event) {
  for (const auto& t : kTransitions) {
    if (t.from == from && t.event == event) return t.to;
  }
  return std::nullopt;
}

Status CheckCloseOutcome(CloseOutcome outcome, bool floor_applies,
                         const std::vector<std::string>& attempt_half_days) {
  if (outcome != CloseOutcome::kUnreachable) return Status::Ok();
  const int attempts = static_cast<int>(attempt_half_days.size());
  if (!floor_applies) {
    if (attempts >= 1) return Status::Ok();
    return Status(StatusCode::kConflict,
                  "invalid transition: unreachable needs at least one recorded attempt", "outcome");
  }
  const std::set<std::string> distinct(attempt_half_days.begin(), attempt_half_days.end());
  if (attempts >= kFloorAttempts && static_cast<int>(distinct.size()) >= kFloorHalfDays) {
    return Status::Ok();
  }
  return Status(StatusCode::kConflict,
                "invalid transition: an immediate or item-10 alert is unreachable only after " +
                    std::to_string(kFloorAttempts) + " attempts over " +
                    std::to_string(kFloorHalfDays) + " half-days (" + std::to_string(attempts) +
                    " over " + std::to_string(distinct.size()) + " so far)",
                "outcome");
}

}  // namespace parcours::domain
