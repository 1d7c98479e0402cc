#include "core/status.h"

namespace parcours {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kConflict: return "conflict";
    case StatusCode::kForbidden: return "forbidden";
    case StatusCode::kUnauthenticated: return "unauthenticated";
    case StatusCode::kPayloadTooLarge: return "payload_too_large";
    case StatusCode::kTooManyRequests: return "too_many_requests";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kInternal: return "internal";
  }
  return "internal";
}

std::string Status::ToString() const {
  std::string s = StatusCodeName(code_);
  if (!field_.empty()) s += " [" + field_ + "]";
  if (!message_.empty()) s += ": " + message_;
  return s;
}

}  // namespace parcours
