// The access rule of every use case of the professional side, in one place.
// A use case checks its rule (domain::CheckAccess) before any query of
// personal data; the route that calls it declares the same rule
// (http::RouteAccess), so a page cannot be more open than its use case and
// the access matrix (tests/unit/http/access_matrix_test.cpp) is read from
// the router. New features add their rule here and nothing else.
#pragma once

#include "domain/access/access.h"

namespace parcours::app::access {

using domain::AccessRule;
using domain::Role;
using domain::RoleSet;

// One's own session and home page.
inline constexpr AccessRule kSelf{"self", RoleSet::All()};
// Accounts: a coordinator sees and invites the users of their territories;
// an admin those of every territory and resets passwords.
inline constexpr AccessRule kUsersRead{"users.read", {Role::kCoordinator, Role::kAdmin}};
inline constexpr AccessRule kUsersInvite{"users.invite", {Role::kCoordinator, Role::kAdmin}};
inline constexpr AccessRule kUsersResetPassword{"users.reset_password", {Role::kAdmin}};
// The audit log of one's territories (admin: all).
inline constexpr AccessRule kAuditSearch{"audit.search", {Role::kCoordinator, Role::kAdmin}};
// The alert circuit (issue 11): responders and coordinators of a territory
// see and handle its alerts; a professional raises alerts and follows their
// own; nobody else reads them (admin and national roles included).
inline constexpr AccessRule kAlertsRead{"alerts.read", {Role::kResponder, Role::kCoordinator}};
inline constexpr AccessRule kAlertsAct{"alerts.act", {Role::kResponder, Role::kCoordinator}};
inline constexpr AccessRule kAlertsRaise{"alerts.raise", {Role::kProfessional}};
// Consultation screenings (issue 13): a first-line professional passes the
// EPDS with a parent and reads back the results of their territories.
inline constexpr AccessRule kConsultationsCreate{"consultations.create", {Role::kProfessional}};
inline constexpr AccessRule kConsultationsRead{"consultations.read", {Role::kProfessional}};

// Follow-up records (issue 13): created by a first-line professional; read
// by the professionals a record is shared with (a specialised team it was
// referred to included), in the record's territory; attaching a parent's
// screening by share code; FHIR QuestionnaireResponse of a record.
inline constexpr AccessRule kRecordsCreate{"records.create", {Role::kProfessional}};
inline constexpr AccessRule kRecordsRead{"records.read",
                                         {Role::kProfessional, Role::kSpecialisedTeam}};
inline constexpr AccessRule kRecordsWrite{"records.write",
                                          {Role::kProfessional, Role::kSpecialisedTeam}};
// Referrals: sent by first-line professionals, received by specialised teams.
inline constexpr AccessRule kReferralsSend{"referrals.send", {Role::kProfessional}};
inline constexpr AccessRule kReferralsReceive{"referrals.receive", {Role::kSpecialisedTeam}};
inline constexpr AccessRule kReferralsAct{"referrals.act",
                                          {Role::kProfessional, Role::kSpecialisedTeam}};

// Outgoing messages (issue 12): the coordinators of a territory see its
// messages that failed for good and replay them; an admin those of every
// territory and of none (invitations, resets).
inline constexpr AccessRule kMessagesRead{"messages.read", {Role::kCoordinator, Role::kAdmin}};
inline constexpr AccessRule kMessagesReplay{"messages.replay", {Role::kCoordinator, Role::kAdmin}};

}  // namespace parcours::app::access
