// Status and Result<T>: expected failures as values (STYLE.md habit 4).
//
// A Status carries a named code, a human message (English, for logs and the
// API) and, when the failure is about one input, the name of that field. The
// HTTP layer alone maps codes to statuses (src/http/error_map.cpp).
//
// Bad input is reported whole: a kInvalidArgument Status may carry the list
// of every field at fault (FieldErrors), so a form or an API client learns
// all its mistakes at once. field() and message() are then those of the
// first error of the list, in the order the caller checked them.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace parcours {

enum class StatusCode {
  kOk,
  kInvalidArgument,  // bad input: field + reason
  kNotFound,
  kConflict,   // uniqueness or state-machine violation
  kForbidden,  // authenticated but not allowed (role / territory)
  kUnauthenticated,
  kPayloadTooLarge,
  kTooManyRequests,  // throttled (login lockout): retry later
  kUnavailable,      // a dependency (database, gateway) is down
  kInternal,         // a bug or an unexpected backend error
};

const char* StatusCodeName(StatusCode code);

class Status;

// One input at fault. `reason` is an optional machine-readable cause for
// callers that word the error themselves (pages pick a catalog text by field
// and reason); `message` is English, for logs and the API.
struct FieldError {
  std::string field;  // API name: "respondent", "answers[4]"
  std::string message;
  std::string reason = {};

  bool operator==(const FieldError&) const = default;
};

// Collects field errors in the order fields are checked.
class FieldErrors {
 public:
  void Add(std::string field, std::string message, std::string reason = {}) {
    list_.push_back(FieldError{std::move(field), std::move(message), std::move(reason)});
  }
  bool Has(std::string_view field) const {
    for (const auto& e : list_) {
      if (e.field == field) return true;
    }
    return false;
  }
  bool empty() const { return list_.empty(); }
  const std::vector<FieldError>& list() const { return list_; }
  // Ok when empty, else one kInvalidArgument Status carrying every error.
  Status ToStatus() const;

 private:
  std::vector<FieldError> list_;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string field, std::string message) {
    return {StatusCode::kInvalidArgument, std::move(message), std::move(field)};
  }
  // kInvalidArgument naming every field at fault; `errors` must not be empty.
  static Status InvalidArguments(std::vector<FieldError> errors);
  static Status NotFound(std::string message) {
    return {StatusCode::kNotFound, std::move(message)};
  }
  static Status Conflict(std::string message) {
    return {StatusCode::kConflict, std::move(message)};
  }
  static Status Forbidden(std::string message) {
    return {StatusCode::kForbidden, std::move(message)};
  }
  static Status Unavailable(std::string message) {
    return {StatusCode::kUnavailable, std::move(message)};
  }
  static Status Internal(std::string message) {
    return {StatusCode::kInternal, std::move(message)};
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }
  // Every field at fault: the list given to InvalidArguments(), or the one
  // field of a single-field error; empty when no field is named.
  std::vector<FieldError> field_errors() const;
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
  std::vector<FieldError> errors_;
};

// Ok when `errors` is empty; else kInvalidArgument carrying them, sorted
// (stably) by the position of their field in `order` ("answers[3]" ranks as
// "answers", after "answers[2]"; a field not listed goes last).
Status InvalidInOrder(std::vector<FieldError> errors,
                      std::initializer_list<std::string_view> order);

// Result<T> holds either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace parcours

// Early-return helpers for functions returning Status or Result<T>.
#define PARCOURS_RETURN_IF_ERROR(expr) \
  do {                                 \
    ::parcours::Status _st = (expr);   \
    if (!_st.ok()) return _st;         \
  } while (0)
