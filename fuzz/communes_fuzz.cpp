// libFuzzer target: arbitrary bytes through the commune-list reader, with
// and without the real header, fed in chunks whose size the input chooses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain/directory/commune_code.h"
#include "domain/directory/commune_parser.h"
#include "domain/text/encoding.h"
#include "domain/text/fold.h"
#include "domain/text/line_stream.h"

namespace {

constexpr std::string_view kHeader =
    "insee_code,name,postcodes,department_code,region_code,latitude,longitude,population\n";

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool with_header = (data[0] & 1) != 0;
  const std::size_t chunk = 1 + (data[0] >> 1);
  std::string input(with_header ? kHeader : std::string_view());
  input.append(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::int64_t communes = 0;
  parcours::domain::CommuneReader reader(
      [&](const parcours::domain::Commune& c) {
        ++communes;
        Check(parcours::domain::IsWellFormedCommuneCode(c.insee_code));
        Check(!c.name.empty() && parcours::domain::IsValidUtf8(c.name));
        Check(!c.centroid || parcours::domain::IsValid(*c.centroid));
        for (const auto& p : c.postcodes) Check(p.size() == 5);
        // Search keys of every name: folding must hold on any UTF-8.
        const std::string key = parcours::domain::FoldPlaceName(c.name);
        Check(parcours::domain::IsValidUtf8(key));
      },
      nullptr);
  parcours::domain::LineStream stream(&reader, {.max_line_bytes = 4096, .sample_bytes = 256});
  const std::string_view all(input);
  for (std::size_t i = 0; i < all.size(); i += chunk) stream.Feed(all.substr(i, chunk));
  stream.Finish();

  const auto& counts = reader.counts();
  Check(counts.records == communes);
  Check(counts.lines == stream.lines());
  Check(counts.records + counts.skipped + counts.errors <= counts.lines);
  // Folding arbitrary bytes directly as well.
  Check(parcours::domain::IsValidUtf8(parcours::domain::FoldForSearch(all.substr(0, 512))));
  return 0;
}
