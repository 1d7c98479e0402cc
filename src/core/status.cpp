#include "core/status.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

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

Status Status::InvalidArguments(std::vector<FieldError> errors) {
  if (errors.empty()) return Status::Internal("InvalidArguments called without an error");
  Status st = InvalidArgument(errors.front().field, errors.front().message);
  if (errors.size() > 1) {
    st.message_ += " (and " + std::to_string(errors.size() - 1) + " more)";
  }
  st.errors_ = std::move(errors);
  return st;
}

std::vector<FieldError> Status::field_errors() const {
  if (!errors_.empty()) return errors_;
  if (field_.empty()) return {};
  return {FieldError{field_, message_}};
}

Status FieldErrors::ToStatus() const {
  if (list_.empty()) return Status::Ok();
  return Status::InvalidArguments(list_);
}

Status InvalidInOrder(std::vector<FieldError> errors,
                      std::initializer_list<std::string_view> order) {
  if (errors.empty()) return Status::Ok();
  // (position of the field in `order`, index of "field[i]" or -1)
  auto rank = [&](const FieldError& e) {
    const std::size_t bracket = e.field.find('[');
    const std::string_view base = std::string_view(e.field).substr(0, bracket);
    const auto position = std::find(order.begin(), order.end(), base) - order.begin();
    long index = -1;
    if (bracket != std::string::npos)
      index = std::strtol(e.field.c_str() + bracket + 1, nullptr, 10);
    return std::pair(position, index);
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const FieldError& a, const FieldError& b) { return rank(a) < rank(b); });
  return Status::InvalidArguments(std::move(errors));
}

std::string Status::ToString() const {
  std::string s = StatusCodeName(code_);
  if (!field_.empty()) s += " [" + field_ + "]";
  if (!message_.empty()) s += ": " + message_;
  return s;
}

}  // namespace parcours
