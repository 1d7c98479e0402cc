// Parsing of HTML form bodies (application/x-www-form-urlencoded) and query
// strings, percent-decoding by Boost.URL. Bounded: at most kMaxFields
// fields; a malformed body is an InvalidArgument on field "body".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace parcours::http {

constexpr std::size_t kMaxFormFields = 200;

class FormData {
 public:
  // First value of a field, or nullopt.
  std::optional<std::string> Get(std::string_view name) const;
  // First value or "" when absent.
  std::string Value(std::string_view name) const { return Get(name).value_or(""); }
  // Every value of a repeated field (checkboxes), in order.
  std::vector<std::string> All(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  void Add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

Result<FormData> ParseForm(std::string_view body);

}  // namespace parcours::http
