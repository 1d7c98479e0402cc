// A questionnaire as shipped in data/questionnaires/<instrument>.<lang>.json:
// items, options in display order, the score of each option, instructions,
// citation and copyright. The text is data (the EPDS is © RCPsych and is
// used verbatim); only gender agreement varies with the respondent.
//
// Scoring is done here and nowhere else: Score() sums the scores the file
// gives each chosen option. For the EPDS, Parse() refuses a file whose
// scoring differs from the published one (items 1, 2, 4 score 0→3 down the
// page, items 3 and 5–10 3→0), so a wrong data file cannot mis-score.
//
// Immutable after Parse(): safe to share between threads.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/common/types.h"

namespace parcours::domain {

// Wording variant for gender agreement (French items are feminine-only in
// the validated text).
enum class Wording { kFeminine, kMasculine, kInclusive };

// A text with its gender variants; Get() falls back to the feminine text.
class VariantText {
 public:
  VariantText() = default;
  explicit VariantText(std::string feminine) { texts_[0] = std::move(feminine); }
  void Set(Wording w, std::string text) { texts_[static_cast<int>(w)] = std::move(text); }
  const std::string& Get(Wording w) const;

 private:
  std::array<std::string, 3> texts_;
};

struct QuestionnaireItem {
  VariantText text;
  std::vector<VariantText> options;  // display order
  std::vector<int> scores;           // score of each option, same order
};

// One item as shown to a respondent.
struct ShownItem {
  int number = 0;  // 1-based
  std::string text;
  std::vector<std::string> options;
};

// The option chosen (0-based index) for each item, in display order;
// nullopt for an item left unanswered.
using Answers = std::vector<std::optional<int>>;

struct ScoredAnswers {
  int total = 0;
  std::vector<int> item_scores;
  bool item10_positive = false;  // EPDS self-harm item scored > 0
};

class Questionnaire {
 public:
  // Parses and validates a questionnaire file. Errors name the JSON path.
  static Result<Questionnaire> Parse(std::string_view json);

  const std::string& instrument() const { return instrument_; }
  const std::string& language() const { return language_; }
  const std::string& title() const { return title_; }
  const std::string& citation() const { return citation_; }
  const std::string& copyright() const { return copyright_; }
  const std::string& loinc() const { return loinc_; }
  std::size_t size() const { return items_.size(); }
  int max_score() const { return max_score_; }

  Wording WordingFor(Respondent r) const;
  std::string Instructions(Respondent r, Period p) const;
  std::vector<ShownItem> Items(Respondent r) const;

  // InvalidArgument with field "answers" when the count differs from size(),
  // else every item at fault at once: "answers[i]" with reason "missing"
  // (unanswered) or "range" (no such option).
  Result<ScoredAnswers> Score(const Answers& answers) const;

 private:
  std::string instrument_, language_, title_, citation_, copyright_, loinc_;
  std::map<Respondent, Wording> wording_;
  std::map<Period, VariantText> instructions_;
  std::vector<QuestionnaireItem> items_;
  int max_score_ = 0;
};

// The published EPDS scoring of item i (0-based) for option o (0-based),
// the reference Parse() checks data files against.
int EpdsPublishedScore(int item, int option);

}  // namespace parcours::domain
