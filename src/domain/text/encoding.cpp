#include "domain/text/encoding.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace parcours::domain {
namespace {

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// Windows-1252 code points for bytes 0x80-0x9F (undefined ones keep their
// C1 value).
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

// Length of the valid UTF-8 sequence at bytes[i], 0 if invalid, -1 if the
// sequence is a valid prefix cut by the end of the input.
int Utf8SequenceLength(std::string_view bytes, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(bytes[i]);
  if (b0 < 0x80) return 1;
  int len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;  // no overlong
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  for (int k = 1; k < len; ++k) {
    if (i + k >= bytes.size()) return -1;
    const auto b = static_cast<unsigned char>(bytes[i + k]);
    const unsigned char min = (k == 1) ? lo : 0x80;
    const unsigned char max = (k == 1) ? hi : 0xBF;
    if (b < min || b > max) return 0;
  }
  return len;
}

}  // namespace

std::string_view ToString(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kAscii: return "ascii";
    case TextEncoding::kUtf8: return "utf-8";
    case TextEncoding::kLatin1: return "latin-1";
  }
  return "";
}

bool IsAscii(std::string_view bytes) {
  std::size_t i = 0;
  const std::size_t n = bytes.size();
  for (; i + 8 <= n; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    if (word & kHighBits) return false;
  }
  for (; i < n; ++i) {
    if (static_cast<unsigned char>(bytes[i]) >= 0x80) return false;
  }
  return true;
}

bool IsValidUtf8(std::string_view bytes) {
  std::size_t i = 0;
  const std::size_t n = bytes.size();
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, bytes.data() + i, 8);
      if ((word & kHighBits) == 0) {
        i += 8;
        continue;
      }
    }
    const int len = Utf8SequenceLength(bytes, i);
    if (len <= 0) return false;
    i += static_cast<std::size_t>(len);
  }
  return true;
}

TextEncoding DetectEncoding(std::string_view sample) {
  bool multi_byte = false;
  std::size_t i = 0;
  while (i < sample.size()) {
    const int len = Utf8SequenceLength(sample, i);
    if (len == 0) return TextEncoding::kLatin1;
    if (len < 0) break;  // cut by the end of the sample
    if (len > 1) multi_byte = true;
    i += static_cast<std::size_t>(len);
  }
  return multi_byte ? TextEncoding::kUtf8 : TextEncoding::kAscii;
}

void AppendLatin1AsUtf8(std::string_view latin1, std::string* out) {
  // Worst case 3 bytes per input byte (€); written through a raw pointer, ASCII
  // runs copied eight bytes at a time, then trimmed.
  const std::size_t old_size = out->size();
  out->resize(old_size + latin1.size() * 3);
  char* w = out->data() + old_size;
  const char* r = latin1.data();
  const char* const end = r + latin1.size();
  while (r < end) {
    if (end - r >= 8) {
      std::uint64_t word;
      std::memcpy(&word, r, 8);
      if ((word & kHighBits) == 0) {
        std::memcpy(w, r, 8);
        w += 8;
        r += 8;
        continue;
      }
    }
    const auto b = static_cast<unsigned char>(*r++);
    if (b < 0x80) {
      *w++ = static_cast<char>(b);
      continue;
    }
    const char32_t cp = b < 0xA0 ? kCp1252High[b - 0x80] : b;
    if (cp < 0x800) {
      *w++ = static_cast<char>(0xC0 | (cp >> 6));
      *w++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *w++ = static_cast<char>(0xE0 | (cp >> 12));
      *w++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *w++ = static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  out->resize(static_cast<std::size_t>(w - out->data()));
}

std::string_view DecodeLine(std::string_view line, std::string* scratch) {
  if (IsValidUtf8(line)) return line;
  scratch->clear();
  AppendLatin1AsUtf8(line, scratch);
  return *scratch;
}

}  // namespace parcours::domain
