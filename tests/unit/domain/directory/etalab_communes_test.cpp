#include "domain/directory/etalab_communes.h"

#include <gtest/gtest.h>

#include "fixture.h"

namespace parcours::domain {
namespace {

TEST(EtalabCommunesTest, ReadsCurrentCommunesOnly) {
  std::vector<Commune> communes;
  std::vector<LineError> errors;
  ImportCounts counts;
  Status st = ReadEtalabCommunes(
      testing::ReadFixture("etalab_communes_sample.json"),
      [&](const Commune& c) { communes.push_back(c); },
      [&](const LineError& e) { errors.push_back(e); }, &counts);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(communes.size(), 4u);
  EXPECT_EQ(communes[0].insee_code, "97209");
  EXPECT_EQ(communes[0].name, "Fort-de-France");
  EXPECT_EQ(communes[0].postcodes, (std::vector<std::string>{"97200", "97234"}));
  EXPECT_EQ(communes[0].department_code, "972");
  EXPECT_EQ(communes[0].region_code, "02");
  EXPECT_EQ(communes[0].population, 75506);
  EXPECT_FALSE(communes[0].centroid);
  EXPECT_EQ(communes[2].name, "Béthune");
  EXPECT_EQ(counts, (ImportCounts{7, 4, 2, 1}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], (LineError{7, "malformed commune code '6211'"}));
}

TEST(EtalabCommunesTest, RejectsWhatIsNotAList) {
  auto nop = [](const Commune&) {};
  auto noe = [](const LineError&) {};
  EXPECT_EQ(ReadEtalabCommunes("{\"code\":1}", nop, noe).field(), "file");
  EXPECT_EQ(ReadEtalabCommunes("[1, 2", nop, noe).field(), "file");
  EXPECT_EQ(ReadEtalabCommunes("[[[[[[[[[[[[1]]]]]]]]]]]]", nop, noe).field(), "file");
  std::vector<LineError> errors;
  ASSERT_TRUE(ReadEtalabCommunes(
                  R"([1, {"type":"commune-actuelle","code":"59350","nom":"","departement":"59"},
                      {"type":"commune-actuelle","code":"59350","nom":"Lille","departement":"59",
                       "codesPostaux":["590"]}])",
                  nop, [&](const LineError& e) { errors.push_back(e); })
                  .ok());
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].reason, "entry is not an object");
  EXPECT_EQ(errors[1].line_number, 2);
  EXPECT_EQ(errors[2].reason, "commune 59350: malformed postcode '590'");
}

}  // namespace
}  // namespace parcours::domain
