// Reads project files (data/, tests/cases/) for the domain tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace parcours::domain::testing {

inline std::string ReadProjectFile(const std::string& relative) {
  std::ifstream in(std::string(PARCOURS_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace parcours::domain::testing
