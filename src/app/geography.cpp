#include "app/geography.h"

#include "domain/territory/territory.h"

namespace parcours::app {

bool IsPostcode(std::string_view s) {
  if (s.size() != 5) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string DepartmentOfPostcode(std::string_view postcode) {
  if (!IsPostcode(postcode)) return "";
  if (postcode.starts_with("97") || postcode.starts_with("98")) {
    return std::string(postcode.substr(0, 3));
  }
  if (postcode.starts_with("20")) return "";
  return std::string(postcode.substr(0, 2));
}

Result<Place> ResolvePlace(const CommuneLookup& communes, const domain::TerritoryCatalog& catalog,
                           const std::optional<std::string>& postcode,
                           const std::optional<std::string>& commune_code) {
  if (!postcode) {
    if (commune_code) return Status::InvalidArgument("commune_code", "give the postcode too");
    Place p;
    p.territory = &catalog.outside();
    return p;
  }
  if (!IsPostcode(*postcode)) {
    return Status::InvalidArgument("postcode", "a postcode is 5 digits, e.g. 59000");
  }
  auto list = communes.ByPostcode(*postcode);
  if (!list.ok()) return list.status();
  return PlaceOf(catalog, *postcode, *list, commune_code);
}

Result<Place> PlaceOf(const domain::TerritoryCatalog& catalog, const std::string& postcode,
                      const std::vector<CommuneInfo>& communes,
                      const std::optional<std::string>& commune_code) {
  auto error = [](std::string message, const char* reason) {
    return Status::InvalidArguments({FieldError{"commune_code", std::move(message), reason}});
  };
  Place p;
  p.postcode = postcode;
  if (communes.empty()) {
    if (commune_code) return error("no commune is known for this postcode", "unknown");
    p.territory = &catalog.ForDepartment(DepartmentOfPostcode(postcode));
    return p;
  }
  p.commune_data = true;
  if (commune_code) {
    for (const auto& c : communes) {
      if (c.insee_code == *commune_code) {
        p.commune_code = c.insee_code;
        p.territory = &catalog.ForDepartment(c.department_code);
        return p;
      }
    }
    return error("not a commune of postcode " + postcode, "unknown");
  }
  if (communes.size() == 1) {
    p.commune_code = communes.front().insee_code;
    p.territory = &catalog.ForDepartment(communes.front().department_code);
    return p;
  }
  const domain::Territory* first = &catalog.ForDepartment(communes.front().department_code);
  for (const auto& c : communes) {
    if (&catalog.ForDepartment(c.department_code) != first) {
      return error(
          "postcode " + postcode + " covers communes of several territories: choose the commune",
          "choose");
    }
  }
  p.territory = first;
  return p;
}

}  // namespace parcours::app
