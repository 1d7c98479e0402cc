#include "domain/directory/resource.h"

#include <gtest/gtest.h>

namespace parcours::domain {
namespace {

Resource Valid() {
  Resource r;
  r.kind = ResourceKind::kMidwife;
  r.levels = DefaultLevels(r.kind);
  r.name = "Sage-femme";
  r.postcode = "97200";
  r.commune_code = "97209";
  return r;
}

std::optional<FieldError> Set(Resource* r, std::string_view f, std::string_view v) {
  std::optional<double> lat;
  std::optional<double> lon;
  return SetField(r, f, v, &lat, &lon);
}

TEST(ResourceTest, SetFieldValidatesEachFieldAndLeavesTheRecordOnError) {
  Resource r = Valid();
  const Resource before = r;
  EXPECT_EQ(Set(&r, "kind", "wizard")->field, "kind");
  EXPECT_EQ(Set(&r, "levels", "first_line,urgent")->field, "levels");
  EXPECT_EQ(Set(&r, "levels", " , ")->reason, "at least one level of care is required");
  EXPECT_EQ(Set(&r, "name", "  ")->reason, "is required");
  EXPECT_EQ(Set(&r, "postcode", "9720")->field, "postcode");
  EXPECT_EQ(Set(&r, "commune", "972")->field, "commune");
  EXPECT_EQ(Set(&r, "email", "a@b")->field, "email");
  EXPECT_EQ(Set(&r, "website", "javascript:alert(1)")->field, "website");
  EXPECT_EQ(Set(&r, "accepts_fathers", "maybe")->field, "accepts_fathers");
  EXPECT_EQ(Set(&r, "languages", "fr,french")->field, "languages");
  EXPECT_EQ(Set(&r, "rpps", "12345")->field, "rpps");
  EXPECT_EQ(Set(&r, "siret", "1234567890123")->field, "siret");
  EXPECT_EQ(Set(&r, "latitude", "91")->field, "latitude");
  EXPECT_EQ(Set(&r, "longitude", "1,5")->field, "longitude");
  EXPECT_EQ(Set(&r, "colour", "blue")->reason, "unknown field");
  EXPECT_EQ(r, before);

  EXPECT_FALSE(Set(&r, "levels", "specialised, first_line"));
  EXPECT_EQ(r.levels, (CareLevelSet{CareLevel::kFirstLine, CareLevel::kSpecialised}));
  EXPECT_FALSE(Set(&r, "languages", "FR, ht,fr"));
  EXPECT_EQ(r.languages, (std::vector<std::string>{"fr", "ht"}));
  EXPECT_FALSE(Set(&r, "accepts_fathers", "oui"));
  EXPECT_TRUE(r.accepts_fathers);
  EXPECT_FALSE(Set(&r, "commune", "13205"));
  EXPECT_EQ(r.commune_code, "13055");
  EXPECT_FALSE(Set(&r, "website", "https://example.org/x"));
}

TEST(ResourceTest, LatitudeAndLongitudeMakeOnePosition) {
  Resource r = Valid();
  std::optional<double> lat;
  std::optional<double> lon;
  EXPECT_FALSE(SetField(&r, "latitude", "14.6", &lat, &lon));
  EXPECT_FALSE(r.position) << "half a position is not a position";
  EXPECT_FALSE(SetField(&r, "longitude", "-61.05", &lat, &lon));
  ASSERT_TRUE(r.position);
  EXPECT_EQ(*r.position, (LatLon{14.6, -61.05}));
  // Later, one coordinate alone moves the existing position.
  std::optional<double> lat2;
  std::optional<double> lon2;
  EXPECT_FALSE(SetField(&r, "latitude", "14.7", &lat2, &lon2));
  EXPECT_EQ(*r.position, (LatLon{14.7, -61.05}));
  EXPECT_FALSE(SetField(&r, "latitude", "", &lat2, &lon2));
  EXPECT_FALSE(r.position);
}

TEST(ResourceTest, ValidateChecksRequiredFieldsAndDepartmentAgreement) {
  EXPECT_TRUE(Validate(Valid()).empty());
  Resource r = Valid();
  r.postcode = "97300";
  ASSERT_EQ(Validate(r).size(), 1u);
  EXPECT_EQ(Validate(r)[0].field, "postcode");
  r = Valid();
  r.commune_code = "2A004";
  r.postcode = "20000";
  EXPECT_TRUE(Validate(r).empty()) << "Corsica: 20xxx for 2A and 2B";
  Resource empty;
  auto errors = Validate(empty);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].field, "name");
  EXPECT_EQ(errors[1].field, "levels");
  EXPECT_EQ(errors[2].field, "commune");
  EXPECT_EQ(errors[3].field, "postcode");
}

TEST(ResourceTest, MergeImportKeepsManualFieldsAndNonImportedOnes) {
  Resource existing = Valid();
  existing.phone = "0596000001";
  existing.website = "https://example.org";
  existing.accepts_fathers = true;
  Resource imported = Valid();
  imported.name = "Nouveau nom";
  imported.phone = "0596000002";
  imported.email = "x@example.org";
  Resource m = MergeImport(existing, imported, {"phone"});
  EXPECT_EQ(m.name, "Nouveau nom");
  EXPECT_EQ(m.email, "x@example.org");
  EXPECT_EQ(m.phone, "0596000001");
  EXPECT_EQ(m.website, "https://example.org") << "imports never touch website";
  EXPECT_TRUE(m.accepts_fathers);
  EXPECT_EQ(ChangedFields(existing, m), (std::vector<std::string>{"name", "email"}));
}

TEST(ResourceTest, FingerprintCoversImportedFieldsOnly) {
  Resource a = Valid();
  Resource b = a;
  b.website = "https://example.org";
  b.accepts_fathers = true;
  EXPECT_EQ(ImportFingerprint(a), ImportFingerprint(b));
  b.phone = "0596000002";
  EXPECT_NE(ImportFingerprint(a), ImportFingerprint(b));
  EXPECT_EQ(ImportFingerprint(a).size(), 16u);
  EXPECT_EQ(ImportFingerprint(a), "594b4ef4309a6008") << "stable across runs and builds";
}

}  // namespace
}  // namespace parcours::domain
