// Fuzz target: HTML form bodies and query strings.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/form.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto r = parcours::http::ParseForm(body);
  if (r.ok()) {
    for (const auto& [k, v] : r->fields()) (void)(k.size() + v.size());
    (void)r->All("answers");
  } else {
    (void)r.status().field();
  }
  return 0;
}
