#include "domain/questionnaire/questionnaire.h"

#include <boost/json.hpp>

#include "domain/common/json_document.h"

namespace parcours::domain {
namespace {

namespace json = boost::json;

Status Bad(const std::string& path, const std::string& why) {
  return Status::InvalidArgument(path, "questionnaire " + path + ": " + why);
}

std::optional<Wording> ParseWording(std::string_view s) {
  if (s == "feminine") return Wording::kFeminine;
  if (s == "masculine") return Wording::kMasculine;
  if (s == "inclusive") return Wording::kInclusive;
  return std::nullopt;
}

// A string (same for all) or {"feminine", "masculine", "inclusive"}.
Result<VariantText> ParseVariant(const json::value* v, const std::string& path) {
  if (v == nullptr) return Bad(path, "missing");
  if (v->is_string()) {
    if (v->as_string().empty()) return Bad(path, "empty text");
    return VariantText(std::string(v->as_string()));
  }
  if (!v->is_object()) return Bad(path, "must be a string or an object of variants");
  const auto& o = v->as_object();
  const json::value* fem = o.if_contains("feminine");
  if (fem == nullptr || !fem->is_string() || fem->as_string().empty()) {
    return Bad(path + ".feminine", "missing");
  }
  VariantText t(std::string(fem->as_string()));
  for (const auto& [k, val] : o) {
    auto w = ParseWording(k);
    if (!w) return Bad(path + "." + std::string(k), "unknown variant");
    if (!val.is_string() || val.as_string().empty()) {
      return Bad(path + "." + std::string(k), "must be a non-empty string");
    }
    t.Set(*w, std::string(val.as_string()));
  }
  return t;
}

Result<std::string> RequiredString(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string() || v->as_string().empty()) {
    return Bad(key, "missing or not a string");
  }
  return std::string(v->as_string());
}

}  // namespace

const std::string& VariantText::Get(Wording w) const {
  const std::string& t = texts_[static_cast<int>(w)];
  return t.empty() ? texts_[0] : t;
}

int EpdsPublishedScore(int item, int option) {
  // Items 1, 2 and 4 (indices 0, 1, 3) score 0→3 down the page; the others
  // are reversed.
  const bool forward = item == 0 || item == 1 || item == 3;
  return forward ? option : 3 - option;
}

