#include "app/crypto/sealer.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "app/clock.h"

namespace parcours::app {
namespace {

void InitSodium() {
  static const int init = sodium_init();
  (void)init;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

Result<Sealer> Sealer::FromHex(std::string_view hex) {
  InitSodium();
  const std::string t = Trim(hex);
  Sealer s;
  std::size_t len = 0;
  if (t.size() != 2 * kKeyBytes ||
      sodium_hex2bin(s.key_.data(), s.key_.size(), t.data(), t.size(), nullptr, &len, nullptr) !=
          0 ||
      len != kKeyBytes) {
    return Status::InvalidArgument("secret-key", "the key must be 64 hexadecimal characters");
  }
  return s;
}

Result<Sealer> Sealer::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read key file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  auto s = FromHex(ss.str());
  if (!s.ok()) return Status::InvalidArgument("key-file", path + ": " + s.status().message());
  return s;
}

Status Sealer::NewKeyFile(const std::string& path, Random& random) {
  InitSodium();
  const std::string raw = random.Bytes(kKeyBytes);
  std::string hex(2 * kKeyBytes + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  hex.back() = '\n';
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Status::Conflict("key file " + path + " already exists");
    return Status::Unavailable("cannot create key file " + path + ": " + std::strerror(errno));
  }
  const bool ok =
      ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Status::Unavailable("cannot write key file " + path);
  return Status::Ok();
}

std::vector<unsigned char> Sealer::Seal(std::string_view plaintext) const {
  InitSodium();
  std::vector<unsigned char> out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                 plaintext.size());
  randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        out.data(), key_.data());
  return out;
}

Result<std::string> Sealer::Open(const std::vector<unsigned char>& sealed) const {
  InitSodium();
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return Status::InvalidArgument("contact", "sealed contact data is truncated");
  }
  std::string out(sealed.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(out.data()), sealed.data() + crypto_secretbox_NONCEBYTES,
          sealed.size() - crypto_secretbox_NONCEBYTES, sealed.data(), key_.data()) != 0) {
    return Status::InvalidArgument("contact", "sealed contact data does not open with this key");
  }
  return out;
}

std::string Sealer::Fingerprint() const {
  InitSodium();
  static constexpr char kLabel[] = "parcours-dpp contact key fingerprint v1";
  unsigned char h[16];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(kLabel), sizeof kLabel - 1,
                     key_.data(), key_.size());
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

std::string Sealer::Mac(std::string_view context, std::string_view message) const {
  InitSodium();
  char ctx[crypto_kdf_CONTEXTBYTES] = {};
  std::memcpy(ctx, context.data(), std::min(context.size(), sizeof ctx));
  unsigned char subkey[crypto_generichash_KEYBYTES];
  crypto_kdf_derive_from_key(subkey, sizeof subkey, 1, ctx, key_.data());
  unsigned char h[16];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size(), subkey, sizeof subkey);
  sodium_memzero(subkey, sizeof subkey);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

}  // namespace parcours::app
