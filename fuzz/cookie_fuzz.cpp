// Fuzz target: the Cookie request header, read for the session cookie
// (http/cookie.h, used by the session guard), then hashed as a session
// token is before its lookup.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "app/auth/secret_token.h"
#include "http/cookie.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string header(reinterpret_cast<const char*>(data), size);
  for (std::string_view name : {"parcours_session", "a", ""}) {
    std::string_view v = parcours::http::CookieValue(header, name);
    if (v.empty()) continue;
    // A view into the header, ending before the next ';'.
    if (v.data() < header.data() || v.data() + v.size() > header.data() + header.size()) {
      __builtin_trap();
    }
    if (v.find(';') != std::string_view::npos) __builtin_trap();
    (void)parcours::app::HashSecretToken(v);
  }
  return 0;
}
