// Public holidays: the Easter computus, the rule parser, and the readable
// cases of tests/cases/holidays.json (every closed day of 2025–2030 for a
// mainland territory and for Martinique) against the shipped data file.
#include "domain/calendar/holidays.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "../support.h"

namespace parcours::domain {
namespace {

using testing::ReadProjectFile;

TEST(Holidays, EasterSundayOfTheExperimentYears) {
  EXPECT_EQ(EasterSunday(2025), (LocalDate{2025, 4, 20}));
  EXPECT_EQ(EasterSunday(2026), (LocalDate{2026, 4, 5}));
  EXPECT_EQ(EasterSunday(2027), (LocalDate{2027, 3, 28}));
  EXPECT_EQ(EasterSunday(2028), (LocalDate{2028, 4, 16}));
  EXPECT_EQ(EasterSunday(2029), (LocalDate{2029, 4, 1}));
  EXPECT_EQ(EasterSunday(2030), (LocalDate{2030, 4, 21}));
  EXPECT_EQ(EasterSunday(2038), (LocalDate{2038, 4, 25}));  // latest possible
}

TEST(Holidays, CivilDaysRoundTrip) {
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  for (long z = DaysFromCivil({2024, 1, 1}); z < DaysFromCivil({2031, 1, 1}); ++z) {
    EXPECT_EQ(DaysFromCivil(CivilFromDays(z)), z);
  }
  EXPECT_EQ(CivilFromDays(DaysFromCivil({2028, 2, 28}) + 1), (LocalDate{2028, 2, 29}));
}

TEST(Holidays, ShippedCasesForEveryExperimentYear) {
  auto table = HolidayTable::Parse(ReadProjectFile("data/pathway/holidays.json"));
  ASSERT_TRUE(table.ok()) << table.status().message();
  auto doc = boost::json::parse(ReadProjectFile("tests/cases/holidays.json"));
  const auto& cases = doc.as_object().at("cases").as_array();
  ASSERT_GE(cases.size(), 12u);
  for (const auto& c : cases) {
    const auto& o = c.as_object();
    const std::string name(o.at("name").as_string());
    const ClosedDays days = table->For(std::string(o.at("territory").as_string()));
    std::vector<std::string> got;
    for (const auto& [d, label] : days.InYear(static_cast<int>(o.at("year").as_int64()))) {
      got.push_back(ToIsoDate(d));
    }
    std::vector<std::string> want;
    for (const auto& d : o.at("closed").as_array()) want.emplace_back(d.as_string());
    EXPECT_EQ(got, want) << name;
  }
}

TEST(Holidays, RulesAreCheckedWithTheirField) {
  auto bad = [](const char* json) {
    auto t = HolidayTable::Parse(json);
    return t.ok() ? std::string("ok") : t.status().field();
  };
  EXPECT_EQ(bad(R"({"national": [{"name": "x", "date": "13-01"}]})"), "national[0].date");
  EXPECT_EQ(bad(R"({"national": [{"name": "x", "date": "2026-02-29"}]})"), "national[0].date");
  EXPECT_EQ(bad(R"({"national": [{"date": "01-01"}]})"), "national[0].name");
  EXPECT_EQ(bad(R"({"national": [{"name": "x"}]})"), "national[0].date");
  EXPECT_EQ(bad(R"({"national": [{"name": "x", "easter_offset": 400}]})"),
            "national[0].easter_offset");
  EXPECT_EQ(bad(R"({"national": [], "regional": {"m": [{"name": "x", "date": 5}]}})"),
            "regional.m[0].date");
  EXPECT_EQ(bad(R"({"regional": {}})"), "national");
  EXPECT_EQ(bad(R"({"national": [{"name": "x", "date": "02-29"}]})"), "ok");
}

TEST(Holidays, AlsaceMosselleDaysFitTheFormat) {
  auto t = HolidayTable::Parse(R"({"national": [], "regional": {"grand-est": [
      {"name": "Vendredi saint", "easter_offset": -2}, {"name": "Saint-Étienne", "date": "12-26"}]}})");
  ASSERT_TRUE(t.ok()) << t.status().message();
  const ClosedDays d = t->For("grand-est");
  EXPECT_TRUE(d.Contains({2026, 4, 3}));
  EXPECT_TRUE(d.Contains({2026, 12, 26}));
  EXPECT_FALSE(t->For("normandie").Contains({2026, 4, 3}));
}

}  // namespace
}  // namespace parcours::domain
