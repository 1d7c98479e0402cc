#include "http/json_body.h"

#include <boost/json.hpp>

#include "domain/text/encoding.h"

namespace parcours::http {
namespace {

// The first string (key or value) that is not valid UTF-8, as a field path
// ("name", "slots[1]", "a.b"); empty when all are valid.
std::string FirstInvalidUtf8(const boost::json::value& v, const std::string& path) {
  if (v.is_string()) {
    return domain::IsValidUtf8(v.as_string()) ? std::string() : (path.empty() ? "body" : path);
  }
  if (v.is_array()) {
    const auto& a = v.as_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      auto bad = FirstInvalidUtf8(a[i], path + "[" + std::to_string(i) + "]");
      if (!bad.empty()) return bad;
    }
  }
  if (v.is_object()) {
    for (const auto& [k, x] : v.as_object()) {
      if (!domain::IsValidUtf8(k)) return path.empty() ? "body" : path;
      auto bad = FirstInvalidUtf8(x, path.empty() ? std::string(k) : path + "." + std::string(k));
      if (!bad.empty()) return bad;
    }
  }
  return {};
}

}  // namespace

Result<boost::json::object> ParseJsonObject(std::string_view body, int max_depth) {
  if (body.empty()) return Status::InvalidArgument("body", "a JSON object is required");
  boost::json::parse_options opt;
  opt.max_depth = static_cast<std::size_t>(max_depth);
  // Checked below, so the error names the field.
  opt.allow_invalid_utf8 = true;
  boost::system::error_code ec;
  boost::json::monotonic_resource mr;
  boost::json::value v = boost::json::parse(body, ec, {}, opt);
  if (ec == boost::json::error::too_deep) {
    return Status::InvalidArgument(
        "body", "JSON nested deeper than " + std::to_string(max_depth) + " levels");
  }
  if (ec) return Status::InvalidArgument("body", "malformed JSON: " + ec.message());
  if (!v.is_object()) return Status::InvalidArgument("body", "a JSON object is required");
  if (auto bad = FirstInvalidUtf8(v, ""); !bad.empty()) {
    return Status::InvalidArgument(bad, "not valid UTF-8 text");
  }
  return std::move(v.as_object());
}

}  // namespace parcours::http
