// TOTP second factor (RFC 6238: HMAC-SHA-1, 6 digits, 30-second period, the
// parameters every authenticator app reads) computed by liboath, and the
// otpauth:// URI of the enrolment QR code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/common/types.h"

namespace parcours::app {

class Random;

namespace totp {

inline constexpr int kDigits = 6;
inline constexpr int kPeriodSeconds = 30;
inline constexpr std::size_t kSecretBytes = 20;  // 160 bits, as RFC 4226 recommends

// A new random secret (raw bytes).
std::string NewSecret(Random& random);
// RFC 4648 base32 without padding, as authenticator apps expect.
std::string Base32(std::string_view raw);
// The raw secret of a base32 key (as in an otpauth URI); nullopt if malformed.
std::optional<std::string> FromBase32(std::string_view base32);
// otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
std::string Uri(std::string_view issuer, std::string_view account, std::string_view raw_secret);

// The code of the time step containing now_ms (tests and the CLI check).
std::string Generate(std::string_view raw_secret, domain::TimestampMs now_ms);

// The time step of a valid code: the current step or one on either side
// (clock drift), strictly after last_step (a code is accepted once).
// nullopt for a wrong, malformed or replayed code.
std::optional<std::int64_t> Verify(std::string_view raw_secret, std::string_view code,
                                   domain::TimestampMs now_ms, std::int64_t last_step);

}  // namespace totp
}  // namespace parcours::app
