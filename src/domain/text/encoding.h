// Character encodings of the open-data extracts: RPPS files come as UTF-8 or
// Latin-1, FINESS as Latin-1 (Windows-1252 tolerated). Everything past the
// reader is UTF-8.
//
// Pure functions, no allocation except into the caller's buffers; safe to
// call from any thread.
#pragma once

#include <string>
#include <string_view>

namespace parcours::domain {

enum class TextEncoding {
  kAscii,   // only 7-bit bytes seen: either encoding would read it the same
  kUtf8,    // valid UTF-8 with at least one multi-byte sequence
  kLatin1,  // some byte sequence is not UTF-8: read as Windows-1252
};

std::string_view ToString(TextEncoding encoding);

bool IsAscii(std::string_view bytes);

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view bytes);

// Detects the encoding of a sample (e.g. the first 64 KiB of a file). A
// multi-byte sequence cut by the end of the sample is not held against UTF-8.
TextEncoding DetectEncoding(std::string_view sample);

// Appends `latin1` to *out as UTF-8, reading 0x80-0x9F as Windows-1252
// (€, ’, œ, …); the five bytes Windows-1252 leaves undefined map to the C1
// controls of the same value, as ISO-8859-1 does.
void AppendLatin1AsUtf8(std::string_view latin1, std::string* out);

// Returns `line` as UTF-8. A line that is valid UTF-8 (ASCII included) comes
// back as is, without copy, whatever the file's detected encoding: French
// Latin-1 text is virtually never valid UTF-8 (it would take "Ã©"-like
// pairs), while extracts do mix UTF-8 values into Latin-1 files. Other lines
// are converted from Windows-1252 into *scratch, which the returned view then
// points into (valid until *scratch changes).
std::string_view DecodeLine(std::string_view line, std::string* scratch);

}  // namespace parcours::domain
