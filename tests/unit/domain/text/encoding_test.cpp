#include "domain/text/encoding.h"

#include <gtest/gtest.h>

#include <string>

namespace parcours::domain {
namespace {

TEST(EncodingTest, IsAscii) {
  EXPECT_TRUE(IsAscii(""));
  EXPECT_TRUE(IsAscii("plain ascii text, longer than eight bytes|||"));
  EXPECT_FALSE(IsAscii("abcdefgh\xE9"));
  EXPECT_FALSE(IsAscii("\x80"));
}

TEST(EncodingTest, IsValidUtf8AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Hénin-Beaumont"));
  EXPECT_TRUE(IsValidUtf8("œuvre € 𝄞 — ’"));
}

TEST(EncodingTest, IsValidUtf8RejectsMalformedText) {
  EXPECT_FALSE(IsValidUtf8("H\xE9nin"));          // Latin-1 é
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xBF"));              // lone continuation
}

TEST(EncodingTest, DetectEncoding) {
  EXPECT_EQ(DetectEncoding("only ascii"), TextEncoding::kAscii);
  EXPECT_EQ(DetectEncoding("Libellé profession"), TextEncoding::kUtf8);
  EXPECT_EQ(DetectEncoding("Libell\xE9 profession"), TextEncoding::kLatin1);
  // A sequence cut by the end of the sample is not held against UTF-8.
  EXPECT_EQ(DetectEncoding("Libellé \xC3"), TextEncoding::kUtf8);
  EXPECT_EQ(DetectEncoding("\x9C"), TextEncoding::kLatin1);
}

TEST(EncodingTest, AppendLatin1AsUtf8ReadsWindows1252) {
  std::string out = "x";
  AppendLatin1AsUtf8("H\xE9nin \x80 \x9C \x8C \x92 \xFF \x81", &out);
  EXPECT_EQ(out, "xHénin € œ Œ ’ ÿ \xC2\x81");
  EXPECT_TRUE(IsValidUtf8(out));
}

TEST(EncodingTest, DecodeLineAvoidsCopies) {
  std::string scratch;
  const std::string ascii = "plain";
  EXPECT_EQ(DecodeLine(ascii, &scratch).data(), ascii.data());
  const std::string utf8 = "Hénin";
  EXPECT_EQ(DecodeLine(utf8, &scratch).data(), utf8.data());
}

TEST(EncodingTest, DecodeLineConvertsWhatIsNotUtf8) {
  std::string scratch;
  EXPECT_EQ(DecodeLine("H\xE9nin \x9Cuvre", &scratch), "Hénin œuvre");
  EXPECT_EQ(DecodeLine("\xC3\xA9", &scratch), "é");  // valid UTF-8 stays UTF-8
}

}  // namespace
}  // namespace parcours::domain
