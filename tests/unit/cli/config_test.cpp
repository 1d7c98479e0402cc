#include "cli/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace parcours::cli {
namespace {

TEST(ConfigTest, DefaultsThenFileThenEnvThenFlags) {
  std::string path = testing::TempDir() + "/parcours-config-test.conf";
  {
    std::ofstream f(path);
    f << "# comment\nport = 7000\nbind = 0.0.0.0\nlog-level = warn\n";
  }
  auto c = Config::Parse({"--config", path, "--port=9000"},
                         {{"PARCOURS_PORT", "8000"}, {"PARCOURS_BIND", "127.0.0.2"}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->Get("port"), "9000");
  EXPECT_EQ(c->Source("port"), "flag");
  EXPECT_EQ(c->Get("bind"), "127.0.0.2");
  EXPECT_EQ(c->Source("bind"), "env");
  EXPECT_EQ(c->Get("log-level"), "warn");
  EXPECT_EQ(c->Source("log-level"), "file");
  EXPECT_EQ(c->Get("database"), "sqlite:./var/parcours.db");
  std::remove(path.c_str());
}

TEST(ConfigTest, ErrorsNameTheSetting) {
  auto unknown = Config::Parse({"--nope", "1"}, {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().field(), "nope");
  auto missing = Config::Parse({"--port"}, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().field(), "port");
  auto c = Config::Parse({"--port", "99999"}, {});
  ASSERT_TRUE(c.ok());
  auto port = c->GetInt("port", 0, 65535);
  ASSERT_FALSE(port.ok());
  EXPECT_EQ(port.status().field(), "port");
  auto bad_file = Config::Parse({"--config", "/nonexistent/file"}, {});
  EXPECT_FALSE(bad_file.ok());
}

TEST(ConfigTest, HelpAndPositional) {
  auto c = Config::Parse({"backup.db", "--help"}, {});
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->help());
  ASSERT_EQ(c->positional().size(), 1u);
  EXPECT_EQ(c->positional()[0], "backup.db");
}

}  // namespace
}  // namespace parcours::cli
