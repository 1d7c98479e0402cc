#include "http/form.h"

#include <boost/url/parse_query.hpp>

namespace parcours::http {

std::optional<std::string> FormData::Get(std::string_view name) const {
  for (const auto& [k, v] : fields_) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::vector<std::string> FormData::All(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields_) {
    if (k == name) out.push_back(v);
  }
  return out;
}

Result<FormData> ParseForm(std::string_view body) {
  FormData form;
  if (body.empty()) return form;
  auto params = boost::urls::parse_query(body);
  if (!params) return Status::InvalidArgument("body", "malformed form data");
  for (auto p : *params) {
    if (form.fields().size() >= kMaxFormFields) {
      return Status::InvalidArgument("body", "too many form fields");
    }
    // HTML forms encode spaces as '+'.
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;
    std::string key, value;
    p.key.decode(opts, boost::urls::string_token::assign_to(key));
    if (p.has_value) p.value.decode(opts, boost::urls::string_token::assign_to(value));
    form.Add(std::move(key), std::move(value));
  }
  return form;
}

}  // namespace parcours::http
