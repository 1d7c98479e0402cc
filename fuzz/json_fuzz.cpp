// Fuzz target: JSON request bodies (depth limit, malformed input).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/json_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto r = parcours::http::ParseJsonObject(body);
  if (r.ok()) {
    (void)r->size();
  } else {
    (void)r.status().field();
  }
  return 0;
}
