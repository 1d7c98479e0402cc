// The commune list (format of shared/data/communes.csv, see its README):
// UTF-8, ',' separated (RFC 4180 quoting accepted), one header row
//   insee_code,name,postcodes,department_code,region_code,latitude,longitude,population
// Columns are found by header name, so their order may change. postcodes is
// space-separated (empty for the TAAF districts); latitude/longitude are
// WGS84 decimal degrees, both empty when the commune has no centroid (a
// search then falls back to the commune, then the department);
// population may be empty.
//
// Errors (LineError): wrong field count, malformed INSEE code, empty name or
// department, a postcode that is not 5 digits, only one of
// latitude/longitude, coordinates out of range, malformed population.
// Nothing throws; any byte sequence is safe (fuzzed). Not thread-safe
// (buffers reused): one parser per thread.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/directory/import_report.h"
#include "domain/directory/record_reader.h"
#include "domain/geo/lat_lon.h"
#include "domain/text/field_splitter.h"
#include "domain/text/line_stream.h"

namespace parcours::domain {

struct Commune {
  std::string insee_code;              // "01001", "2A004", "97209"
  std::string name;                    // official name, UTF-8
  std::vector<std::string> postcodes;  // sorted as in the file
  std::string department_code;         // "01", "2A", "972", "987"
  std::string region_code;             // "84", "02", "975"
  std::optional<LatLon> centroid;
  std::optional<std::int64_t> population;

  bool operator==(const Commune&) const = default;
};

class CommuneParser {
 public:
  // InvalidArgument (field "header") naming the first missing column.
  static Result<CommuneParser> Create(std::string_view header_line);

  LineOutcome ParseLine(std::string_view line, std::int64_t line_number, Commune* commune,
                        LineError* error);

  enum Column : int {
    kInseeCode,
    kName,
    kPostcodes,
    kDepartment,
    kRegion,
    kLatitude,
    kLongitude,
    kPopulation,
    kColumnCount,
  };

 private:
  CommuneParser() = default;

  std::array<std::size_t, kColumnCount> index_{};
  std::size_t columns_ = 0;
  QuotedFieldSplitter splitter_;
};

// Reads a whole commune list (header line, then records): see RecordReader.
class CommuneReader final : public RecordReader<CommuneParser, Commune> {
 public:
  using CommuneFn = RecordFn;
  CommuneReader(CommuneFn on_record, ErrorFn on_error)
      : RecordReader(std::move(on_record), std::move(on_error), "commune list", "communes") {}
};

// Reads a commune list held in memory.
Status ReadCommunes(std::string_view bytes, CommuneReader::CommuneFn on_commune,
                    CommuneReader::ErrorFn on_error, ImportCounts* counts = nullptr);

}  // namespace parcours::domain
