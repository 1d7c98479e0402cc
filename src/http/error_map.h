// The one table from error codes to HTTP statuses, and the error bodies.
#pragma once

#include "core/status.h"
#include "http/message.h"

namespace boost::json {
class value;
}  // namespace boost::json

namespace parcours::http {

int HttpStatusFor(StatusCode code);

// {"error":{"code","message","field"}} with the mapped status.
Response JsonError(const Status& status);
Response JsonError(int http_status, std::string_view code, std::string_view message,
                   std::string_view field = {});

// `v` serialised as an application/json response with `status`.
Response JsonResponse(int status, const boost::json::value& v);

}  // namespace parcours::http
