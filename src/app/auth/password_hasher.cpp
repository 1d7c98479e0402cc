#include "app/auth/password_hasher.h"

#include <sodium.h>

namespace parcours::app {

PasswordHasher::PasswordHasher(Options options) : options_(options) {
  static const int init = sodium_init();
  (void)init;
}

Status PasswordHasher::Acquire() {
  core::MutexLock lock(mu_);
  if (!lock.WaitFor(cv_, options_.wait,
                    [this]() REQUIRES(mu_) { return in_flight_ < options_.max_concurrent; })) {
    return Status::Unavailable("too many password checks at once; try again shortly");
  }
  ++in_flight_;
  if (in_flight_ > peak_) peak_ = in_flight_;
  return Status::Ok();
}

void PasswordHasher::Release() {
  {
    core::MutexLock lock(mu_);
    --in_flight_;
  }
  cv_.notify_one();
}

int PasswordHasher::PeakInFlight() const {
  core::MutexLock lock(mu_);
  return peak_;
}

Result<std::string> PasswordHasher::Hash(std::string_view password) {
  if (password.empty() || password.size() > kMaxPasswordBytes) {
    return Status::InvalidArgument("password", "password is empty or too long");
  }
  PARCOURS_RETURN_IF_ERROR(Acquire());
  char out[crypto_pwhash_STRBYTES];
  int rc = crypto_pwhash_str_alg(out, password.data(), password.size(), options_.ops_limit,
                                 options_.memory_bytes, crypto_pwhash_ALG_ARGON2ID13);
  Release();
  if (rc != 0) return Status::Unavailable("out of memory hashing a password");
  return std::string(out);
}

const std::string& PasswordHasher::DummyHash() {
  std::call_once(dummy_once_, [this] {
    char out[crypto_pwhash_STRBYTES];
    static const char kDummy[] = "parcours-dummy-password";
    if (crypto_pwhash_str_alg(out, kDummy, sizeof kDummy - 1, options_.ops_limit,
                              options_.memory_bytes, crypto_pwhash_ALG_ARGON2ID13) == 0) {
      dummy_ = out;
    }
  });
  return dummy_;
}

Result<bool> PasswordHasher::Verify(std::string_view stored, std::string_view password) {
  if (password.size() > kMaxPasswordBytes) return false;
  bool real = !stored.empty();
  std::string hash(real ? stored : std::string_view(DummyHash()));
  if (hash.empty()) return false;
  PARCOURS_RETURN_IF_ERROR(Acquire());
  int rc = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size());
  Release();
  return real && rc == 0;
}

Status CheckNewPassword(std::string_view password) {
  if (password.size() > PasswordHasher::kMaxPasswordBytes) {
    return Status::InvalidArgument("password", "password is longer than 1024 bytes");
  }
  std::size_t chars = 0;
  for (std::size_t i = 0; i < password.size();) {
    unsigned char c = static_cast<unsigned char>(password[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > password.size()) {
      return Status::InvalidArgument("password", "password is not valid UTF-8");
    }
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(password[i + k]) >> 6) != 2) {
        return Status::InvalidArgument("password", "password is not valid UTF-8");
      }
    }
    if (c < 0x20 || c == 0x7f) {
      return Status::InvalidArgument("password", "password contains a control character");
    }
    i += n;
    ++chars;
  }
  if (chars < PasswordHasher::kMinPasswordChars) {
    return Status::InvalidArgument("password", "password must have at least 12 characters");
  }
  return Status::Ok();
}

}  // namespace parcours::app
