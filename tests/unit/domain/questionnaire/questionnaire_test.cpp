#include "domain/questionnaire/questionnaire.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "../support.h"

namespace parcours::domain {
namespace {

using testing::ReadProjectFile;

Questionnaire Load(const std::string& lang) {
  auto q = Questionnaire::Parse(ReadProjectFile("data/questionnaires/epds." + lang + ".json"));
  EXPECT_TRUE(q.ok()) << q.status().message();
  return std::move(*q);
}

// Independent formula (Cox et al. 1987): items 1, 2, 4 are scored by the
// position of the answer; the others in reverse.
int IndependentTotal(const std::vector<int>& a) {
  int total = 0;
  for (int i = 0; i < 10; ++i) {
    const int pos = a[static_cast<std::size_t>(i)];
    total += (i == 0 || i == 1 || i == 3) ? pos : 3 - pos;
  }
  return total;
}

TEST(Questionnaire, ExhaustiveScoringOfAllAnswerVectorsMatchesAnIndependentFormula) {
  for (const char* lang : {"fr", "en"}) {
    Questionnaire q = Load(lang);
    std::vector<int> a(10, 0);
    Answers chosen(10);
    long long checked = 0;
    for (int code = 0; code < (1 << 20); ++code) {
      for (int i = 0; i < 10; ++i) {
        a[static_cast<std::size_t>(i)] = (code >> (2 * i)) & 3;
        chosen[static_cast<std::size_t>(i)] = a[static_cast<std::size_t>(i)];
      }
      auto s = q.Score(chosen);
      ASSERT_TRUE(s.ok());
      ASSERT_EQ(s->total, IndependentTotal(a)) << lang << " vector " << code;
      ASSERT_EQ(s->item10_positive, a[9] != 3) << lang << " vector " << code;
      ++checked;
    }
    EXPECT_EQ(checked, 1048576);
  }
}

TEST(Questionnaire, FrenchAndEnglishHaveTenItemsOfFourOptionsAndTheCitation) {
  for (const char* lang : {"fr", "en"}) {
    Questionnaire q = Load(lang);
    EXPECT_EQ(q.size(), 10u);
    EXPECT_EQ(q.max_score(), 30);
    EXPECT_NE(q.citation().find("Cox"), std::string::npos);
    EXPECT_NE(q.copyright().find("Royal College of Psychiatrists"), std::string::npos);
    for (const auto& item : q.Items(Respondent::kMother)) EXPECT_EQ(item.options.size(), 4u);
  }
  EXPECT_NE(Load("fr").citation().find("Guedeney"), std::string::npos);
}

TEST(Questionnaire, FrenchWordingAgreesWithTheRespondent) {
  Questionnaire q = Load("fr");
  EXPECT_EQ(q.Items(Respondent::kMother)[2].text,
            "Je me suis reprochée, sans raison, d’être responsable quand les choses allaient mal");
  EXPECT_EQ(q.Items(Respondent::kFather)[2].text,
            "Je me suis reproché, sans raison, d’être responsable quand les choses allaient mal");
  EXPECT_EQ(
      q.Items(Respondent::kCoparent)[2].text,
      "Je me suis reproché(e), sans raison, d’être responsable quand les choses allaient mal");
  // Neutral items are the same for everyone.
  EXPECT_EQ(q.Items(Respondent::kFather)[0].text, q.Items(Respondent::kMother)[0].text);
  EXPECT_NE(q.Instructions(Respondent::kFather, Period::kPostnatal).find("senti "),
            std::string::npos);
  EXPECT_NE(q.Instructions(Respondent::kMother, Period::kPrenatal).find("attendez"),
            std::string::npos);
  // No feminine-only agreement left in the father's items.
  for (const auto& item : q.Items(Respondent::kFather)) {
    EXPECT_EQ(item.text.find("sentie"), std::string::npos) << item.text;
    for (const auto& o : item.options) EXPECT_EQ(o.find("sentie"), std::string::npos) << o;
  }
}

TEST(Questionnaire, InvalidAnswersNameTheField) {
  Questionnaire q = Load("en");
  auto few = q.Score({0, 1, 2});
  ASSERT_FALSE(few.ok());
  EXPECT_EQ(few.status().field(), "answers");
  auto out = q.Score({0, 0, 0, 0, 4, 0, 0, 0, 0, 0});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().field(), "answers[4]");
  auto neg = q.Score({0, 0, 0, 0, 0, 0, 0, 0, 0, -1});
  ASSERT_FALSE(neg.ok());
  EXPECT_EQ(neg.status().field(), "answers[9]");
  // Every item at fault at once, in order, with its reason.
  auto many = q.Score({0, std::nullopt, 0, 7, 0, 0, 0, 0, 0, std::nullopt});
  ASSERT_FALSE(many.ok());
  const std::vector<FieldError> expected = {
      {"answers[1]", "no option chosen", "missing"},
      {"answers[3]", "must be an option index from 0 to 3", "range"},
      {"answers[9]", "no option chosen", "missing"}};
  EXPECT_EQ(many.status().field_errors(), expected);
  EXPECT_EQ(many.status().field(), "answers[1]");
}

TEST(Questionnaire, RefusesADataFileWhoseScoringDiffersFromThePublishedEpds) {
  auto doc = boost::json::parse(ReadProjectFile("data/questionnaires/epds.en.json"));
  doc.as_object()["items"].as_array()[2].as_object()["scores"] = boost::json::array{0, 1, 2, 3};
  auto q = Questionnaire::Parse(boost::json::serialize(doc));
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().field(), "items[2].scores");
}

TEST(Questionnaire, RefusesMalformedFiles) {
  EXPECT_FALSE(Questionnaire::Parse("").ok());
  EXPECT_FALSE(Questionnaire::Parse("[]").ok());
  EXPECT_FALSE(Questionnaire::Parse(std::string(100000, '[')).ok());
  auto doc = boost::json::parse(ReadProjectFile("data/questionnaires/epds.fr.json"));
  doc.as_object().erase("citation");
  auto q = Questionnaire::Parse(boost::json::serialize(doc));
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().field(), "citation");
}

}  // namespace
}  // namespace parcours::domain
