#include "domain/common/contact.h"

#include <algorithm>

namespace parcours::domain {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<std::string> NormalisePhone(std::string_view phone) {
  std::string d;
  for (char c : phone) {
    if (c == ' ' || c == '.' || c == '-' || c == '(' || c == ')') continue;
    d += c;
  }
  // Overseas: +596 596 .. -> 0596 .., +596 696 .. -> 0696 ..
  const bool four = d.starts_with("0033") || d.starts_with("+596") || d.starts_with("+590") ||
                    d.starts_with("+594") || d.starts_with("+262") || d.starts_with("+508") ||
                    d.starts_with("+269");
  // Keep the last prefix character, turned into the leading 0.
  if (four) {
    d.erase(0, 3);
    d[0] = '0';
  } else if (d.starts_with("+33")) {
    d.erase(0, 2);
    d[0] = '0';
  } else if (d.starts_with("+")) {
    const std::string_view digits = std::string_view(d).substr(1);
    if (!AllDigits(digits) || digits.size() < 8 || digits.size() > 15) return std::nullopt;
    return d;
  }
  if (!AllDigits(d)) return std::nullopt;
  if (d.size() == 10 && d[0] == '0' && d[1] != '0') return d;
  if (d.size() >= 2 && d.size() <= 6 && d[0] != '0') return d;  // 15, 112, 3114, 116117
  return std::nullopt;
}

bool IsShortNumber(std::string_view normalised) {
  return normalised.size() <= 6 && AllDigits(normalised);
}

bool IsEmail(std::string_view s) {
  if (s.size() < 3 || s.size() > 254) return false;
  if (std::any_of(s.begin(), s.end(),
                  [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; })) {
    return false;
  }
  const auto at = s.find('@');
  if (at == 0 || at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = s.substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.') {
    return false;
  }
  return s.find_first_of(",;<>()[]\\\"") == std::string_view::npos;
}

}  // namespace parcours::domain
