#include "domain/text/field_splitter.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "domain/text/numbers.h"

namespace parcours::domain {
namespace {

using Fields = std::vector<std::string_view>;

TEST(SplitFieldsTest, SplitsOnEverySeparator) {
  Fields f;
  SplitFields("a||b|", '|', &f);
  EXPECT_EQ(f, (Fields{"a", "", "b", ""}));
  SplitFields("", '|', &f);
  EXPECT_EQ(f, (Fields{""}));
  SplitFields("no separator", '|', &f);
  EXPECT_EQ(f, (Fields{"no separator"}));
  SplitFields("\"quotes\"|are|kept", '|', &f);
  EXPECT_EQ(f, (Fields{"\"quotes\"", "are", "kept"}));
}

TEST(SplitFieldsTest, TrimAscii) {
  EXPECT_EQ(TrimAscii("  a b\t "), "a b");
  EXPECT_EQ(TrimAscii("   "), "");
}

TEST(QuotedFieldSplitterTest, UnquotedLinesAreViewsIntoTheLine) {
  QuotedFieldSplitter s;
  const std::string_view line = "a;b;;c";
  ASSERT_TRUE(s.Split(line, ';'));
  EXPECT_EQ(s.fields(), (Fields{"a", "b", "", "c"}));
  EXPECT_EQ(s.fields()[0].data(), line.data());
}

TEST(QuotedFieldSplitterTest, RemovesQuotesAndUndoublesThem) {
  QuotedFieldSplitter s;
  ASSERT_TRUE(s.Split(R"(structureet;"LIEU DE VIE ""MAVOUNA"" 1";"a;b";x)", ';'));
  EXPECT_EQ(s.fields(), (Fields{"structureet", "LIEU DE VIE \"MAVOUNA\" 1", "a;b", "x"}));
  ASSERT_TRUE(s.Split(R"("";"x"y;a"b)", ';'));
  EXPECT_EQ(s.fields(), (Fields{"", "xy", "a\"b"}));
}

TEST(QuotedFieldSplitterTest, RejectsAnUnterminatedQuote) {
  QuotedFieldSplitter s;
  EXPECT_FALSE(s.Split(R"(a;"open;b)", ';'));
  EXPECT_TRUE(s.fields().empty());
  EXPECT_TRUE(s.Split("a;b", ';'));  // usable again
}

TEST(NumbersTest, ParseDecimal) {
  EXPECT_EQ(ParseDecimal("870262.2"), 870262.2);
  EXPECT_EQ(ParseDecimal(" -61.06863 "), -61.06863);
  EXPECT_EQ(ParseDecimal("+1.5"), 1.5);
  EXPECT_EQ(ParseDecimal("1e3"), 1000.0);
  EXPECT_FALSE(ParseDecimal(""));
  EXPECT_FALSE(ParseDecimal("718859,3"));
  EXPECT_FALSE(ParseDecimal("12abc"));
  EXPECT_FALSE(ParseDecimal("inf"));
  EXPECT_FALSE(ParseDecimal("-inf"));
  EXPECT_FALSE(ParseDecimal("nan"));
  EXPECT_FALSE(ParseDecimal("1e999"));
}

TEST(NumbersTest, ParseInt64AndIsDigits) {
  EXPECT_EQ(ParseInt64("2103778"), 2103778);
  EXPECT_EQ(ParseInt64("-4"), -4);
  EXPECT_FALSE(ParseInt64("4.5"));
  EXPECT_FALSE(ParseInt64("99999999999999999999"));
  EXPECT_TRUE(IsDigits("01400"));
  EXPECT_FALSE(IsDigits(""));
  EXPECT_FALSE(IsDigits("2A004"));
}

}  // namespace
}  // namespace parcours::domain
