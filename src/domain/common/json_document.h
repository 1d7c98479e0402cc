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

// A JSON object the application stored (sealed) and reads back: kInternal
// with message `corrupt` when `text` is not JSON or not an object.
Result<boost::json::object> ParseStoredObject(std::string_view text, const char* corrupt);

// The string at `key` of `o`; "" when it is missing or not a string.
std::string StringOr(const boost::json::object& o, std::string_view key);

}  // namespace parcours::domain
