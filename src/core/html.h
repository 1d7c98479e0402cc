// Escaping text for HTML and XML (SVG): element content and quoted
// attribute values.
#pragma once

#include <string>
#include <string_view>

namespace parcours {

// & < > " ' as character references; everything else unchanged.
std::string EscapeHtml(std::string_view s);

}  // namespace parcours
