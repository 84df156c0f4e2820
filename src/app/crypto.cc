#include "huiyin/app/crypto.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <semaphore>
#include <stdexcept>
#include <system_error>

namespace huiyin::app {
namespace {

constexpr char kPiiContext[crypto_kdf_CONTEXTBYTES + 1] = "hy-pii__";
constexpr char kIndexContext[crypto_kdf_CONTEXTBYTES + 1] = "hy-index";
constexpr std::string_view kCipherPrefix = "v1:";

static_assert(crypto_secretbox_KEYBYTES == Crypto::kKeyBytes);
static_assert(crypto_kdf_KEYBYTES == Crypto::kKeyBytes);

void InitSodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

std::string ToBase64(const unsigned char* data, size_t size, int variant) {
  std::string out(sodium_base64_encoded_len(size, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string ToHex(const unsigned char* data, size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.resize(size * 2);
  return out;
}

std::string Errno(const char* what, const std::filesystem::path& path) {
  return std::string(what) + " " + path.string() + ": " + std::strerror(errno);
}

}  // namespace

CryptoOptions CryptoOptions::ForTests() {
  CryptoOptions o;
  o.pwhash_ops = crypto_pwhash_OPSLIMIT_MIN;
  o.pwhash_mem = crypto_pwhash_MEMLIMIT_MIN;
  return o;
}

struct Crypto::State {
  std::array<unsigned char, kKeyBytes> pii_key{};
  std::array<unsigned char, kKeyBytes> index_key{};
  uint64_t ops = 0;
  size_t mem = 0;
  std::counting_semaphore<> hashing;
  std::once_flag dummy_once;
  std::string dummy_hash;

  explicit State(int permits) : hashing(permits) {}
  ~State() {
    sodium_memzero(pii_key.data(), pii_key.size());
    sodium_memzero(index_key.data(), index_key.size());
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
};

namespace {
// Holds one permit of the hashing semaphore for a scope.
class HashPermit {
 public:
  explicit HashPermit(std::counting_semaphore<>& s) : s_(s) { s_.acquire(); }
  ~HashPermit() { s_.release(); }
  HashPermit(const HashPermit&) = delete;
  HashPermit& operator=(const HashPermit&) = delete;

 private:
  std::counting_semaphore<>& s_;
};
}  // namespace

Result<Crypto> Crypto::FromKey(std::string_view key, CryptoOptions options) {
  InitSodium();
  if (key.size() != kKeyBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the master key must be exactly 32 bytes, got " + std::to_string(key.size()));
  }
  int permits = options.max_concurrent_hashes < 1 ? 1 : options.max_concurrent_hashes;
  auto state = std::make_shared<State>(permits);
  const auto* master = reinterpret_cast<const unsigned char*>(key.data());
  crypto_kdf_derive_from_key(state->pii_key.data(), kKeyBytes, 1, kPiiContext, master);
  crypto_kdf_derive_from_key(state->index_key.data(), kKeyBytes, 2, kIndexContext, master);
  state->ops = options.pwhash_ops ? options.pwhash_ops : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  state->mem = options.pwhash_mem ? options.pwhash_mem : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  return Crypto(std::move(state));
}

Result<Crypto> Crypto::FromKeyFile(const std::filesystem::path& path, CryptoOptions options) {
  InitSodium();
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return MakeError(ErrorCode::kInvalidArgument, Errno("cannot stat", path));
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    std::array<unsigned char, kKeyBytes> key{};
    crypto_kdf_keygen(key.data());
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
      return MakeError(ErrorCode::kInvalidArgument, Errno("cannot create key file", path));
    bool written =
        ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
      ::unlink(path.c_str());
      return MakeError(ErrorCode::kInvalidArgument, Errno("cannot write key file", path));
    }
    auto crypto =
        FromKey(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), options);
    sodium_memzero(key.data(), key.size());
    return crypto;
  }
  if (!S_ISREG(st.st_mode)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "key file " + path.string() + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "key file " + path.string() +
                         " is readable by group or others; run `chmod 600 " + path.string() + "`");
  }
  if (st.st_size != static_cast<off_t>(kKeyBytes)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "key file " + path.string() + " must hold exactly 32 bytes, it has " +
                         std::to_string(st.st_size) + "; restore the right key file from backup");
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return MakeError(ErrorCode::kInvalidArgument, Errno("cannot open key file", path));
  std::array<char, kKeyBytes> key{};
  ssize_t n = ::read(fd, key.data(), key.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(kKeyBytes)) {
    return MakeError(ErrorCode::kInvalidArgument, Errno("cannot read key file", path));
  }
  auto crypto = FromKey(std::string_view(key.data(), key.size()), options);
  sodium_memzero(key.data(), key.size());
  return crypto;
}

std::string Crypto::Encrypt(std::string_view plaintext) const {
  std::string buf(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(buf.data());
  randombytes_buf(out, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        out, state_->pii_key.data());
  return std::string(kCipherPrefix) + ToBase64(out, buf.size(), sodium_base64_VARIANT_ORIGINAL);
}

Result<std::string> Crypto::Decrypt(std::string_view ciphertext) const {
  auto fail = [] {
    return MakeError(ErrorCode::kInternal,
                     "encrypted value cannot be decrypted (altered, or another key file)");
  };
  if (!ciphertext.starts_with(kCipherPrefix)) return fail();
  ciphertext.remove_prefix(kCipherPrefix.size());
  std::string bin(ciphertext.size(), '\0');
  size_t bin_len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), ciphertext.data(),
                        ciphertext.size(), nullptr, &bin_len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      bin_len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return fail();
  }
  const auto* in = reinterpret_cast<const unsigned char*>(bin.data());
  size_t boxed = bin_len - crypto_secretbox_NONCEBYTES;
  std::string plain(boxed - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 in + crypto_secretbox_NONCEBYTES, boxed, in,
                                 state_->pii_key.data()) != 0) {
    return fail();
  }
  return plain;
}

