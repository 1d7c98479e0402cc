#include "domain/directory/import_report.h"

#include <algorithm>

namespace parcours::domain {

std::string DescribeValue(std::string_view text, std::string_view value) {
  std::size_t n = std::min<std::size_t>(value.size(), 40);
  while (n > 0 && n < value.size() && (static_cast<unsigned char>(value[n]) & 0xC0) == 0x80) --n;
  std::string out(text);
  out.append(" '");
  out.append(value.substr(0, n));
  out.append("'");
  return out;
}

}  // namespace parcours::domain
