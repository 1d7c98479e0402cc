#include "http/error_map.h"

#include <boost/json.hpp>

namespace parcours::http {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kForbidden: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kConflict: return 409;
    case StatusCode::kPayloadTooLarge: return 413;
    case StatusCode::kTooManyRequests: return 429;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

Response JsonError(int http_status, std::string_view code, std::string_view message,
                   std::string_view field) {
  boost::json::object err;
  err["code"] = code;
  err["message"] = message;
  if (field.empty()) {
    err["field"] = nullptr;
  } else {
    err["field"] = field;
  }
  boost::json::object root;
  root["error"] = std::move(err);
  Response r;
  r.status = http_status;
  r.content_type = "application/json";
  r.body = boost::json::serialize(root);
  return r;
}

Response JsonError(const Status& status) {
  // Internal details stay in the logs.
  std::string_view message = status.code() == StatusCode::kInternal
                                 ? std::string_view("internal error")
                                 : std::string_view(status.message());
  return JsonError(HttpStatusFor(status.code()), StatusCodeName(status.code()), message,
                   status.field());
}

}  // namespace parcours::http
