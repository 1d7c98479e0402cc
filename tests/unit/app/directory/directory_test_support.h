// Helpers of the directory use-case tests: a fresh SQLite database in a
// temporary directory, a fixed clock, fixture paths.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "app/clock.h"
#include "storage/storage.h"

namespace parcours::app::testing {

class FixedClock : public Clock {
 public:
  explicit FixedClock(domain::TimestampMs t) : t_(t) {}
  domain::TimestampMs NowMs() const override { return t_; }
  void Set(domain::TimestampMs t) { t_ = t; }

 private:
  domain::TimestampMs t_;
};

class TempDatabase {
 public:
  TempDatabase() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "parcours-dir-XXXXXX").string();
    if (mkdtemp(tmpl.data()) != nullptr) dir_ = tmpl;
    auto s = storage::OpenStorage("sqlite:" + dir_ + "/test.db", 2);
    if (s.ok()) {
      storage_ = std::move(*s);
      auto v = storage_->Migrate();
      if (!v.ok()) storage_.reset();
    }
  }
  ~TempDatabase() {
    storage_.reset();
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  storage::Storage* get() { return storage_.get(); }
  storage::Storage& operator*() { return *storage_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::unique_ptr<storage::Storage> storage_;
};

inline std::string Fixture(const std::string& name) {
  return std::string(PARCOURS_SOURCE_DIR) + "/tests/fixtures/directory/" + name;
}

}  // namespace parcours::app::testing
