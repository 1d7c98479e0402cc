// Regression inputs of the form parser found by the fuzzer (fuzz/form_fuzz.cpp).
// Each input is also kept in fuzz/corpus/form/ so every fuzzing run replays it.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "http/form.h"

namespace parcours::http {
namespace {

// fuzz/corpus/form/regression-crash-7967a749 (was crash-7967a749dd2b… at the
// repository root): Boost.URL 1.81's parse_query read up to a NUL, past the
// end of a body that is not NUL-terminated. The bytes are copied into a heap
// buffer of exactly their size, as the fuzzer hands them, so that reading one
// byte past the end is a heap-buffer-overflow under AddressSanitizer.
TEST(FormRegressionTest, Crash7967a749BodyWithoutTerminatingNul) {
  constexpr char kBytes[] =
      "name=Anne+Marie&phone=06%2012%2034&slots=morning&slots=evening&consent=yes";
  constexpr std::size_t kSize = sizeof(kBytes) - 1;
  ASSERT_EQ(kSize, 74u);
  auto buffer = std::make_unique<char[]>(kSize);
  std::memcpy(buffer.get(), kBytes, kSize);

  auto form = ParseForm(std::string_view(buffer.get(), kSize));

  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_EQ(form->Value("name"), "Anne Marie");
  EXPECT_EQ(form->Value("phone"), "06 12 34");
  EXPECT_EQ(form->All("slots"), (std::vector<std::string>{"morning", "evening"}));
  EXPECT_EQ(form->Value("consent"), "yes");
  EXPECT_EQ(form->fields().size(), 5u);
}

TEST(FormRegressionTest, NulByteInsideTheBodyIsRefusedOnBody) {
  const std::string body("a=1\0b=2", 7);
  auto form = ParseForm(body);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(form.status().field(), "body");
}

}  // namespace
}  // namespace parcours::http
