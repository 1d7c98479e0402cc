// The alert circuit's state machine (PTSM 69 fiche 5.2): statuses, the
// events that move an alert, close outcomes and contact attempts. Pure: no
// clock, no I/O. The allowed transitions are ONE table (kTransitions in
// alert_machine.cpp), tested from tests/cases/alert_transitions.json.
//
// new ──qualify──> qualified ──assign──> assigned ──attempt──> in_contact
//                      └──────────attempt (assigns the actor)──────┘
// every open status ──close(outcome)──> closed ──reopen(reason)──> new
// every open status ──escalated (system)──> the same status
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace parcours::domain {

enum class AlertStatus { kNew, kQualified, kAssigned, kInContact, kClosed };

// What can happen to an alert. kCreated and kEscalated are recorded by the
// system; the others are commands of a responder or coordinator.
enum class AlertEventType {
  kCreated,
  kQualify,
  kAssign,
  kAttempt,
  kClose,
  kReopen,
  kEscalated,
};

enum class CloseOutcome {
  kOriented,       // oriented to a resource of the directory
  kTakenInCharge,  // the team takes the parent in charge
  kUnreachable,
  kRefused,
  kDuplicate,
  kWrongNumber,
};

enum class AttemptChannel { kPhone, kSms, kEmail, kVisit };
// kReached: the responder spoke with the parent; the others are failed
// attempts. Any attempt moves the alert to in_contact (the parent's stage
// "a professional tried to reach you").
enum class AttemptOutcome { kReached, kNoAnswer, kMessageLeft, kWrongNumber };

// Who reported the alert.
enum class AlertSource { kParent, kProfessional, kThirdParty };

inline constexpr AlertStatus kAlertStatuses[] = {AlertStatus::kNew, AlertStatus::kQualified,
                                                 AlertStatus::kAssigned, AlertStatus::kInContact,
                                                 AlertStatus::kClosed};
// The events a person may send (the API's "type" values).
inline constexpr AlertEventType kAlertCommands[] = {
    AlertEventType::kQualify, AlertEventType::kAssign, AlertEventType::kAttempt,
    AlertEventType::kClose, AlertEventType::kReopen};

// API identifiers: "new", "in_contact", "qualify", "escalated", "oriented",
// "taken_in_charge", "wrong_number", "phone", "no_answer", "third_party"…
std::string_view ToString(AlertStatus v);
std::string_view ToString(AlertEventType v);
std::string_view ToString(CloseOutcome v);
std::string_view ToString(AttemptChannel v);
std::string_view ToString(AttemptOutcome v);
std::string_view ToString(AlertSource v);
std::optional<AlertStatus> ParseAlertStatus(std::string_view s);
std::optional<AlertEventType> ParseAlertEventType(std::string_view s);
std::optional<CloseOutcome> ParseCloseOutcome(std::string_view s);
std::optional<AttemptChannel> ParseAttemptChannel(std::string_view s);
std::optional<AttemptOutcome> ParseAttemptOutcome(std::string_view s);
std::optional<AlertSource> ParseAlertSource(std::string_view s);

// True for every status but closed.
bool IsOpen(AlertStatus s);

// One row of the transition table.
struct AlertTransition {
  AlertStatus from;
  AlertEventType event;
  AlertStatus to;
};

// The whole table (for the tests and the documentation).
std::span<const AlertTransition> AlertTransitions();

// The status after `event` on an alert in `from`; nullopt when the table
// does not allow it (kCreated is never a transition: it starts an alert).
std::optional<AlertStatus> NextStatus(AlertStatus from, AlertEventType event);

// The unreachable floor: an alert that was qualified immediate, or whose
// screening had item 10 > 0, may be closed as unreachable only after at
// least kFloorAttempts attempts over at least kFloorHalfDays distinct
// half-days of the territory's local time; any other alert after at least
// one attempt (nobody is "unreachable" who was never called).
inline constexpr int kFloorAttempts = 3;
inline constexpr int kFloorHalfDays = 2;

// `attempt_half_days` holds one key per recorded attempt, naming its local
// half-day (e.g. "2026-11-23/am"; the caller computes it in the territory's
// time zone: the domain has no clock). Ok, or kConflict (field "outcome")
// naming what is missing.
Status CheckCloseOutcome(CloseOutcome outcome, bool floor_applies,
                         const std::vector<std::string>& attempt_half_days);

}  // namespace parcours::domain
