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

Result<boost::json::object> ParseStoredObject(std::string_view text, const char* corrupt) {
  std::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return Status::Internal(corrupt);
  return std::move(v.as_object());
}

std::string StringOr(const boost::json::object& o, std::string_view key) {
  const auto* x = o.if_contains(key);
  return x != nullptr && x->is_string() ? std::string(x->as_string()) : std::string();
}

}  // namespace parcours::domain
