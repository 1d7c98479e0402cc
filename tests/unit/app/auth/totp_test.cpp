#include "app/auth/totp.h"

#include <gtest/gtest.h>

#include "app/auth/qr_svg.h"

namespace parcours::app {
namespace {

// RFC 6238 appendix B, SHA-1 key "12345678901234567890" (last 6 of 8 digits).
constexpr const char* kRfcKey = "12345678901234567890";

TEST(Totp, MatchesRfc6238Vectors) {
  EXPECT_EQ(totp::Generate(kRfcKey, 59'000), "287082");
  EXPECT_EQ(totp::Generate(kRfcKey, 1111111109'000), "081804");
  EXPECT_EQ(totp::Generate(kRfcKey, 1234567890'000), "005924");
  EXPECT_EQ(totp::Generate(kRfcKey, 2000000000'000), "279037");
}

TEST(Totp, AcceptsOneStepOfDriftOnceAndRefusesTheRest) {
  const domain::TimestampMs now = 1111111109'000;
  const std::int64_t step = 1111111109 / 30;
  auto cur = totp::Verify(kRfcKey, totp::Generate(kRfcKey, now), now, 0);
  ASSERT_TRUE(cur);
  EXPECT_EQ(*cur, step);
  EXPECT_EQ(totp::Verify(kRfcKey, totp::Generate(kRfcKey, now - 30'000), now, 0), step - 1);
  EXPECT_EQ(totp::Verify(kRfcKey, totp::Generate(kRfcKey, now + 30'000), now, 0), step + 1);
  EXPECT_FALSE(totp::Verify(kRfcKey, totp::Generate(kRfcKey, now - 90'000), now, 0));
  // Replay: a step already used is refused.
  EXPECT_FALSE(totp::Verify(kRfcKey, totp::Generate(kRfcKey, now), now, step));
  EXPECT_FALSE(totp::Verify(kRfcKey, "12345a", now, 0));
  EXPECT_FALSE(totp::Verify(kRfcKey, "1234567", now, 0));
  EXPECT_FALSE(totp::Verify(kRfcKey, "", now, 0));
  std::string spaced = totp::Generate(kRfcKey, now);
  spaced.insert(3, " ");
  EXPECT_TRUE(totp::Verify(kRfcKey, spaced, now, 0));
}

TEST(Totp, UriCarriesTheStandardParameters) {
  EXPECT_EQ(totp::Base32(kRfcKey), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(totp::FromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), std::string(kRfcKey));
  EXPECT_EQ(totp::Uri("Parcours DPP", "a.b@example.org", kRfcKey),
            "otpauth://totp/Parcours%20DPP:a.b@example.org?secret="
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Parcours%20DPP&algorithm=SHA1&digits=6&"
            "period=30");
}

TEST(QrSvg, IsOneInlineSvgWithAnAccessibleName) {
  auto svg = QrSvg("otpauth://totp/x:y?secret=ABC", "Code \"QR\"");
  ASSERT_TRUE(svg.ok());
  EXPECT_TRUE(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""));
  EXPECT_NE(svg->find("aria-label=\"Code &quot;QR&quot;\""), std::string::npos);
  EXPECT_NE(svg->find("<path fill=\"#000000\" d=\"M"), std::string::npos);
  EXPECT_EQ(svg->find("style="), std::string::npos);  // CSP: no inline style
}

}  // namespace
}  // namespace parcours::app
