#include "domain/directory/commune_parser.h"

#include <utility>

#include "domain/directory/commune_code.h"
#include "domain/text/numbers.h"

namespace parcours::domain {
namespace {

constexpr std::array<std::string_view, CommuneParser::kColumnCount> kHeaders = {
    "insee_code",  "name",     "postcodes", "department_code",
    "region_code", "latitude", "longitude", "population",
};

}  // namespace

Result<CommuneParser> CommuneParser::Create(std::string_view header_line) {
  CommuneParser parser;
  if (!parser.splitter_.Split(header_line, ',')) {
    return Status::InvalidArgument("header", "communes header has an unterminated quote");
  }
  const auto& names = parser.splitter_.fields();
  parser.columns_ = names.size();
  for (std::size_t c = 0; c < kColumnCount; ++c) {
    bool found = false;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (TrimAscii(names[i]) == kHeaders[c]) {
        parser.index_[c] = i;
        found = true;
        break;
      }
    }
    if (!found) {
      return Status::InvalidArgument(
          "header", "communes header lacks the column '" + std::string(kHeaders[c]) + "'");
    }
  }
  return parser;
}

LineOutcome CommuneParser::ParseLine(std::string_view line, std::int64_t line_number,
                                     Commune* commune, LineError* error) {
  if (TrimAscii(line).empty()) return LineOutcome::kSkipped;
  const auto fail = [&](std::string reason) {
    error->line_number = line_number;
    error->reason = std::move(reason);
    return LineOutcome::kError;
  };
  if (!splitter_.Split(line, ',')) return fail("unterminated quoted field");
  const auto& f = splitter_.fields();
  if (f.size() != columns_) {
    return fail("expected " + std::to_string(columns_) + " fields, found " +
                std::to_string(f.size()));
  }
  const auto field = [&](Column c) { return TrimAscii(f[index_[c]]); };

  const std::string_view code = field(kInseeCode);
  if (!IsWellFormedCommuneCode(code)) return fail(DescribeValue("malformed insee_code", code));
  const std::string_view name = field(kName);
  if (name.empty()) return fail("empty name");
  const std::string_view department = field(kDepartment);
  if (department.empty()) return fail("empty department_code");

  commune->postcodes.clear();
  std::string_view rest = field(kPostcodes);
  while (!rest.empty()) {
    const std::size_t space = rest.find(' ');
    const std::string_view postcode = rest.substr(0, space);
    if (!postcode.empty()) {
      if (postcode.size() != 5 || !IsDigits(postcode)) {
        return fail(DescribeValue("malformed postcode", postcode));
      }
      commune->postcodes.emplace_back(postcode);
    }
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }

  const std::string_view lat_text = field(kLatitude);
  const std::string_view lon_text = field(kLongitude);
  commune->centroid.reset();
  if (!lat_text.empty() || !lon_text.empty()) {
    const std::optional<double> lat = ParseDecimal(lat_text);
    const std::optional<double> lon = ParseDecimal(lon_text);
    if (!lat || !lon) return fail("latitude and longitude must both be decimal numbers");
    const LatLon p{*lat, *lon};
    if (!IsValid(p)) return fail("latitude/longitude out of range");
    commune->centroid = p;
  }

  const std::string_view population = field(kPopulation);
  commune->population.reset();
  if (!population.empty()) {
    const std::optional<std::int64_t> value = ParseInt64(population);
    if (!value || *value < 0) return fail(DescribeValue("malformed population", population));
    commune->population = *value;
  }

  commune->insee_code.assign(code);
  commune->name.assign(name);
  commune->department_code.assign(department);
  commune->region_code.assign(field(kRegion));
  return LineOutcome::kRecord;
}

Status ReadCommunes(std::string_view bytes, CommuneReader::CommuneFn on_commune,
                    CommuneReader::ErrorFn on_error, ImportCounts* counts) {
  return ReadAllRecords<CommuneReader>(bytes, std::move(on_commune), std::move(on_error), counts);
}

}  // namespace parcours::domain
