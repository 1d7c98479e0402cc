#include "cli/cli_common.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "storage/storage.h"

namespace parcours::cli {
namespace {

int ExitCode(const Status& st) {
  return st.code() == StatusCode::kInvalidArgument || st.code() == StatusCode::kNotFound ? 2 : 1;
}

// The file path of a SQLite URL ("sqlite:PATH" or PATH).
std::string SqlitePath(const std::string& url) {
  return url.starts_with("sqlite:") ? url.substr(7) : url;
}

}  // namespace

int Fail(const Status& st) {
  if (st.code() == StatusCode::kInvalidArgument && !st.field().empty() &&
      st.message().find('\n') != std::string::npos) {
    std::fprintf(stderr, "parcours: invalid fields:\n%s\n", st.message().c_str());
  } else {
    std::fprintf(stderr, "parcours: %s%s%s\n", st.field().empty() ? "" : st.field().c_str(),
                 st.field().empty() ? "" : ": ", st.message().c_str());
  }
  return ExitCode(st);
}

int FailMessage(const Status& st) {
  std::fprintf(stderr, "parcours: %s\n", st.message().c_str());
  return ExitCode(st);
}

std::string Actor(const Config& c) {
  if (!c.Get("actor").empty()) return c.Get("actor");
  const char* user = std::getenv("USER");
  return std::string("cli:") + (user ? user : "unknown");
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    std::string item = s.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(std::move(item));
    start = end + 1;
  }
  return out;
}

std::string ShareDir(const Config& c) {
  std::string d = c.Get("share-dir");
  return d.empty() ? std::string(PARCOURS_DEFAULT_SHARE_DIR) : d;
}

Result<std::unique_ptr<storage::Storage>> OpenDatabase(const Config& c) {
  auto pool = c.GetInt("db-pool", 1, 256);
  if (!pool.ok()) return pool.status();
  const std::string& url = c.Get("database");
  if (!url.starts_with("postgres")) {
    // Creates the parent directory of a SQLite file so a fresh checkout works.
    auto parent = std::filesystem::path(SqlitePath(url)).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  auto st = storage::OpenStorage(url, *pool);
  if (!st.ok()) return st.status();
  auto v = (*st)->Migrate();
  if (!v.ok()) return v.status();
  return st;
}

Result<std::string> KeyFile(const Config& c) {
  std::string key_file = c.Get("key-file");
  if (!key_file.empty()) return key_file;
  const std::string& url = c.Get("database");
  if (url.starts_with("postgres")) {
    return Status::InvalidArgument("key-file", "--key-file is required with PostgreSQL");
  }
  return (std::filesystem::path(SqlitePath(url)).parent_path() / "contact.key").string();
}

}  // namespace parcours::cli
