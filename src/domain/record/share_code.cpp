#include "domain/record/share_code.h"

#include <cctype>

namespace parcours::domain {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string Grouped(const std::string& symbols) {
  return symbols.substr(0, 5) + "-" + symbols.substr(5);
}

}  // namespace

std::string ShareCodeFromBytes(std::string_view bytes) {
  std::string out;
  int bit = 0;
  for (int i = 0; i < kShareCodeSymbols; ++i) {
    int v = 0;
    for (int k = 0; k < 5; ++k, ++bit) {
      const auto byte = static_cast<unsigned char>(bytes[static_cast<std::size_t>(bit / 8)]);
      v = (v << 1) | ((byte >> (7 - bit % 8)) & 1);
    }
    out += kAlphabet[v];
  }
  return Grouped(out);
}

std::optional<std::string> NormaliseShareCode(std::string_view typed) {
  std::string symbols;
  for (char c : typed) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    bool known = false;
    for (const char* a = kAlphabet; *a; ++a) known = known || *a == c;
    if (!known) return std::nullopt;
    symbols += c;
    if (symbols.size() > static_cast<std::size_t>(kShareCodeSymbols)) return std::nullopt;
  }
  if (symbols.size() != static_cast<std::size_t>(kShareCodeSymbols)) return std::nullopt;
  return Grouped(symbols);
}

}  // namespace parcours::domain
