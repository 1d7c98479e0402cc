#include "http/json_body.h"

#include <boost/json.hpp>

namespace parcours::http {

Result<boost::json::object> ParseJsonObject(std::string_view body, int max_depth) {
  if (body.empty()) return Status::InvalidArgument("body", "a JSON object is required");
  boost::json::parse_options opt;
  opt.max_depth = static_cast<std::size_t>(max_depth);
  boost::system::error_code ec;
  boost::json::monotonic_resource mr;
  boost::json::value v = boost::json::parse(body, ec, {}, opt);
  if (ec == boost::json::error::too_deep) {
    return Status::InvalidArgument(
        "body", "JSON nested deeper than " + std::to_string(max_depth) + " levels");
  }
  if (ec) return Status::InvalidArgument("body", "malformed JSON: " + ec.message());
  if (!v.is_object()) return Status::InvalidArgument("body", "a JSON object is required");
  return std::move(v.as_object());
}

}  // namespace parcours::http
