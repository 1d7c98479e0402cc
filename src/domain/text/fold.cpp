#include "domain/text/fold.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <cstdint>

#include "domain/text/encoding.h"

namespace parcours::domain {
namespace {

// Accumulates tokens separated by single spaces.
class KeyWriter {
 public:
  explicit KeyWriter(std::string* out) : out_(out) {}
  void Separator() { pending_space_ = true; }
  void Ascii(char c) {
    Open();
    out_->push_back(c);
  }
  void CodePoint(UChar32 c) {
    Open();
    char buf[U8_MAX_LENGTH];
    std::int32_t len = 0;
    UBool error = false;
    U8_APPEND(buf, len, U8_MAX_LENGTH, c, error);
    if (!error) out_->append(buf, static_cast<std::size_t>(len));
  }

 private:
  void Open() {
    if (pending_space_ && !out_->empty()) out_->push_back(' ');
    pending_space_ = false;
  }
  std::string* out_;
  bool pending_space_ = false;
};

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// One code point after decomposition: drop marks, spell ligatures, fold.
void EmitFolded(UChar32 c, KeyWriter* w) {
  if (c < 0x80) {
    const char a = static_cast<char>(c);
    if (IsAsciiAlnum(a)) {
      w->Ascii(AsciiLower(a));
    } else {
      w->Separator();
    }
    return;
  }
  if (u_charType(c) == U_NON_SPACING_MARK || u_charType(c) == U_ENCLOSING_MARK ||
      u_charType(c) == U_COMBINING_SPACING_MARK) {
    return;  // accents: part of the letter before them
  }
  switch (c) {
    case 0x0152:  // Œ
    case 0x0153:  // œ
      w->Ascii('o');
      w->Ascii('e');
      return;
    case 0x00C6:  // Æ
    case 0x00E6:  // æ
      w->Ascii('a');
      w->Ascii('e');
      return;
    case 0x00DF:  // ß
    case 0x1E9E:  // ẞ
      w->Ascii('s');
      w->Ascii('s');
      return;
    default: break;
  }
  const UChar32 folded = u_foldCase(c, U_FOLD_CASE_DEFAULT);
  if (!u_isalnum(folded)) {
    w->Separator();
    return;
  }
  if (folded < 0x80) {
    w->Ascii(static_cast<char>(folded));
  } else {
    w->CodePoint(folded);
  }
}

void FoldNonAscii(std::string_view in, KeyWriter* w) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
  if (U_FAILURE(status)) nfkd = nullptr;
  icu::UnicodeString decomposition;
  const auto* s = reinterpret_cast<const std::uint8_t*>(in.data());
  const auto length = static_cast<std::int32_t>(in.size());
  std::int32_t i = 0;
  while (i < length) {
    UChar32 c = 0;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      w->Separator();
      continue;
    }
    if (c < 0x80) {
      EmitFolded(c, w);
      continue;
    }
    if (nfkd != nullptr && nfkd->getDecomposition(c, decomposition)) {
      const std::int32_t n = decomposition.length();
      std::int32_t k = 0;
      while (k < n) {
        UChar32 d = 0;
        U16_NEXT(decomposition.getBuffer(), k, n, d);
        EmitFolded(d, w);
      }
    } else {
      EmitFolded(c, w);
    }
  }
}

}  // namespace

void FoldForSearch(std::string_view utf8, std::string* out) {
  out->clear();
  out->reserve(utf8.size());
  KeyWriter w(out);
  if (IsAscii(utf8)) {
    for (char c : utf8) {
      if (IsAsciiAlnum(c)) {
        w.Ascii(AsciiLower(c));
      } else {
        w.Separator();
      }
    }
    return;
  }
  FoldNonAscii(utf8, &w);
}

std::string FoldForSearch(std::string_view utf8) {
  std::string out;
  FoldForSearch(utf8, &out);
  return out;
}

std::string FoldPlaceName(std::string_view utf8) {
  const std::string key = FoldForSearch(utf8);
  std::string out;
  out.reserve(key.size() + 8);
  std::string_view rest(key);
  while (!rest.empty()) {
    const std::size_t space = rest.find(' ');
    const std::string_view word = rest.substr(0, space);
    if (!out.empty()) out.push_back(' ');
    if (word == "st") {
      out.append("saint");
    } else if (word == "ste") {
      out.append("sainte");
    } else {
      out.append(word);
    }
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return out;
}

}  // namespace parcours::domain
