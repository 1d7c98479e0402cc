// libFuzzer target: arbitrary bytes as the `escalation` block of a territory
// file (data/territories/*.json, edited by hand by the operator): parsed as
// JSON (Boost.JSON, depth-limited) then by domain::ParseEscalation, which
// must refuse (naming a field) or give a second level within its bounds.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/territory/territory.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  boost::json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(
      std::string_view(reinterpret_cast<const char*>(data), size), ec, {}, options);
  if (ec) return 0;
  auto r = parcours::domain::ParseEscalation(&v);
  if (!r.ok()) {
    Check(r.status().field().starts_with("escalation"));
    return 0;
  }
  if (r->second_level) {
    Check(r->second_level->after_hours >= 1 && r->second_level->after_hours <= 168);
    Check(r->second_level->names.contains("fr"));
    Check(r->second_level->email.empty() || r->second_level->email.find('@') != std::string::npos);
  }
  return 0;
}
