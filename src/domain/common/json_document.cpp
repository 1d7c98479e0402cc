#include "domain/common/json_document.h"

#include <boost/json.hpp>

namespace parcours::domain {

Result<boost::json::object> ParseJsonDocument(std::string_view text, const std::string& what) {
  boost::json::parse_options opts;
  opts.max_depth = 16;
  std::error_code ec;
  boost::json::value root = boost::json::parse(text, ec, {}, opts);
  if (ec) return Status::InvalidArgument("$", what + ": invalid JSON: " + ec.message());
  if (!root.is_object()) return Status::InvalidArgument("$", what + ": must be a JSON object");
  return std::move(root.as_object());
}

}  // namespace parcours::domain
