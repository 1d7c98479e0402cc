#include "storage/directory_repository.h"

#include "domain/directory/commune_code.h"

namespace parcours::storage {

std::string ResourceRecord::DepartmentCode() const {
  return std::string(domain::DepartmentOfCommune(resource.commune_code));
}

std::string EncodeLevels(const domain::CareLevelSet& levels) {
  std::string out;
  for (domain::CareLevel l : levels.ToVector()) {
    if (!out.empty()) out += ',';
    out += domain::ToString(l);
  }
  return out;
}

std::optional<domain::CareLevelSet> DecodeLevels(std::string_view s) {
  domain::CareLevelSet set;
  for (const std::string& part : DecodeList(s)) {
    auto l = domain::ParseCareLevel(part);
    if (!l) return std::nullopt;
    set.Add(*l);
  }
  return set;
}

std::string EncodeList(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

std::vector<std::string> DecodeList(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  while (true) {
    auto comma = s.find(',');
    out.emplace_back(s.substr(0, comma));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace parcours::storage
