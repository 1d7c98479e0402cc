// Bearer secrets (session cookies, CSRF tokens, one-time links): random,
// URL-safe, and stored only as a hash so a copy of the database opens no
// session and no link.
#pragma once

#include <string>
#include <string_view>

namespace parcours::app {

class Random;

// 32 random bytes as unpadded base64url (43 characters).
std::string NewSecretToken(Random& random);
// Hex BLAKE2b-256 of the token, as stored.
std::string HashSecretToken(std::string_view token);
// Constant-time equality.
bool SecretEquals(std::string_view a, std::string_view b);

}  // namespace parcours::app