Result<Questionnaire> Questionnaire::Parse(std::string_view text) {
  auto root = ParseJsonDocument(text, "questionnaire");
  if (!root.ok()) return root.status();
  const json::object& o = *root;
  Questionnaire q;
  for (auto [key, field] : {std::pair{"instrument", &q.instrument_},
                            {"language", &q.language_},
                            {"title", &q.title_},
                            {"citation", &q.citation_},
                            {"copyright", &q.copyright_}}) {
    auto s = RequiredString(o, key);
    if (!s.ok()) return s.status();
    *field = std::move(*s);
  }
  if (const json::value* l = o.if_contains("loinc"); l != nullptr && l->is_string()) {
    q.loinc_ = std::string(l->as_string());
  }

  q.wording_ = {{Respondent::kMother, Wording::kFeminine},
                {Respondent::kFather, Wording::kMasculine},
                {Respondent::kCoparent, Wording::kInclusive}};
  if (const json::value* v = o.if_contains("variants"); v != nullptr) {
    if (!v->is_object()) return Bad("variants", "must be an object");
    for (const auto& [k, val] : v->as_object()) {
      auto r = ParseRespondent(k);
      if (!r) return Bad("variants." + std::string(k), "unknown respondent");
      auto w = val.is_string() ? ParseWording(val.as_string()) : std::nullopt;
      if (!w) return Bad("variants." + std::string(k), "unknown wording");
      q.wording_[*r] = *w;
    }
  }

  const json::value* instr = o.if_contains("instructions");
  if (instr == nullptr || !instr->is_object()) return Bad("instructions", "missing");
  for (Period p : {Period::kPrenatal, Period::kPostnatal}) {
    std::string key(ToString(p));
    auto t = ParseVariant(instr->as_object().if_contains(key), "instructions." + key);
    if (!t.ok()) return t.status();
    q.instructions_[p] = std::move(*t);
  }

  const json::value* items = o.if_contains("items");
  if (items == nullptr || !items->is_array() || items->as_array().empty()) {
    return Bad("items", "missing or empty");
  }
  for (std::size_t i = 0; i < items->as_array().size(); ++i) {
    const std::string path = "items[" + std::to_string(i) + "]";
    const json::value& iv = items->as_array()[i];
    if (!iv.is_object()) return Bad(path, "must be an object");
    const auto& io = iv.as_object();
    QuestionnaireItem item;
    auto t = ParseVariant(io.if_contains("text"), path + ".text");
    if (!t.ok()) return t.status();
    item.text = std::move(*t);
    const json::value* opts_v = io.if_contains("options");
    const json::value* scores_v = io.if_contains("scores");
    if (opts_v == nullptr || !opts_v->is_array() || opts_v->as_array().size() < 2) {
      return Bad(path + ".options", "needs at least two options");
    }
    if (scores_v == nullptr || !scores_v->is_array() ||
        scores_v->as_array().size() != opts_v->as_array().size()) {
      return Bad(path + ".scores", "needs one score per option");
    }
    int max_item = 0;
    for (std::size_t k = 0; k < opts_v->as_array().size(); ++k) {
      auto ot = ParseVariant(&opts_v->as_array()[k], path + ".options[" + std::to_string(k) + "]");
      if (!ot.ok()) return ot.status();
      item.options.push_back(std::move(*ot));
      const json::value& sv = scores_v->as_array()[k];
      if (!sv.is_int64() || sv.as_int64() < 0 || sv.as_int64() > 100) {
        return Bad(path + ".scores[" + std::to_string(k) + "]", "must be an integer 0-100");
      }
      item.scores.push_back(static_cast<int>(sv.as_int64()));
      max_item = std::max(max_item, item.scores.back());
    }
    q.max_score_ += max_item;
    q.items_.push_back(std::move(item));
  }

  if (q.instrument_ == "epds") {
    if (q.items_.size() != 10) return Bad("items", "the EPDS has 10 items");
    for (int i = 0; i < 10; ++i) {
      const auto& it = q.items_[static_cast<std::size_t>(i)];
      if (it.scores.size() != 4) {
        return Bad("items[" + std::to_string(i) + "].options", "the EPDS has 4 options per item");
      }
      for (int k = 0; k < 4; ++k) {
        if (it.scores[static_cast<std::size_t>(k)] != EpdsPublishedScore(i, k)) {
          return Bad("items[" + std::to_string(i) + "].scores",
                     "differs from the published EPDS scoring");
        }
      }
    }
  }
  return q;
}

Wording Questionnaire::WordingFor(Respondent r) const {
  auto it = wording_.find(r);
  return it == wording_.end() ? Wording::kFeminine : it->second;
}

std::string Questionnaire::Instructions(Respondent r, Period p) const {
  return instructions_.at(p).Get(WordingFor(r));
}

std::vector<ShownItem> Questionnaire::Items(Respondent r) const {
  const Wording w = WordingFor(r);
  std::vector<ShownItem> out;
  out.reserve(items_.size());
  for (std::size_t i = 0; i < items_.size(); ++i) {
    ShownItem s;
    s.number = static_cast<int>(i) + 1;
    s.text = items_[i].text.Get(w);
    for (const auto& o : items_[i].options) s.options.push_back(o.Get(w));
    out.push_back(std::move(s));
  }
  return out;
}

Result<ScoredAnswers> Questionnaire::Score(const Answers& answers) const {
  if (answers.size() != items_.size()) {
    return Status::InvalidArgument("answers", "expected " + std::to_string(items_.size()) +
                                                  " answers, got " +
                                                  std::to_string(answers.size()));
  }
  FieldErrors errors;
  ScoredAnswers s;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const auto& scores = items_[i].scores;
    const std::string field = "answers[" + std::to_string(i) + "]";
    if (!answers[i]) {
      errors.Add(field, "no option chosen", "missing");
      continue;
    }
    if (*answers[i] < 0 || static_cast<std::size_t>(*answers[i]) >= scores.size()) {
      errors.Add(field, "must be an option index from 0 to " + std::to_string(scores.size() - 1),
                 "range");
      continue;
    }
    const int v = scores[static_cast<std::size_t>(*answers[i])];
    s.item_scores.push_back(v);
    s.total += v;
  }
  if (!errors.empty()) return errors.ToStatus();
  if (instrument_ == "epds") s.item10_positive = s.item_scores[9] > 0;
  return s;
}

}  // namespace parcours::domain
