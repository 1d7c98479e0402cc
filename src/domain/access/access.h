// Who may do what: roles, the principal acting, and the access rule every
// use case declares. Pure: the app layer checks a rule with CheckAccess()
// before any query of personal data, and checks the territory of every
// record it reads with InScope() (a record outside the caller's territories
// is reported as not found, never as forbidden, so ids reveal nothing).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace parcours::domain {

// Roles of the professional side (identifiers of the API and the CLI).
enum class Role {
  kResponder,        // handles the territory's alerts
  kProfessional,     // first line: consultations, referrals, alerts about a parent
  kSpecialisedTeam,  // receives referrals
  kCoordinator,      // the regional project lead
  kNational,         // aggregates only, every territory
  kAdmin,            // accounts of every territory
};

inline constexpr Role kAllRoles[] = {Role::kResponder,       Role::kProfessional,
                                     Role::kSpecialisedTeam, Role::kCoordinator,
                                     Role::kNational,        Role::kAdmin};

std::string_view ToString(Role r);
std::optional<Role> ParseRole(std::string_view s);
// National-scope roles hold no territory and see every territory.
bool IsNationalRole(Role r);

// A set of roles as a bit mask, usable in constant expressions.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) bits_ |= Bit(r);
  }
  static constexpr RoleSet All() {
    return RoleSet{Role::kResponder,   Role::kProfessional, Role::kSpecialisedTeam,
                   Role::kCoordinator, Role::kNational,     Role::kAdmin};
  }
  constexpr bool Has(Role r) const { return (bits_ & Bit(r)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  std::vector<Role> ToVector() const;

 private:
  static constexpr std::uint32_t Bit(Role r) { return 1u << static_cast<unsigned>(r); }
  std::uint32_t bits_ = 0;
};

// The authenticated person a use case acts for.
struct Principal {
  std::string user_id;
  Role role = Role::kProfessional;
  std::vector<std::string> territories;      // sorted; empty for national roles
  std::vector<std::string> sub_territories;  // sorted; empty = the whole territories
};

// What a use case (or a route) declares: its name (for logs and the access
// matrix) and the roles allowed. Territory scope is always the principal's
// territories, except for national roles (every territory).
struct AccessRule {
  std::string_view name;
  RoleSet roles;
};

// kUnauthenticated without a principal, kForbidden for a role not allowed.
Status CheckAccess(const AccessRule& rule, const Principal* principal);

// True when a record of `territory_code` is within the principal's scope
// (optionally narrowed to a sub-territory when the principal has some and
// the record has one).
bool InScope(const Principal& p, std::string_view territory_code,
             std::optional<std::string_view> sub_territory = std::nullopt);

// kNotFound (never kForbidden) when the record is outside the scope.
Status CheckRecordScope(const Principal& p, std::string_view territory_code,
                        std::optional<std::string_view> sub_territory = std::nullopt);

}  // namespace parcours::domain
