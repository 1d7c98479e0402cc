#include "domain/text/field_splitter.h"

#include <cstring>

namespace parcours::domain {

void SplitFields(std::string_view line, char separator, std::vector<std::string_view>* fields) {
  fields->clear();
  const char* p = line.data();
  const char* end = p + line.size();
  while (true) {
    const void* hit = std::memchr(p, separator, static_cast<std::size_t>(end - p));
    if (hit == nullptr) {
      fields->emplace_back(p, static_cast<std::size_t>(end - p));
      return;
    }
    const char* sep = static_cast<const char*>(hit);
    fields->emplace_back(p, static_cast<std::size_t>(sep - p));
    p = sep + 1;
  }
}

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool QuotedFieldSplitter::Split(std::string_view line, char separator) {
  if (line.find('"') == std::string_view::npos) {
    SplitFields(line, separator, &fields_);
    return true;
  }
  fields_.clear();
  // Unquote in place in a private copy: the output never outgrows the input,
  // so views taken at the end stay valid.
  buffer_.assign(line.data(), line.size());
  spans_.clear();
  std::size_t r = 0;
  std::size_t w = 0;
  std::size_t field_start = 0;
  bool quoted = false;
  bool at_field_start = true;
  const std::size_t n = buffer_.size();
  while (r < n) {
    const char c = buffer_[r];
    if (quoted) {
      if (c == '"') {
        if (r + 1 < n && buffer_[r + 1] == '"') {
          buffer_[w++] = '"';
          r += 2;
        } else {
          quoted = false;
          ++r;
        }
      } else {
        buffer_[w++] = c;
        ++r;
      }
      continue;
    }
    if (c == separator) {
      spans_.emplace_back(field_start, w - field_start);
      ++r;
      field_start = w;
      at_field_start = true;
      continue;
    }
    if (c == '"' && at_field_start) {
      quoted = true;
      at_field_start = false;
      ++r;
      continue;
    }
    at_field_start = false;
    buffer_[w++] = c;
    ++r;
  }
  if (quoted) {
    fields_.clear();
    return false;
  }
  spans_.emplace_back(field_start, w - field_start);
  const std::string_view base(buffer_);
  for (const auto& [start, len] : spans_) fields_.push_back(base.substr(start, len));
  return true;
}

}  // namespace parcours::domain
