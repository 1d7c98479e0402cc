#include "app/directory/directory_commune_lookup.h"

namespace parcours::app {

Result<std::vector<CommuneInfo>> DirectoryCommuneLookup::ByPostcode(
    std::string_view postcode) const {
  std::vector<CommuneInfo> out;
  Status st = storage_.Read([&](storage::Transaction& tx) -> Status {
    auto list = tx.directory().FindCommunesByPostcode(postcode);
    if (!list.ok()) return list.status();
    out.reserve(list->size());
    for (const auto& c : *list) out.push_back({c.insee_code, c.name, c.department_code});
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace parcours::app
