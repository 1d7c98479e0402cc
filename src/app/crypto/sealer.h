// Encryption at rest of parents' contact details (libsodium secretbox:
// XSalsa20-Poly1305, a random nonce per message). The key lives in a file or
// in the environment, never in the database; the database keeps only a
// fingerprint so a server started with the wrong key refuses to run instead
// of writing data nobody can read.
//
// Thread-safe after construction.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace parcours::app {

class Random;

class Sealer {
 public:
  static constexpr std::size_t kKeyBytes = 32;

  // hex: 64 hexadecimal characters (surrounding white space ignored).
  static Result<Sealer> FromHex(std::string_view hex);
  // Reads a key file written by NewKeyFile.
  static Result<Sealer> FromFile(const std::string& path);
  // Writes a new random key (hex) to path with mode 0600; refuses to
  // overwrite an existing file.
  static Status NewKeyFile(const std::string& path, Random& random);

  std::vector<unsigned char> Seal(std::string_view plaintext) const;
  // kInvalidArgument when the box was not sealed with this key or is damaged.
  Result<std::string> Open(const std::vector<unsigned char>& sealed) const;

  // Not secret: identifies the key (BLAKE2b keyed hash of a constant).
  std::string Fingerprint() const;

  // A keyed hash (BLAKE2b, 128 bits, hex) of `message` under a subkey of
  // this key derived for `context` (exactly 8 characters, e.g. "contactm"
  // for matching contact details, "formtokn" for form tokens). Equal inputs
  // give equal outputs; without the key nothing can be learnt or forged.
  std::string Mac(std::string_view context, std::string_view message) const;

 private:
  std::array<unsigned char, kKeyBytes> key_{};
};

}  // namespace parcours::app
