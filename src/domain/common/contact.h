// Phone numbers and e-mail addresses as people type them: the one
// normaliser and the one validator of the tree (directory imports and hand
// edits, recontact requests).
//
// Pure, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parcours::domain {

// Normalises a phone number; spaces, dots, dashes and parentheses are
// dropped:
//   French numbers        "06 12 34 56 78", "+33 6 12…", "0033 6 12…" -> "0612345678"
//   French overseas       "+596 696 12 34 56" -> "0696123456" (also +590 +594 +262 +508 +269)
//   other countries       "+44 20 7946 0000"  -> "+442079460000" (8 to 15 digits)
//   short service numbers "15", "3114", "116117" (2 to 6 digits, not starting with 0)
// nullopt for anything else (letters, a misplaced "+", wrong length).
std::optional<std::string> NormalisePhone(std::string_view phone);

// True for a short service number (15, 112, 3114) as NormalisePhone returns
// it: a number to call, never a person's own number.
bool IsShortNumber(std::string_view normalised);

// A plausible e-mail address: one "@", a dotted domain, at most 254
// characters, no space, control character or mail-header punctuation
// (, ; < > ( ) [ ] \ ").
bool IsEmail(std::string_view s);

}  // namespace parcours::domain