std::string Crypto::BlindIndex(std::string_view kind, std::string_view value) const {
  std::array<unsigned char, 32> out{};
  crypto_generichash_state st;
  crypto_generichash_init(&st, state_->index_key.data(), state_->index_key.size(), out.size());
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(kind.data()), kind.size());
  const unsigned char sep = 0;
  crypto_generichash_update(&st, &sep, 1);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(value.data()),
                            value.size());
  crypto_generichash_final(&st, out.data(), out.size());
  return ToHex(out.data(), out.size());
}

Result<std::string> Crypto::HashPassword(std::string_view password) const {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  HashPermit permit(state_->hashing);
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), state_->ops, state_->mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return MakeError(ErrorCode::kInternal, "password hashing ran out of memory");
  }
  return std::string(out.data());
}

bool Crypto::VerifyPassword(std::string_view hash, std::string_view password) const {
  std::string h(hash);  // NUL-terminated copy
  HashPermit permit(state_->hashing);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

void Crypto::VerifyDummyPassword(std::string_view password) const {
  std::call_once(state_->dummy_once, [&] {
    auto h = HashPassword(RandomToken(16));
    state_->dummy_hash = h.ok() ? *h : std::string();
  });
  if (!state_->dummy_hash.empty()) (void)VerifyPassword(state_->dummy_hash, password);
}

std::string Crypto::RandomToken(size_t bytes) {
  InitSodium();
  std::string buf(bytes, '\0');
  randombytes_buf(buf.data(), buf.size());
  std::string out = ToBase64(reinterpret_cast<const unsigned char*>(buf.data()), buf.size(),
                             sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(buf.data(), buf.size());
  return out;
}

std::string Crypto::RandomPassword(size_t length) {
  InitSodium();
  if (length < 12) length = 12;
  static constexpr std::string_view kClasses[] = {
      "abcdefghijkmnopqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "!#%+-=?@_"};
  static const std::string kAll = [] {
    std::string all;
    for (auto c : kClasses) all += c;
    return all;
  }();
  std::string out(length, '\0');
  // One character of each class at random positions, the rest from the whole alphabet.
  for (auto& c : out) c = kAll[randombytes_uniform(static_cast<uint32_t>(kAll.size()))];
  std::array<size_t, 4> pos{};
  for (size_t i = 0; i < pos.size(); ++i) {
    bool fresh;
    do {
      pos[i] = randombytes_uniform(static_cast<uint32_t>(length));
      fresh = true;
      for (size_t j = 0; j < i; ++j) fresh = fresh && pos[j] != pos[i];
    } while (!fresh);
    const auto& cls = kClasses[i];
    out[pos[i]] = cls[randombytes_uniform(static_cast<uint32_t>(cls.size()))];
  }
  return out;
}

std::string Crypto::Sha256Hex(std::string_view data) {
  InitSodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> out{};
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return ToHex(out.data(), out.size());
}

}  // namespace huiyin::app
