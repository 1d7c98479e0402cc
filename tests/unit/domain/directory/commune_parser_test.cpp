#include "domain/directory/commune_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixture.h"

namespace parcours::domain {
namespace {

using testing::ReadFixture;

struct Collected {
  Status status;
  ImportCounts counts;
  std::vector<Commune> communes;
  std::vector<LineError> errors;
};

Collected Read(std::string_view bytes) {
  Collected c;
  c.status = ReadCommunes(
      bytes, [&](const Commune& x) { c.communes.push_back(x); },
      [&](const LineError& e) { c.errors.push_back(e); }, &c.counts);
  return c;
}

constexpr std::string_view kHeader =
    "insee_code,name,postcodes,department_code,region_code,latitude,longitude,population\n";

TEST(CommuneParserTest, SampleOfTheSharedFile) {
  const Collected c = Read(ReadFixture("communes_sample.csv"));
  ASSERT_TRUE(c.status.ok()) << c.status.ToString();
  EXPECT_TRUE(c.errors.empty());
  EXPECT_EQ(c.counts, (ImportCounts{.lines = 11, .records = 10, .skipped = 0, .errors = 0}));
  ASSERT_EQ(c.communes.size(), 10u);

  EXPECT_EQ(c.communes[0], (Commune{.insee_code = "01001",
                                    .name = "L'Abergement-Clémenciat",
                                    .postcodes = {"01400"},
                                    .department_code = "01",
                                    .region_code = "84",
                                    .centroid = LatLon{46.15170, 4.93060},
                                    .population = 860}));
  const Commune& marseille = c.communes[1];
  EXPECT_EQ(marseille.insee_code, "13055");
  ASSERT_EQ(marseille.postcodes.size(), 16u);
  EXPECT_EQ(marseille.postcodes.front(), "13001");
  EXPECT_EQ(marseille.postcodes.back(), "13016");

  const Commune& celles = c.communes[2];
  EXPECT_EQ(celles.insee_code, "15031");
  EXPECT_FALSE(celles.centroid);  // restored in 2026, no centroid yet
  EXPECT_EQ(celles.population, 217);

  EXPECT_EQ(c.communes[3].insee_code, "2A004");
  EXPECT_EQ(c.communes[3].department_code, "2A");
  EXPECT_EQ(c.communes[3].region_code, "94");
  EXPECT_EQ(c.communes[4].name, "Hénin-Beaumont");
  EXPECT_EQ(c.communes[5].postcodes.back(), "75116");

  EXPECT_EQ(c.communes[7], (Commune{.insee_code = "97209",
                                    .name = "Fort-de-France",
                                    .postcodes = {"97200", "97234"},
                                    .department_code = "972",
                                    .region_code = "02",
                                    .centroid = LatLon{14.64925, -61.06863},
                                    .population = 75506}));

  const Commune& taaf = c.communes[9];
  EXPECT_EQ(taaf.insee_code, "98411");
  EXPECT_EQ(taaf.name, "Îles Saint-Paul et Nouvelle-Amsterdam");
  EXPECT_TRUE(taaf.postcodes.empty());
  EXPECT_FALSE(taaf.centroid);
  EXPECT_FALSE(taaf.population);
}

TEST(CommuneParserTest, ColumnsByNameAndQuotes) {
  const Collected c = Read(
      "population,longitude,latitude,region_code,department_code,postcodes,name,insee_code\n"
      "596,,,975,975,97500,\"Miquelon-Langlade, SPM\",97501\n");
  ASSERT_TRUE(c.status.ok()) << c.status.ToString();
  ASSERT_EQ(c.communes.size(), 1u);
  EXPECT_EQ(c.communes[0].name, "Miquelon-Langlade, SPM");
  EXPECT_EQ(c.communes[0].insee_code, "97501");
  EXPECT_EQ(c.communes[0].population, 596);
}

TEST(CommuneParserTest, BrokenRowsAreLineErrors) {
  const std::string text = std::string(kHeader) +
                           "01001,A,01400,01,84,46.1,4.9,860\n"  // 2 ok
                           "01002,B,01640,01,84,46.0,5.4\n"      // 3 field count
                           "1002,B,01640,01,84,46.0,5.4,270\n"   // 4 insee code
                           "01003,,01640,01,84,46.0,5.4,270\n"   // 5 name
                           "01004,D,0164,01,84,46.0,5.4,270\n"   // 6 postcode
                           "01005,E,01640,01,84,46.0,,270\n"     // 7 half a point
                           "01006,F,01640,01,84,95.0,5.4,270\n"  // 8 out of range
                           "01007,G,01640,01,84,46.0,5.4,-3\n"   // 9 population
                           "\n"                                  // 10 blank
                           "01008,\"H,01640,01,84,46.0,5.4,3\n"  // 11 quote
                           "01009,I,01640,,84,46.0,5.4,3\n";     // 12 department
  const Collected c = Read(text);
  ASSERT_TRUE(c.status.ok());
  EXPECT_EQ(c.counts, (ImportCounts{.lines = 12, .records = 1, .skipped = 1, .errors = 9}));
  EXPECT_EQ(c.errors, (std::vector<LineError>{
                          {3, "expected 8 fields, found 7"},
                          {4, "malformed insee_code '1002'"},
                          {5, "empty name"},
                          {6, "malformed postcode '0164'"},
                          {7, "latitude and longitude must both be decimal numbers"},
                          {8, "latitude/longitude out of range"},
                          {9, "malformed population '-3'"},
                          {11, "unterminated quoted field"},
                          {12, "empty department_code"},
                      }));
}

TEST(CommuneParserTest, MissingColumnStopsTheImport) {
  const Collected c = Read("insee_code,name,postcodes\n01001,A,01400\n");
  EXPECT_EQ(c.status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(c.status.message().find("department_code"), std::string::npos);
  EXPECT_TRUE(c.communes.empty());
}

TEST(CommuneParserTest, ReadsTheWholeSharedFile) {
  const std::string bytes = [] {
    // shared/ lies beside the checkout (tests only; the product never reads it).
    std::ifstream in(std::string(PARCOURS_SOURCE_DIR) + "/../shared/data/communes.csv",
                     std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }();
  // A missing file is a failure, not a skip: the check would otherwise pass unseen.
  ASSERT_FALSE(bytes.empty()) << "../shared/data/communes.csv (test data beside the checkout) "
                                 "is missing or empty";
  const Collected c = Read(bytes);
  ASSERT_TRUE(c.status.ok());
  EXPECT_TRUE(c.errors.empty()) << c.errors.front().line_number << ": " << c.errors.front().reason;
  EXPECT_EQ(c.communes.size(), 34969u);
  std::size_t without_centroid = 0;
  for (const Commune& x : c.communes) without_centroid += x.centroid ? 0 : 1;
  EXPECT_EQ(without_centroid, 20u);  // as its README says
}

}  // namespace
}  // namespace parcours::domain
