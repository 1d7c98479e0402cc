#include <gtest/gtest.h>

#include <set>

#include "app/clock.h"

namespace parcours::app {
namespace {

class CountingRandom : public Random {
 public:
  std::string Bytes(std::size_t n) override {
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(next_++);
    return s;
  }

 private:
  unsigned char next_ = 0;
};

TEST(IdsTest, NewIdIs26Base32CharactersAndUnique) {
  SystemRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewId(random);
    ASSERT_EQ(id.size(), 26u);
    for (char c : id)
      ASSERT_NE(std::string("0123456789abcdefghjkmnpqrstvwxyz").find(c), std::string::npos);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
  CountingRandom fixed;
  EXPECT_EQ(NewId(fixed), NewId(*std::make_unique<CountingRandom>()));
}

}  // namespace
}  // namespace parcours::app
