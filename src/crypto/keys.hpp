#pragma once
// Ed25519 keys and signatures (libsodium).
#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "crypto/sha256.hpp"

namespace rekap {

using PublicKey = std::array<std::uint8_t, 32>;
using Signature = std::array<std::uint8_t, 64>;

struct Hash32Hasher {
  std::size_t operator()(const std::array<std::uint8_t, 32>& h) const {
    std::size_t v;
    static_assert(sizeof v <= 32);
    __builtin_memcpy(&v, h.data(), sizeof v);
    return v;
  }
};

// Must be called once before any other function here (initialises libsodium).
void crypto_init();

class SecretKey {
 public:
  static SecretKey generate();
  static SecretKey from_seed(const std::array<std::uint8_t, 32>& seed);
  const PublicKey& public_key() const { return public_; }
  const std::array<std::uint8_t, 32>& seed() const { return seed_; }
  Signature sign(std::string_view message) const;

 private:
  std::array<std::uint8_t, 32> seed_{};
  std::array<std::uint8_t, 64> secret_{};
  PublicKey public_{};
};

bool verify_signature(const PublicKey& key, std::string_view message, const Signature& sig);

class KeyFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Key files: the secret file holds "rekap-secret-key/1 <base64 seed>\n" (mode 0600); the public
// file beside it (<path>.pub) holds the base64 public key and a newline.
void write_key_files(const SecretKey& key, const std::string& path);
SecretKey read_secret_key(const std::string& path);
PublicKey read_public_key(const std::string& path);
std::optional<PublicKey> parse_public_key(std::string_view base64);

}  // namespace rekap
