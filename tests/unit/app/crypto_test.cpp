#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "app/clock.h"
#include "app/crypto/contact_key.h"
#include "app/crypto/sealer.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "parcours-crypto-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return (fs::path(path_) / name).string(); }

 private:
  std::string path_;
};

constexpr const char* kKeyA = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kKeyB = "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

TEST(Sealer, SealsAndOpensWithTheSameKeyOnly) {
  auto a = Sealer::FromHex(kKeyA);
  auto b = Sealer::FromHex(kKeyB);
  ASSERT_TRUE(a.ok() && b.ok());
  auto box = a->Seal("{\"phone\":\"0612345678\"}");
  EXPECT_EQ(std::string(box.begin(), box.end()).find("0612345678"), std::string::npos);
  auto opened = a->Open(box);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "{\"phone\":\"0612345678\"}");
  EXPECT_FALSE(b->Open(box).ok());
  auto tampered = box;
  tampered.back() ^= 1;
  EXPECT_FALSE(a->Open(tampered).ok());
  EXPECT_FALSE(a->Open({1, 2, 3}).ok());
  // A fresh nonce each time: the same text never seals to the same bytes.
  EXPECT_NE(a->Seal("x"), a->Seal("x"));
  EXPECT_NE(a->Fingerprint(), b->Fingerprint());
  EXPECT_EQ(a->Fingerprint().find(kKeyA), std::string::npos);
}

TEST(Sealer, RefusesMalformedKeys) {
  EXPECT_FALSE(Sealer::FromHex("").ok());
  EXPECT_FALSE(Sealer::FromHex("00").ok());
  EXPECT_FALSE(Sealer::FromHex(std::string(64, 'g')).ok());
  EXPECT_TRUE(Sealer::FromHex(std::string(kKeyA) + "\n").ok());
}

TEST(Sealer, NewKeyFileIsPrivateAndNeverOverwritten) {
  TempDir dir;
  SystemRandom random;
  const std::string path = dir / "contact.key";
  ASSERT_TRUE(Sealer::NewKeyFile(path, random).ok());
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto first = Sealer::FromFile(path);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(Sealer::NewKeyFile(path, random).code(), StatusCode::kConflict);
  EXPECT_EQ(Sealer::FromFile(path)->Fingerprint(), first->Fingerprint());
}

TEST(ContactKey, CreatedOnANewDatabaseThenCheckedAgainstItsFingerprint) {
  TempDir dir;
  SystemRandom random;
  auto storage = storage::OpenStorage("sqlite:" + (dir / "db.sqlite"));
  ASSERT_TRUE(storage.ok());
  ASSERT_TRUE((*storage)->Migrate().ok());
  const std::string key = dir / "keys/contact.key";
  auto first = OpenContactKey(**storage, key, random);
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto again = OpenContactKey(**storage, key, random);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->Fingerprint(), first->Fingerprint());

  // The wrong key is refused, never used.
  fs::remove(key);
  {
    std::ofstream out(key);
    out << kKeyB << "\n";
  }
  auto wrong = OpenContactKey(**storage, key, random);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().field(), "key-file");

  // A missing key on a database that has one is refused, not recreated.
  fs::remove(key);
  auto missing = OpenContactKey(**storage, key, random);
  ASSERT_FALSE(missing.ok());
  EXPECT_FALSE(fs::exists(key));
}

}  // namespace
}  // namespace parcours::app
