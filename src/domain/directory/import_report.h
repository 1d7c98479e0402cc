// What an import tells its caller about lines it could not use: a bad row is
// a value (line number + reason), never an exception, and never stops the
// import.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace parcours::domain {

// What became of one data line.
enum class LineOutcome {
  kRecord,   // parsed and kept
  kSkipped,  // well formed, but not for the directory (or blank)
  kError,    // malformed: see the LineError
};

struct LineError {
  std::int64_t line_number = 0;  // 1-based physical line of the file
  std::string reason;            // English, for the import report and logs

  bool operator==(const LineError&) const = default;
};

// Every data line ends up in exactly one of records, skipped or errors
// (header and preamble lines count in `lines` only).
struct ImportCounts {
  std::int64_t lines = 0;    // physical lines seen, header included
  std::int64_t records = 0;  // rows kept and handed to the caller
  std::int64_t skipped = 0;  // well-formed rows outside the pathway, blank lines
  std::int64_t errors = 0;   // malformed rows, each reported as a LineError

  bool operator==(const ImportCounts&) const = default;
};

// "<text> '<value>'" with the value cut to 40 bytes on a UTF-8 boundary, so
// a reason never copies a whole hostile field.
std::string DescribeValue(std::string_view text, std::string_view value);

}  // namespace parcours::domain
