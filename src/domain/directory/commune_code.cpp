#include "domain/directory/commune_code.h"

#include "domain/text/numbers.h"

namespace parcours::domain {
namespace {

bool InRange(std::string_view code, std::string_view low, std::string_view high) {
  return IsDigits(code) && code >= low && code <= high;
}

}  // namespace

bool IsWellFormedCommuneCode(std::string_view code) {
  if (code.size() != 5) return false;
  if (code[0] == '2' && (code[1] == 'A' || code[1] == 'B')) return IsDigits(code.substr(2));
  return IsDigits(code);
}

std::string_view NormaliseCommuneCode(std::string_view code) {
  if (code.size() != 5) return code;
  if (InRange(code, "75101", "75120")) return "75056";
  if (InRange(code, "69381", "69389")) return "69123";
  if (InRange(code, "13201", "13216")) return "13055";
  if (code == "97123") return "97701";
  if (code == "97127") return "97801";
  return code;
}

std::string_view DepartmentOfCommune(std::string_view code) {
  if (!IsWellFormedCommuneCode(code)) return {};
  if (code[0] == '9' && (code[1] == '7' || code[1] == '8')) return code.substr(0, 3);
  return code.substr(0, 2);
}

std::optional<std::string_view> InseeDepartmentFromFiness(std::string_view d) {
  if (d.size() != 2) return std::nullopt;
  if (d == "2A" || d == "2B") return d;
  if (IsDigits(d)) {
    if (d == "00" || d == "20" || d > "95") return std::nullopt;
    return d;
  }
  if (d[0] != '9') return std::nullopt;
  switch (d[1]) {
    case 'A': return "971";
    case 'B': return "972";
    case 'C': return "973";
    case 'D': return "974";
    case 'E': return "975";
    case 'F': return "976";
    case 'J': return "986";
    default: return std::nullopt;
  }
}

std::optional<std::string> CommuneCodeFromFiness(std::string_view finess_department,
                                                 std::string_view commune) {
  const std::optional<std::string_view> department = InseeDepartmentFromFiness(finess_department);
  if (!department || commune.size() != 3 || !IsDigits(commune)) return std::nullopt;
  std::string code;
  if (department->size() == 3) {
    // Overseas: "97" + the three digits, the first being the department's.
    if (commune[0] != (*department)[2]) return std::nullopt;
    code.append(department->substr(0, 2));
  } else {
    code.append(*department);
  }
  code.append(commune);
  return std::string(NormaliseCommuneCode(code));
}

}  // namespace parcours::domain
