// Parsing of the JSON configuration files the domain reads (questionnaires,
// pathway rules, territories): depth-limited, one object at the root.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/status.h"

namespace parcours::domain {

// The root object of `text`. InvalidArgument with field "$" (message
// prefixed with `what`) when the text is not JSON, nests deeper than 16
// levels or is not an object.
Result<boost::json::object> ParseJsonDocument(std::string_view text, const std::string& what);

}  // namespace parcours::domain
