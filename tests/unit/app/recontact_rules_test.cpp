#include <gtest/gtest.h>

#include <set>

#include "app/clock.h"
#include "app/geography.h"
#include "app/screening/recontact_service.h"
#include "domain/territory/territory.h"
#include "storage/directory_repository.h"

namespace parcours::app {
namespace {

TEST(Recontact, ReferencesAreShortUnambiguousAndRandom) {
  SystemRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string r = NewReference(random);
    ASSERT_TRUE(IsReference(r)) << r;
    seen.insert(r);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_FALSE(IsReference("ABCD1234"));
  EXPECT_FALSE(IsReference("ABCD-12I4"));  // I is not in Crockford base32
  EXPECT_FALSE(IsReference("abcd-1234"));
}

TEST(Recontact, ContactDetailsRoundTrip) {
  ContactDetails c{"Léa", "0612345678", "", "neutral", "fr", {"morning", "evening"}, true};
  auto back = DecodeContact(EncodeContact(c));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->name, "Léa");
  EXPECT_EQ(back->slots, c.slots);
  EXPECT_TRUE(back->may_leave_message);
}

// Communes of a few postcodes, as the directory would give them.
class FixedCommunes : public CommuneLookup {
 public:
  Result<std::vector<CommuneInfo>> ByPostcode(std::string_view postcode) const override {
    if (postcode == "59000") return std::vector<CommuneInfo>{{"59350", "Lille", "59"}};
    if (postcode == "76190") {
      return std::vector<CommuneInfo>{{"76758", "Yvetot", "76"}, {"76001", "Allouville", "76"}};
    }
    // A postcode whose communes lie in two territories.
    if (postcode == "05110") {
      return std::vector<CommuneInfo>{
          {"05001", "A", "05"}, {"04001", "B", "04"}, {"26001", "C", "26"}};
    }
    return std::vector<CommuneInfo>();
  }
  Result<std::optional<CommuneInfo>> ByCode(std::string_view code) const override {
    for (const char* pc : {"76000", "59000", "76190", "27620", "05110"}) {
      auto list = ByPostcode(pc);
      for (const auto& c : *list) {
        if (c.insee_code == code) return std::optional<CommuneInfo>(c);
      }
    }
    return std::optional<CommuneInfo>();
  }
};

domain::TerritoryCatalog Catalog() {
  auto rules = domain::PathwayRules::Parse(R"({"thresholds": {"id": "t", "version": 1,
    "mother": {"watch": 9, "possible": 11, "probable": 13},
    "father": {"watch": 7, "possible": 9, "probable": 11},
    "coparent": {"watch": 7, "possible": 9, "probable": 11}},
    "orientation": {"low": {"level": "information", "with_vulnerability": "information"},
      "watch": {"level": "information", "with_vulnerability": "first_line"},
      "possible": {"level": "first_line", "with_vulnerability": "first_line"},
      "probable": {"level": "first_line", "with_vulnerability": "specialised"},
      "item10_minimum_follow_up": "first_line"},
    "urgency": {"item10": "immediate", "probable": "24h", "possible": "72h", "watch": "7d", "low": "7d"},
    "timing": {"validated_from_week": 4, "baby_blues_until_week": 2, "second_peak_week": 6}})");
  EXPECT_TRUE(rules.ok()) << rules.status().message();
  auto c = domain::TerritoryCatalog::Load(
      {{"n.json", R"({"code": "nord", "names": {"fr": "N"}, "departments": ["59", "76"],
          "time_zone": "Europe/Paris", "recontact": {"open": false}})"},
       {"s.json", R"({"code": "sud", "names": {"fr": "S"}, "departments": ["04", "05"],
          "time_zone": "Europe/Paris", "recontact": {"open": false}})"},
       {"o.json", R"({"code": "", "names": {"fr": "O"}, "time_zone": "Europe/Paris",
          "recontact": {"open": false}})"}},
      *rules, domain::HolidayTable{});
  EXPECT_TRUE(c.ok()) << c.status().message();
  return std::move(*c);
}

TEST(Geography, PostcodeToCommuneToTerritory) {
  FixedCommunes communes;
  auto catalog = Catalog();
  auto lille = ResolvePlace(communes, catalog, std::string("59000"), std::nullopt);
  ASSERT_TRUE(lille.ok());
  EXPECT_EQ(lille->commune_code, "59350");
  EXPECT_EQ(lille->territory->code, "nord");

  // Several communes in one territory: the territory is known, the commune not.
  auto yvetot = ResolvePlace(communes, catalog, std::string("76190"), std::nullopt);
  ASSERT_TRUE(yvetot.ok());
  EXPECT_FALSE(yvetot->commune_code.has_value());
  EXPECT_EQ(yvetot->territory->code, "nord");

  // Communes in several territories: the commune must be chosen.
  auto cross = ResolvePlace(communes, catalog, std::string("05110"), std::nullopt);
  ASSERT_FALSE(cross.ok());
  EXPECT_EQ(cross.status().field(), "commune_code");
  auto chosen = ResolvePlace(communes, catalog, std::string("05110"), std::string("26001"));
  ASSERT_TRUE(chosen.ok());
  EXPECT_TRUE(chosen->territory->outside());
  auto wrong = ResolvePlace(communes, catalog, std::string("05110"), std::string("59350"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().field(), "commune_code");

  // No commune data for a postcode: its department decides.
  auto unknown = ResolvePlace(communes, catalog, std::string("59999"), std::nullopt);
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->territory->code, "nord");
  EXPECT_FALSE(unknown->commune_data);

  auto none = ResolvePlace(communes, catalog, std::nullopt, std::nullopt);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->territory->outside());
  EXPECT_EQ(ResolvePlace(communes, catalog, std::string("5900"), std::nullopt).status().field(),
            "postcode");
}

TEST(Geography, DepartmentOfPostcode) {
  EXPECT_EQ(DepartmentOfPostcode("59000"), "59");
  EXPECT_EQ(DepartmentOfPostcode("97200"), "972");
  EXPECT_EQ(DepartmentOfPostcode("20000"), "");
  EXPECT_EQ(DepartmentOfPostcode("01000"), "01");
  EXPECT_EQ(DepartmentOfPostcode("abc"), "");
}

}  // namespace
}  // namespace parcours::app

namespace parcours::app {
namespace {

TEST(Recontact, AlertsGoToTheMostSpecificSubTerritoryOfTheirTerritory) {
  using storage::SubTerritoryRecord;
  std::vector<SubTerritoryRecord> subs = {
      {"hdf-59", "hauts-de-france", "Nord", "department", {"59"}},
      {"hdf-lille-sud", "hauts-de-france", "Lille sud", "communes", {"59350"}},
      {"hdf-ptsm-lille", "hauts-de-france", "PTSM Lille", "ptsm", {"59350", "59009"}},
      {"nor-x", "normandie", "Elsewhere", "communes", {"59350"}},
  };
  EXPECT_EQ(MostSpecificSubTerritory(subs, "hauts-de-france"), "hdf-lille-sud");
  subs.erase(subs.begin() + 1);
  EXPECT_EQ(MostSpecificSubTerritory(subs, "hauts-de-france"), "hdf-ptsm-lille");
  subs.erase(subs.begin() + 1);
  EXPECT_EQ(MostSpecificSubTerritory(subs, "hauts-de-france"), "hdf-59");
  EXPECT_EQ(MostSpecificSubTerritory(subs, "martinique"), std::nullopt);
  EXPECT_EQ(MostSpecificSubTerritory({}, "hauts-de-france"), std::nullopt);
}

}  // namespace
}  // namespace parcours::app
