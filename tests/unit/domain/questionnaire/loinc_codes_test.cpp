#include "domain/questionnaire/loinc_codes.h"

#include <gtest/gtest.h>

#include "../support.h"

namespace parcours::domain {
namespace {

TEST(LoincCodes, ShippedFileGivesThePanelAndInventsNothing) {
  auto c = LoincCodes::Parse(testing::ReadProjectFile("data/fhir/epds_loinc.json"), 10, 4);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->system(), "http://loinc.org");
  EXPECT_EQ(c->panel().code, "71354-5");
  EXPECT_FALSE(c->source().empty());
  for (int i = 1; i <= 10; ++i) EXPECT_EQ(c->Item(i), nullptr) << i;
}

TEST(LoincCodes, ReadsItemAndAnswerCodesWhereGiven) {
  auto c = LoincCodes::Parse(R"({"system": "http://loinc.org", "source": "test",
    "panel": {"code": "71354-5", "display": "EPDS"},
    "items": {"2": {"code": "12345-6", "display": "Item two",
                    "answers": [{"code": "LA6568-5", "display": "Not at all"}, null, null, null]}}})",
                             10, 4);
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_NE(c->Item(2), nullptr);
  EXPECT_EQ(c->Item(2)->item->code, "12345-6");
  ASSERT_EQ(c->Item(2)->answers.size(), 4u);
  EXPECT_EQ(c->Item(2)->answers[0]->code, "LA6568-5");
  EXPECT_FALSE(c->Item(2)->answers[1].has_value());
  EXPECT_EQ(c->Item(1), nullptr);
}

TEST(LoincCodes, RefusesMalformedCodesAndFiles) {
  const char* bad[] = {
      R"({"system": "http://loinc.org", "source": "s", "panel": {"code": "71354", "display": "x"}, "items": {}})",
      R"({"system": "http://snomed.info/sct", "source": "s", "panel": {"code": "71354-5", "display": "x"}, "items": {}})",
      R"({"system": "http://loinc.org", "panel": {"code": "71354-5", "display": "x"}, "items": {}})",
      R"({"system": "http://loinc.org", "source": "s", "panel": {"code": "71354-5", "display": "x"}, "items": {"11": {}}})",
      R"({"system": "http://loinc.org", "source": "s", "panel": {"code": "71354-5", "display": "x"}, "items": {"1": {"answers": [null]}}})",
      R"({"system": "http://loinc.org", "source": "s", "panel": {"code": "71354-5", "display": "x"}, "items": {"1": {"answers": [{"code": "6568-5", "display": "x"}, null, null, null]}}})",
  };
  for (const char* text : bad) EXPECT_FALSE(LoincCodes::Parse(text, 10, 4).ok()) << text;
  EXPECT_TRUE(IsLoincCode("71354-5"));
  EXPECT_TRUE(IsLoincCode("LA6568-5", true));
  EXPECT_FALSE(IsLoincCode("LA6568-5"));
  EXPECT_FALSE(IsLoincCode("71354-55"));
  EXPECT_FALSE(IsLoincCode("-5"));
}

}  // namespace
}  // namespace parcours::domain
