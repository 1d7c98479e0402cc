// The SQLite backend's health probe: it must notice a database file that
// was deleted or replaced under the running server (pooled connections
// would go on answering from the old file).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "storage/storage.h"

namespace parcours::storage {
namespace {

class SqlitePingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/parcours-ping-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/p.db";
    auto s = OpenStorage("sqlite:" + path_, 2);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->Migrate().ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string dir_, path_;
  std::unique_ptr<Storage> store_;
};

TEST_F(SqlitePingTest, OkOnThePooledReaderAndReturnsIt) {
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(store_->Ping().ok());
  EXPECT_EQ(store_->Stats().in_use, 0);  // the reader went back to the pool
}

TEST_F(SqlitePingTest, UnavailableOnceTheFileIsGone) {
  ASSERT_TRUE(store_->Ping().ok());
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  const Status st = store_->Ping();
  EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st.ToString();
}

TEST_F(SqlitePingTest, UnavailableOnceTheFileIsReplaced) {
  ASSERT_TRUE(store_->Ping().ok());
  // Another database moved over the path (a careless restore): same name,
  // another file.
  const std::string other = dir_ + "/other.db";
  {
    auto s = OpenStorage("sqlite:" + other, 1);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->Migrate().ok());
  }
  std::filesystem::rename(other, path_);
  const Status st = store_->Ping();
  EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st.ToString();
}

}  // namespace
}  // namespace parcours::storage
