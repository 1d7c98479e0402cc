// Search keys: accent- and case-insensitive folding of French names, so
// "Hénin-Beaumont", "HENIN BEAUMONT" and "henin  beaumont" give one key.
//
// Folding (ICU: NFKD decomposition, combining marks dropped, Unicode case
// folding):
//   - letters lose accents and case: "É" -> "e", "Ÿ" -> "y";
//   - ligatures are spelt out: "œ" -> "oe", "æ" -> "ae", "ß" -> "ss",
//     "ﬁ" -> "fi";
//   - every run of characters that are not letters or digits (spaces,
//     hyphens, apostrophes ' and ’, dots, punctuation) becomes one space;
//     the key has no leading or trailing space.
// Invalid UTF-8 bytes count as separators. Pure ASCII input takes a fast
// path that never calls ICU.
//
// Thread-safe: no shared mutable state (ICU's normaliser singletons are
// immutable). Never throws.
#pragma once

#include <string>
#include <string_view>

namespace parcours::domain {

std::string FoldForSearch(std::string_view utf8);
// Same, into *out (cleared first) so a caller can reuse its buffer.
void FoldForSearch(std::string_view utf8, std::string* out);

// FoldForSearch plus the French abbreviations of place names as whole words:
// "st" -> "saint", "ste" -> "sainte" ("ST DENIS" == "Saint-Denis").
std::string FoldPlaceName(std::string_view utf8);

}  // namespace parcours::domain
