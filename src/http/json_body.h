// Parsing of JSON request bodies: size is bounded by the server, nesting
// depth here (a deeply nested body is a 400, never a stack overflow).
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "core/status.h"

namespace parcours::http {

constexpr int kMaxJsonDepth = 32;

// The body must be one JSON object. Errors: InvalidArgument on field "body".
Result<boost::json::object> ParseJsonObject(std::string_view body, int max_depth = kMaxJsonDepth);

}  // namespace parcours::http
