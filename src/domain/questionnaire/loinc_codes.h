// LOINC codes of a questionnaire for its FHIR form (data/fhir/<instrument>_loinc.json):
// the panel, and where a cited source gives them, each item's code and its
// answers' LA codes. A code that is not in the file is absent from the FHIR
// output, never made up.
//
// Pure; immutable after Parse, thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace parcours::domain {

struct LoincCoding {
  std::string code;
  std::string display;
};

struct LoincItemCodes {
  std::optional<LoincCoding> item;
  // One per option, display order; nullopt where no LA code is known.
  std::vector<std::optional<LoincCoding>> answers;
};

class LoincCodes {
 public:
  // {"system", "source", "panel": {"code","display"}, "items": {"1": {"code",
  // "display", "answers": [{"code","display"} | null, …]}, …}}. Item keys are
  // 1..item_count; answer lists have options_per_item entries. Codes must be
  // LOINC-shaped (digits-check digit, LA…-n for answers). Errors name the path.
  static Result<LoincCodes> Parse(std::string_view json, int item_count, int options_per_item);

  const std::string& system() const { return system_; }
  const std::string& source() const { return source_; }
  const LoincCoding& panel() const { return panel_; }
  // nullptr when the file gives nothing for item `number` (1-based).
  const LoincItemCodes* Item(int number) const;

 private:
  std::string system_;
  std::string source_;
  LoincCoding panel_;
  std::map<int, LoincItemCodes> items_;
};

// "71354-5": digits, a dash, one check digit (the check digit itself is
// not verified). "LA6568-5" for answers (answer = true).
bool IsLoincCode(std::string_view s, bool answer = false);

}  // namespace parcours::domain
