// Reads a file of tests/fixtures/directory for the directory tests.
#pragma once

#include <fstream>
#include <ostream>
#include <sstream>
#include <string>

#include "domain/directory/import_report.h"

namespace parcours::domain {

// Readable failures for EXPECT_EQ on LineError values.
inline void PrintTo(const LineError& e, std::ostream* os) {
  *os << "{" << e.line_number << ", \"" << e.reason << "\"}";
}

inline void PrintTo(const ImportCounts& c, std::ostream* os) {
  *os << "{lines " << c.lines << ", records " << c.records << ", skipped " << c.skipped
      << ", errors " << c.errors << "}";
}

}  // namespace parcours::domain

namespace parcours::domain::testing {

inline std::string ReadFixture(const std::string& name) {
  const std::string path = std::string(PARCOURS_SOURCE_DIR) + "/tests/fixtures/directory/" + name;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace parcours::domain::testing
