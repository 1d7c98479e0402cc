// Splitting one line of a delimited file into fields without allocating per
// field: fields are string_views into the line (or into the splitter's own
// copy when quotes had to be removed).
//
// Not thread-safe: a splitter reuses its buffers from line to line; use one
// per parser.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parcours::domain {

// Splits on every `separator`; no quoting (the RPPS format). "a||b" gives
// three fields, "" gives one empty field.
void SplitFields(std::string_view line, char separator, std::vector<std::string_view>* fields);

// Trims ASCII spaces and tabs on both sides.
std::string_view TrimAscii(std::string_view s);

// RFC 4180-style fields (FINESS, communes.csv): a field may be enclosed in
// double quotes, inside which the separator is literal and "" is one quote.
// Text after a closing quote is kept as is (lenient, as the extracts are not
// always strict); an opening quote never closed on the line is an error.
class QuotedFieldSplitter {
 public:
  // Returns false (fields() then empty) on an unterminated quoted field.
  bool Split(std::string_view line, char separator);
  const std::vector<std::string_view>& fields() const { return fields_; }

 private:
  std::string buffer_;
  std::vector<std::pair<std::size_t, std::size_t>> spans_;  // offset, length
  std::vector<std::string_view> fields_;
};

}  // namespace parcours::domain
