// Password hashing with argon2id (libsodium crypto_pwhash_str), with a
// bounded number of hashes computed at once: each hash holds `memory_bytes`
// for its duration, so a flood of logins can use at most
// max_concurrent × memory_bytes, whatever the number of request threads.
// Callers beyond the bound wait for a slot up to `wait`, then get
// kUnavailable (the HTTP layer answers 503) instead of queueing forever.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/thread_annotations.h"

namespace parcours::app {

class PasswordHasher {
 public:
  struct Options {
    int max_concurrent = 2;
    unsigned long long ops_limit = 2;        // crypto_pwhash_OPSLIMIT_INTERACTIVE
    std::size_t memory_bytes = 64ull << 20;  // crypto_pwhash_MEMLIMIT_INTERACTIVE
    std::chrono::milliseconds wait{10000};
  };
  explicit PasswordHasher(Options options);

  // argon2id string ("$argon2id$v=19$m=…"). kInvalidArgument on an empty or
  // over-long password (field "password").
  Result<std::string> Hash(std::string_view password);
  // True when the password matches the stored string. An empty stored
  // string (no password set) is checked against a dummy hash, so the time
  // taken does not reveal whether an account has a password.
  Result<bool> Verify(std::string_view stored, std::string_view password);

  std::size_t MemoryBound() const {
    return static_cast<std::size_t>(options_.max_concurrent) * options_.memory_bytes;
  }
  // Highest number of hashes ever computed at once (tests, metrics).
  int PeakInFlight() const;

  static constexpr std::size_t kMaxPasswordBytes = 1024;
  static constexpr std::size_t kMinPasswordChars = 12;

 private:
  Status Acquire();
  void Release();
  const std::string& DummyHash();

  const Options options_;
  mutable core::Mutex mu_;
  std::condition_variable cv_;
  int in_flight_ GUARDED_BY(mu_) = 0;
  int peak_ GUARDED_BY(mu_) = 0;
  std::once_flag dummy_once_;
  std::string dummy_;
};

// Checks a new password: at least kMinPasswordChars characters (UTF-8 code
// points), at most kMaxPasswordBytes bytes, valid UTF-8. Field "password".
Status CheckNewPassword(std::string_view password);

}  // namespace parcours::app
