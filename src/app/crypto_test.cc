#include "huiyin/app/crypto.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

namespace huiyin::app {
namespace {

namespace fs = std::filesystem;

Crypto TestCrypto(char fill = 'k') {
  return Crypto::FromKey(std::string(32, fill), CryptoOptions::ForTests()).value();
}

fs::path TempDir() {
  fs::path dir = fs::temp_directory_path() / ("huiyin-crypto-" + Crypto::RandomToken(6));
  fs::create_directories(dir);
  return dir;
}

TEST(Crypto, EncryptionRoundTripsAndUsesAFreshNonceEachTime) {
  Crypto c = TestCrypto();
  std::string a = c.Encrypt("13812345678");
  std::string b = c.Encrypt("13812345678");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find("13812345678"), std::string::npos);
  EXPECT_EQ(c.Decrypt(a).value(), "13812345678");
  EXPECT_EQ(c.Decrypt(b).value(), "13812345678");
  EXPECT_EQ(c.Decrypt(c.Encrypt("")).value(), "");
}

TEST(Crypto, AlteredCiphertextOrAnotherKeyFailsToDecrypt) {
  Crypto c = TestCrypto();
  std::string ct = c.Encrypt("11010519491231002X");
  std::string altered = ct;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(c.Decrypt(altered).ok());
  EXPECT_FALSE(TestCrypto('z').Decrypt(ct).ok());
  EXPECT_FALSE(c.Decrypt("not-a-ciphertext").ok());
}

TEST(Crypto, BlindIndexIsDeterministicPerKeyAndKind) {
  Crypto c = TestCrypto();
  std::string i1 = c.BlindIndex("phone", "13812345678");
  EXPECT_EQ(i1.size(), 64u);
  EXPECT_EQ(i1, c.BlindIndex("phone", "13812345678"));
  EXPECT_NE(i1, c.BlindIndex("id_number", "13812345678"));
  EXPECT_NE(i1, c.BlindIndex("phone", "13812345679"));
  EXPECT_NE(i1, TestCrypto('z').BlindIndex("phone", "13812345678"));
  // Not a plain hash of the value.
  EXPECT_NE(i1, Crypto::Sha256Hex("13812345678"));
}

TEST(Crypto, PasswordsHashWithArgon2idAndVerify) {
  Crypto c = TestCrypto();
  auto h = c.HashPassword("Correct-Horse-42");
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->starts_with("$argon2id$"));
  EXPECT_TRUE(c.VerifyPassword(*h, "Correct-Horse-42"));
  EXPECT_FALSE(c.VerifyPassword(*h, "correct-horse-42"));
  EXPECT_FALSE(c.VerifyPassword("garbage", "Correct-Horse-42"));
  c.VerifyDummyPassword("anything");  // must not crash, returns nothing
}

TEST(Crypto, ConcurrentHashingIsSafe) {
  Crypto c = TestCrypto();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      auto h = c.HashPassword("pw-" + std::to_string(i));
      if (h.ok() && c.VerifyPassword(*h, "pw-" + std::to_string(i))) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 6);
}

TEST(Crypto, RandomTokensAreUrlSafeAndDistinct) {
  std::string a = Crypto::RandomToken(32);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, Crypto::RandomToken(32));
  for (char ch : a)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_');
}

TEST(Crypto, RandomPasswordsHaveEveryCharacterClass) {
  for (int i = 0; i < 50; ++i) {
    std::string p = Crypto::RandomPassword(16);
    ASSERT_EQ(p.size(), 16u);
    bool lower = false, upper = false, digit = false, symbol = false;
    for (char ch : p) {
      auto u = static_cast<unsigned char>(ch);
      lower |= std::islower(u) != 0;
      upper |= std::isupper(u) != 0;
      digit |= std::isdigit(u) != 0;
      symbol |= std::ispunct(u) != 0;
    }
    EXPECT_TRUE(lower && upper && digit && symbol) << p;
  }
}

TEST(Crypto, Sha256OfAbcIsTheKnownVector) {
  EXPECT_EQ(Crypto::Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, KeyFileIsCreatedWith0600AndReusedOnTheNextStart) {
  fs::path dir = TempDir();
  fs::path key = dir / "sub" / "master.key";
  auto first = Crypto::FromKeyFile(key, CryptoOptions::ForTests());
  ASSERT_TRUE(first.ok()) << first.error().detail;
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  auto second = Crypto::FromKeyFile(key, CryptoOptions::ForTests());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->Decrypt(first->Encrypt("secret")).value(), "secret");
  fs::remove_all(dir);
}

TEST(Crypto, AWorldReadableKeyFileIsRefused) {
  fs::path dir = TempDir();
  fs::path key = dir / "master.key";
  ASSERT_TRUE(Crypto::FromKeyFile(key, CryptoOptions::ForTests()).ok());
  fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                           fs::perms::others_read);
  auto r = Crypto::FromKeyFile(key, CryptoOptions::ForTests());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("chmod 600"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Crypto, AKeyFileOfTheWrongSizeIsRefused) {
  fs::path dir = TempDir();
  fs::path key = dir / "master.key";
  { std::ofstream(key) << "too short"; }
  fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write);
  auto r = Crypto::FromKeyFile(key, CryptoOptions::ForTests());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("32 bytes"), std::string::npos);
  EXPECT_FALSE(Crypto::FromKey("short").ok());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace huiyin::app
