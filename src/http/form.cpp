#include "http/form.h"

#include <boost/url/parse_query.hpp>
#include <string>

#include "domain/text/encoding.h"

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
  // Boost.URL 1.81's parse_query reads its input up to a NUL (strlen), past
  // the end of the view: parse a NUL-terminated copy, and refuse a NUL
  // inside, which would silently cut the body short.
  if (body.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("body", "form data contains a NUL byte");
  }
  const std::string text(body);
  auto params = boost::urls::parse_query(text);
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
    if (!domain::IsValidUtf8(key)) return Status::InvalidArgument("body", "not valid UTF-8 text");
    if (!domain::IsValidUtf8(value)) return Status::InvalidArgument(key, "not valid UTF-8 text");
    form.Add(std::move(key), std::move(value));
  }
  return form;
}

}  // namespace parcours::http
