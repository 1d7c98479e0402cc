#include "domain/record/follow_up.h"

#include <gtest/gtest.h>

#include "domain/pathway/pathway_rules.h"
#include "domain/record/share_code.h"

namespace parcours::domain {
namespace {

const LocalDate kToday{2026, 11, 29};

RecordIdentity Valid() {
  RecordIdentity id;
  id.name = "  C. M. ";
  id.birth_year = 1994;
  id.child_birth_date = "2027-02-10";
  id.birth_expected = true;
  id.phone = "06 12-34.56 78";
  return id;
}

std::vector<std::string> Fields(const Status& st) {
  std::vector<std::string> out;
  for (const auto& e : st.field_errors()) out.push_back(e.field);
  return out;
}

TEST(RecordIdentity, NormalisesAValidIdentity) {
  auto id = ValidateIdentity(Valid(), kToday);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->name, "C. M.");
  EXPECT_EQ(id->phone, "0612345678");
  auto back = IdentityFromJson(IdentityToJson(*id));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *id);
}

TEST(RecordIdentity, ReportsEveryFieldAtOnce) {
  RecordIdentity id;
  id.name = " ";
  id.birth_year = 1890;
  id.child_birth_date = "2026-13-01";
  id.phone = "call me";
  auto r = ValidateIdentity(id, kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Fields(r.status()),
            (std::vector<std::string>{"name", "birth_year", "child_birth_date", "phone"}));
}

TEST(RecordIdentity, BirthDateMustFitItsKind) {
  auto id = Valid();
  id.child_birth_date = "2028-06-01";  // expected more than 10 months ahead
  EXPECT_EQ(Fields(ValidateIdentity(id, kToday).status()),
            std::vector<std::string>{"child_birth_date"});
  id.birth_expected = false;  // an actual birth in the future
  id.child_birth_date = "2026-12-01";
  EXPECT_EQ(Fields(ValidateIdentity(id, kToday).status()),
            std::vector<std::string>{"child_birth_date"});
  id.child_birth_date = "2026-10-01";
  EXPECT_TRUE(ValidateIdentity(id, kToday).ok());
}

TEST(RecordIdentity, NameIsShort) {
  auto id = Valid();
  id.name = std::string(41, 'a');
  EXPECT_EQ(Fields(ValidateIdentity(id, kToday).status()), std::vector<std::string>{"name"});
  id.name = "Élise-Anaïs";
  EXPECT_TRUE(ValidateIdentity(id, kToday).ok());
}

TEST(NextScreenings, FromTheBirthDateAndTheTimingRules) {
  TimingRules t;  // defaults: second peak week 6, EPNP weeks 4 to 8
  auto n = NextScreeningDates(LocalDate{2026, 12, 30}, t);
  EXPECT_EQ(ToIsoDate(n.second_peak), "2027-02-10");
  EXPECT_EQ(ToIsoDate(n.epnp_from), "2027-01-27");
  EXPECT_EQ(ToIsoDate(n.epnp_until), "2027-02-24");
  t.second_peak_week = 5;
  t.epnp_until_week = 10;
  n = NextScreeningDates(LocalDate{2026, 12, 30}, t);
  EXPECT_EQ(ToIsoDate(n.second_peak), "2027-02-03");
  EXPECT_EQ(ToIsoDate(n.epnp_until), "2027-03-10");
}

TEST(ShareCode, FiftyBitsInTwoReadableGroups) {
  const std::string zeros(8, '\0');
  EXPECT_EQ(ShareCodeFromBytes(zeros), "00000-00000");
  const std::string ones(8, '\xff');
  EXPECT_EQ(ShareCodeFromBytes(ones), "ZZZZZ-ZZZZZ");
  EXPECT_EQ(ShareCodeFromBytes(std::string("\x08\x42\x10\x84\x21\x00\x00", 7)), "11111-11100");
}

TEST(ShareCode, TypedFormsNormalise) {
  EXPECT_EQ(NormaliseShareCode("k7m2q 9qxda"), "K7M2Q-9QXDA");
  EXPECT_EQ(NormaliseShareCode("K7M2Q-9QXDA"), "K7M2Q-9QXDA");
  EXPECT_EQ(NormaliseShareCode("oil22-33445"),
            "011"
            "22-33445");
  EXPECT_FALSE(NormaliseShareCode("K7M2Q-9QXD"));    // 9 symbols
  EXPECT_FALSE(NormaliseShareCode("K7M2Q-9QXDAA"));  // 11
  EXPECT_FALSE(NormaliseShareCode("K7M2Q-9QXDU"));   // U is not in the alphabet
  EXPECT_FALSE(NormaliseShareCode(""));
}

}  // namespace
}  // namespace parcours::domain
