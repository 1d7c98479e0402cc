#include "http/json_body.h"

#include <gtest/gtest.h>

#include <string>

namespace parcours::http {
namespace {

TEST(JsonBodyTest, AcceptsAnObject) {
  auto r = ParseJsonObject(R"({"a":[1,2,{"b":null}]})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->contains("a"));
}

TEST(JsonBodyTest, RefusesNonObjectsEmptyAndMalformed) {
  for (const char* body : {"", "[]", "42", "\"x\"", "{", "{\"a\":}", "{} trailing"}) {
    auto r = ParseJsonObject(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().field(), "body");
  }
}

TEST(JsonBodyTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto r = ParseJsonObject(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "body");
  std::string deep_obj;
  for (int i = 0; i < 50; ++i) deep_obj += "{\"a\":";
  deep_obj += "1";
  for (int i = 0; i < 50; ++i) deep_obj += "}";
  EXPECT_FALSE(ParseJsonObject(deep_obj).ok());
  EXPECT_NE(ParseJsonObject(deep_obj).status().message().find("deeper"), std::string::npos);
}

}  // namespace
}  // namespace parcours::http
