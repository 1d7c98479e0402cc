#include "domain/access/access.h"

#include <algorithm>

namespace parcours::domain {

std::string_view ToString(Role r) {
  switch (r) {
    case Role::kResponder: return "responder";
    case Role::kProfessional: return "professional";
    case Role::kSpecialisedTeam: return "specialised_team";
    case Role::kCoordinator: return "coordinator";
    case Role::kNational: return "national";
    case Role::kAdmin: return "admin";
  }
  return "professional";
}

std::optional<Role> ParseRole(std::string_view s) {
  for (Role r : kAllRoles) {
    if (ToString(r) == s) return r;
  }
  return std::nullopt;
}

bool IsNationalRole(Role r) { return r == Role::kNational || r == Role::kAdmin; }

std::vector<Role> RoleSet::ToVector() const {
  std::vector<Role> out;
  for (Role r : kAllRoles) {
    if (Has(r)) out.push_back(r);
  }
  return out;
}

Status CheckAccess(const AccessRule& rule, const Principal* principal) {
  if (!principal) return {StatusCode::kUnauthenticated, "authentication required"};
  if (!rule.roles.Has(principal->role)) {
    return Status::Forbidden("role " + std::string(ToString(principal->role)) + " may not use " +
                             std::string(rule.name));
  }
  return Status::Ok();
}

bool InScope(const Principal& p, std::string_view territory_code,
             std::optional<std::string_view> sub_territory) {
  if (IsNationalRole(p.role)) return true;
  if (territory_code.empty()) return false;
  if (std::find(p.territories.begin(), p.territories.end(), territory_code) ==
      p.territories.end()) {
    return false;
  }
  if (p.sub_territories.empty() || !sub_territory || sub_territory->empty()) return true;
  return std::find(p.sub_territories.begin(), p.sub_territories.end(), *sub_territory) !=
         p.sub_territories.end();
}

Status CheckRecordScope(const Principal& p, std::string_view territory_code,
                        std::optional<std::string_view> sub_territory) {
  if (InScope(p, territory_code, sub_territory)) return Status::Ok();
  return Status::NotFound("no such record");
}

}  // namespace parcours::domain
