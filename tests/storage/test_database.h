// A fresh, empty database for one test, on the backend chosen by the
// environment:
//   PARCOURS_TEST_DATABASE unset        a new SQLite file in a new temp dir
//   PARCOURS_TEST_DATABASE=sqlite:DIR   a new SQLite file in DIR (created)
//   PARCOURS_TEST_DATABASE=postgresql://…  a new schema in that database,
//       selected through the connection's search_path and dropped afterwards
// (scripts/with-postgres.sh starts a throw-away server and sets the variable).
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include <memory>

#include "storage/postgres/postgres_storage.h"
#include "storage/sqlite/sqlite_internal.h"
#include "storage/storage.h"

namespace parcours::storage::test_support {

inline std::string RandomSuffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  std::string s = std::to_string(getpid()) + "_" + std::to_string(counter++) + "_";
  const char* hex = "0123456789abcdef";
  for (int i = 0; i < 8; ++i) s += hex[rd() % 16];
  return s;
}

class TestDatabase {
 public:
  enum class Kind { kSqlite, kPostgres };

  TestDatabase() {
    const char* env = std::getenv("PARCOURS_TEST_DATABASE");
    std::string spec = env ? env : "";
    if (spec.rfind("postgresql://", 0) == 0 || spec.rfind("postgres://", 0) == 0) {
      kind_ = Kind::kPostgres;
      admin_url_ = spec;
      schema_ = "t_" + RandomSuffix();
      setup_ = ExecPostgresAdmin(admin_url_, "CREATE SCHEMA " + schema_);
      // options=-csearch_path=<schema>, percent-encoded, added to the URL.
      url_ = spec + (spec.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
             schema_ + "&application_name=" + schema_;
      return;
    }
    kind_ = Kind::kSqlite;
    std::filesystem::path dir;
    if (spec.rfind("sqlite:", 0) == 0 && spec.size() > 7) {
      dir = spec.substr(7);
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
    } else {
      std::string tmpl =
          (std::filesystem::temp_directory_path() / "parcours-storage-XXXXXX").string();
      if (mkdtemp(tmpl.data()) == nullptr) {
        setup_ = Status::Internal("mkdtemp failed");
        return;
      }
      dir = tmpl;
      temp_dir_ = dir;
    }
    file_ = dir / ("conformance_" + RandomSuffix() + ".db");
    url_ = "sqlite:" + file_.string();
  }

  ~TestDatabase() {
    if (kind_ == Kind::kPostgres) {
      if (setup_.ok()) (void)ExecPostgresAdmin(admin_url_, "DROP SCHEMA " + schema_ + " CASCADE");
      return;
    }
    std::error_code ec;
    if (!temp_dir_.empty()) {
      std::filesystem::remove_all(temp_dir_, ec);
    } else if (!file_.empty()) {
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::filesystem::remove(file_.string() + suffix, ec);
      }
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Kind kind() const { return kind_; }
  // Non-OK when the database could not be prepared.
  const Status& setup() const { return setup_; }
  // URL for OpenStorage(), pointing at this test's empty database.
  const std::string& url() const { return url_; }
  // PostgreSQL only: the server URL without the test's schema, and the
  // schema (also the application_name of this test's connections).
  const std::string& admin_url() const { return admin_url_; }
  const std::string& schema() const { return schema_; }

  // Runs sql on this test's database behind the storage's back, e.g. to
  // plant a corrupt row. Tests only; never with untrusted input.
  Status ExecRaw(const std::string& sql) const {
    if (kind_ == Kind::kPostgres) {
      return ExecPostgresAdmin(admin_url_, "SET search_path TO " + schema_ + "; " + sql);
    }
    auto conn = sqlite_internal::OpenConn(file_.string(), /*read_only=*/false);
    if (!conn.ok()) return conn.status();
    return (*conn)->Exec(sql.c_str());
  }

 private:
  Kind kind_ = Kind::kSqlite;
  Status setup_;
  std::string url_;
  std::string admin_url_;
  std::string schema_;
  std::filesystem::path temp_dir_;
  std::filesystem::path file_;
};

// A fixture with a fresh database (db_) and its storage, migrated (store_).
// A suite that needs rows first calls MigratedStorageTest::SetUp() from its
// own SetUp.
class MigratedStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.setup().ok()) << db_.setup().ToString();
    auto s = OpenStorage(db_.url(), 4);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    auto v = store_->Migrate();
    ASSERT_TRUE(v.ok()) << v.status().ToString();
  }

  TestDatabase db_;
  std::unique_ptr<Storage> store_;
};

}  // namespace parcours::storage::test_support
