// libFuzzer target: arbitrary bytes as the etalab commune list (JSON).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/directory/commune_code.h"
#include "domain/directory/etalab_communes.h"
#include "domain/text/encoding.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::int64_t communes = 0;
  std::int64_t errors = 0;
  parcours::domain::ImportCounts counts;
  (void)parcours::domain::ReadEtalabCommunes(
      input,
      [&](const parcours::domain::Commune& c) {
        ++communes;
        Check(parcours::domain::IsWellFormedCommuneCode(c.insee_code));
        Check(!c.name.empty() && !c.department_code.empty());
        for (const auto& p : c.postcodes) Check(p.size() == 5);
      },
      [&](const parcours::domain::LineError& e) {
        ++errors;
        Check(e.line_number >= 1);
        Check(parcours::domain::IsValidUtf8(e.reason));
      },
      &counts);
  Check(counts.records == communes);
  Check(counts.errors == errors);
  Check(counts.records + counts.skipped + counts.errors == counts.lines);
  return 0;
}
