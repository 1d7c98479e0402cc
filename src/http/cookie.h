// Reading a Cookie request header (RFC 6265 §5.4: "name=value" pairs
// separated by "; "). Outside data: fuzzed by fuzz/cookie_fuzz.cpp.
#pragma once

#include <string_view>

namespace parcours::http {

// The value of the first cookie called `name` in `header`, "" when there is
// none (or it is empty). A view into `header`.
std::string_view CookieValue(std::string_view header, std::string_view name);

}  // namespace parcours::http
