// Cryptography for accounts and personal data, on libsodium: field encryption of personal
// identifiers, blind indexes for exact-match lookup, argon2id password hashes, random tokens and
// SHA-256. Everything is derived from one 32-byte master key (the key file):
//  - PII encryption key  = crypto_kdf(master, id 1, context "hy-pii__")  → crypto_secretbox
//  - blind-index key     = crypto_kdf(master, id 2, context "hy-index")  → keyed BLAKE2b
// Losing the key file makes every encrypted identifier unreadable and every blind index useless:
// back it up with the database, separately from it.
//
// A Crypto is cheap to copy (copies share state) and every method is thread-safe. Password hashing
// at INTERACTIVE limits costs ~64 MiB and ~100 ms; a counting semaphore shared by the copies bounds
// how many hashes (and verifications) run at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "huiyin/common/result.h"

namespace huiyin::app {

// argon2id cost and the bound on concurrent hashing.
struct CryptoOptions {
  uint64_t pwhash_ops = 0;  // 0: crypto_pwhash_OPSLIMIT_INTERACTIVE
  size_t pwhash_mem = 0;    // 0: crypto_pwhash_MEMLIMIT_INTERACTIVE (64 MiB)
  int max_concurrent_hashes = 2;

  // The smallest limits libsodium accepts: for tests only (fast, weak).
  static CryptoOptions ForTests();
};

class Crypto {
 public:
  static constexpr size_t kKeyBytes = 32;

  // Reads the master key from `path`; if the file does not exist, creates it (mode 0600) with a
  // random key. Refuses (kInvalidArgument, saying how to fix it) a file that is group- or
  // world-accessible or is not exactly 32 bytes.
  static Result<Crypto> FromKeyFile(const std::filesystem::path& path, CryptoOptions options = {});
  // Uses `key` (exactly 32 bytes) as the master key: for tests and tools.
  static Result<Crypto> FromKey(std::string_view key, CryptoOptions options = {});

  // Encrypts with a random nonce: "v1:" + base64(nonce ‖ MAC ‖ ciphertext).
  std::string Encrypt(std::string_view plaintext) const;
  // Decrypts what Encrypt produced; kInternal when it was altered or made with another key.
  Result<std::string> Decrypt(std::string_view ciphertext) const;
  // Lower-case hex keyed BLAKE2b-256 of `kind` and `value` for exact-match lookup ("phone",
  // "id_number"). Callers normalise `value` first (e.g. core::NormalizeMobile).
  std::string BlindIndex(std::string_view kind, std::string_view value) const;

  // An argon2id hash in the standard "$argon2id$..." encoding; blocks while too many run.
  // kInternal only when memory is exhausted.
  Result<std::string> HashPassword(std::string_view password) const;
  // True when `password` matches `hash`; false for a malformed hash. Same concurrency bound.
  bool VerifyPassword(std::string_view hash, std::string_view password) const;
  // Spends the same time as VerifyPassword against a real hash: for unknown users, so that
  // timing does not reveal which user names exist.
  void VerifyDummyPassword(std::string_view password) const;

  // `bytes` random bytes in unpadded base64url (32 bytes → 43 characters).
  static std::string RandomToken(size_t bytes = 32);
  // A random password of `length` (≥ 12) characters with lower, upper, digits and symbols.
  static std::string RandomPassword(size_t length = 16);
  // Lower-case hex SHA-256 of `data`.
  static std::string Sha256Hex(std::string_view data);

 private:
  struct State;
  explicit Crypto(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace huiyin::app
