// libFuzzer target: arbitrary bytes through the FINESS geolocated-extract
// collector, optionally behind a real preamble and pathway row, fed in
// chunks whose size the input chooses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "domain/directory/commune_code.h"
#include "domain/directory/finess_parser.h"
#include "domain/text/encoding.h"
#include "domain/text/line_stream.h"

namespace {

constexpr std::string_view kPrefix =
    "finess;etalab;111;2026-05-12\n"
    "structureet;970210126;970210118;CMPP  INTERSECTORIEL ALOES;CMPP INTERSECTORIEL;;;;;"
    "ZAC CHAMPIGNY;;BP 71 IMMEUBLE SEMAFA;207;9B;MARTINIQUE;97224 DUCOS;0596748677;0596748631;"
    "189;Centre M\xE9"
    "dico-Psycho-P\xE9"
    "dagogique (C.M.P.P.);4106;Services;50254756500015;;57;"
    "DGS;;;2008-04-14;2007-11-14;2017-02-21;\n";

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool with_prefix = (data[0] & 1) != 0;
  const std::size_t chunk = 1 + (data[0] >> 1);
  std::string input(with_prefix ? kPrefix : std::string_view());
  input.append(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::int64_t errors = 0;
  parcours::domain::FinessCollector collector([&](const parcours::domain::LineError& e) {
    ++errors;
    Check(e.line_number >= 1 && parcours::domain::IsValidUtf8(e.reason));
  });
  parcours::domain::LineStream stream(&collector, {.max_line_bytes = 4096, .sample_bytes = 256});
  const std::string_view all(input);
  for (std::size_t i = 0; i < all.size(); i += chunk) stream.Feed(all.substr(i, chunk));
  stream.Finish();

  const auto counts = collector.counts();
  Check(counts.errors == errors);
  Check(counts.lines == stream.lines());
  Check(counts.records + counts.skipped + counts.errors <= counts.lines);
  const std::vector<parcours::domain::FinessEstablishment> kept = collector.TakeEstablishments();
  Check(static_cast<std::int64_t>(kept.size()) <= counts.records);
  for (const auto& e : kept) {
    Check(e.finess_id.size() == 9);
    Check(parcours::domain::IsWellFormedCommuneCode(e.commune_code));
    Check(!parcours::domain::DefaultLevels(e.kind).empty());
    Check(e.postcode.empty() || e.cedex_postcode.empty());
  }
  // The system parser on the raw bytes too.
  (void)parcours::domain::ParseFinessCrs(all);
  return 0;
}
