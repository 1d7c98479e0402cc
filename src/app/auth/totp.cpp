#include "app/auth/totp.h"

#include <liboath/oath.h>

#include <cstdlib>
#include <mutex>

#include "app/clock.h"

namespace parcours::app::totp {
namespace {

void InitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { (void)oath_init(); });
}

std::string PercentEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~' || c == '@') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string NewSecret(Random& random) { return random.Bytes(kSecretBytes); }

std::string Base32(std::string_view raw) {
  InitOnce();
  char* out = nullptr;
  size_t len = 0;
  if (oath_base32_encode(raw.data(), raw.size(), &out, &len) != OATH_OK || !out) return {};
  std::string s(out, len);
  std::free(out);
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

std::optional<std::string> FromBase32(std::string_view base32) {
  InitOnce();
  std::string in(base32);
  while (in.size() % 8 != 0) in += '=';
  char* out = nullptr;
  size_t len = 0;
  if (oath_base32_decode(in.data(), in.size(), &out, &len) != OATH_OK || !out) return std::nullopt;
  std::string s(out, len);
  std::free(out);
  return s;
}

std::string Uri(std::string_view issuer, std::string_view account, std::string_view raw_secret) {
  return "otpauth://totp/" + PercentEncode(issuer) + ":" + PercentEncode(account) +
         "?secret=" + Base32(raw_secret) + "&issuer=" + PercentEncode(issuer) +
         "&algorithm=SHA1&digits=6&period=30";
}

std::string Generate(std::string_view raw_secret, domain::TimestampMs now_ms) {
  InitOnce();
  char otp[kDigits + 1] = {};
  if (oath_totp_generate(raw_secret.data(), raw_secret.size(), static_cast<time_t>(now_ms / 1000),
                         kPeriodSeconds, OATH_TOTP_DEFAULT_START_TIME, kDigits, otp) != OATH_OK) {
    return {};
  }
  return std::string(otp, kDigits);
}

std::optional<std::int64_t> Verify(std::string_view raw_secret, std::string_view code,
                                   domain::TimestampMs now_ms, std::int64_t last_step) {
  InitOnce();
  std::string c;
  for (char ch : code) {
    if (ch == ' ') continue;  // "123 456" as some apps show it
    if (ch < '0' || ch > '9') return std::nullopt;
    c += ch;
  }
  if (c.size() != static_cast<std::size_t>(kDigits) || raw_secret.empty()) return std::nullopt;
  int pos = 0;
  uint64_t counter = 0;
  int rc = oath_totp_validate3(
      raw_secret.data(), raw_secret.size(), static_cast<time_t>(now_ms / 1000), kPeriodSeconds,
      OATH_TOTP_DEFAULT_START_TIME, /*window=*/1, &pos, &counter, c.c_str());
  if (rc < 0) return std::nullopt;
  auto step = static_cast<std::int64_t>(counter);
  if (step <= last_step) return std::nullopt;
  return step;
}

}  // namespace parcours::app::totp
