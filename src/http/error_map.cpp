#include "http/error_map.h"

#include <boost/json.hpp>
#include <utility>

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

namespace {

boost::json::object ErrorObject(std::string_view code, std::string_view message,
                                std::string_view field) {
  boost::json::object err;
  err["code"] = code;
  err["message"] = message;
  if (field.empty()) {
    err["field"] = nullptr;
  } else {
    err["field"] = field;
  }
  return err;
}

}  // namespace

Response JsonResponse(int status, const boost::json::value& v) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = boost::json::serialize(v);
  return r;
}

Response JsonError(int http_status, std::string_view code, std::string_view message,
                   std::string_view field) {
  boost::json::object root;
  root["error"] = ErrorObject(code, message, field);
  return JsonResponse(http_status, boost::json::value(std::move(root)));
}

Response JsonError(const Status& status) {
  // Storage and internal details stay in the logs: a client sees a fixed
  // text for internal errors, unavailability and conflicts not about a field.
  std::string_view message = status.message();
  if (status.code() == StatusCode::kInternal) message = "internal error";
  if (status.code() == StatusCode::kUnavailable) message = "service unavailable: retry shortly";
  if (status.code() == StatusCode::kConflict && status.field().empty()) {
    message = "conflicts with the current state: retry";
  }
  boost::json::object root;
  root["error"] = ErrorObject(StatusCodeName(status.code()), message, status.field());
  if (status.code() == StatusCode::kInvalidArgument) {
    // Bad input: every field at fault, beside the first one in "error".
    boost::json::array errors;
    for (const auto& e : status.field_errors()) {
      boost::json::object o;
      o["field"] = e.field;
      o["message"] = e.message;
      errors.push_back(std::move(o));
    }
    if (!errors.empty()) root["errors"] = std::move(errors);
  }
  return JsonResponse(HttpStatusFor(status.code()), boost::json::value(std::move(root)));
}

}  // namespace parcours::http
