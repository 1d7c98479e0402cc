#include "storage/codec.h"

#include <gtest/gtest.h>

namespace parcours::storage {
namespace {

TEST(CodecTest, IntListRoundTrip) {
  std::vector<int> v = {0, 3, 2, 1, 0, 0, 1, 2, 3, 3};
  EXPECT_EQ(EncodeIntList(v), "0,3,2,1,0,0,1,2,3,3");
  EXPECT_EQ(DecodeIntList(EncodeIntList(v)), v);
  EXPECT_EQ(DecodeIntList(""), std::vector<int>{});
  EXPECT_FALSE(DecodeIntList("1,,2").has_value());
  EXPECT_FALSE(DecodeIntList("1;2").has_value());
  EXPECT_FALSE(DecodeIntList("a").has_value());
}

}  // namespace
}  // namespace parcours::storage
