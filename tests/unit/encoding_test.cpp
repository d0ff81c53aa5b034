#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "crypto/encoding.hpp"
#include "crypto/keys.hpp"

namespace rekap {
namespace {

TEST(Encoding, HexAndBase64KnownValues) {
  crypto_init();
  // RFC 4648 test vectors.
  EXPECT_EQ(to_base64(as_bytes("foobar")), "Zm9vYmFy");
  EXPECT_EQ(to_base64(as_bytes("fo")), "Zm8=");
  auto back = from_base64("Zm9vYg==");
  ASSERT_TRUE(back);
  EXPECT_EQ(std::string(back->begin(), back->end()), "foob");
  EXPECT_FALSE(from_base64("Zm9vYg"));    // unpadded
  EXPECT_FALSE(from_base64("Zm9vYh=="));  // non-canonical trailing bits
  EXPECT_EQ(to_hex(as_bytes("\x01\xab")), "01ab");
  std::array<std::uint8_t, 2> out;
  EXPECT_TRUE(from_hex("01ab", out));
  EXPECT_FALSE(from_hex("01AB", out));  // one spelling only
  EXPECT_FALSE(from_hex("01a", out));
}

TEST(Keys, Sha256KnownValue) {
  crypto_init();
  EXPECT_EQ(to_hex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Keys, SignVerifyAndKeyFiles) {
  crypto_init();
  auto dir = std::filesystem::temp_directory_path() / ("rekap-keys-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  SecretKey k = SecretKey::generate();
  std::string path = (dir / "device.key").string();
  write_key_files(k, path);
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  SecretKey back = read_secret_key(path);
  EXPECT_EQ(back.public_key(), k.public_key());
  EXPECT_EQ(read_public_key(path + ".pub"), k.public_key());
  Signature sig = back.sign("hello");
  EXPECT_TRUE(verify_signature(k.public_key(), "hello", sig));
  EXPECT_FALSE(verify_signature(k.public_key(), "hellp", sig));
  EXPECT_THROW(read_secret_key(path + ".pub"), KeyFileError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rekap
