// A QR code as inline SVG (libqrencode), so the enrolment page shows it
// without serving an image or calling another site. One <path> of dark
// modules with a 4-module quiet zone; colours as presentation attributes
// (the CSP forbids inline styles).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace parcours::app {

// `label` becomes the SVG's accessible name (role="img", aria-label).
Result<std::string> QrSvg(std::string_view text, std::string_view label);

}  // namespace parcours::app
