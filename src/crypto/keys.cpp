#include "crypto/keys.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>

#include "crypto/encoding.hpp"
#include "util/files.hpp"

namespace rekap {

namespace {
constexpr std::string_view kSecretPrefix = "rekap-secret-key/1 ";

std::string read_key_file(const std::string& path) {
  auto data = read_file(path);
  if (!data) throw KeyFileError("cannot read key file " + path);
  return std::move(*data);
}

std::string_view trim_newline(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}
}  // namespace

void crypto_init() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

SecretKey SecretKey::generate() {
  std::array<std::uint8_t, 32> seed;
  randombytes_buf(seed.data(), seed.size());
  return from_seed(seed);
}

SecretKey SecretKey::from_seed(const std::array<std::uint8_t, 32>& seed) {
  SecretKey k;
  k.seed_ = seed;
  crypto_sign_seed_keypair(k.public_.data(), k.secret_.data(), seed.data());
  return k;
}

Signature SecretKey::sign(std::string_view message) const {
  Signature sig;
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret_.data());
  return sig;
}

bool verify_signature(const PublicKey& key, std::string_view message, const Signature& sig) {
  return crypto_sign_verify_detached(sig.data(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), key.data()) == 0;
}

std::optional<PublicKey> parse_public_key(std::string_view base64) {
  auto bytes = from_base64(base64);
  if (!bytes || bytes->size() != 32) return std::nullopt;
  PublicKey k;
  std::copy(bytes->begin(), bytes->end(), k.begin());
  return k;
}

void write_key_files(const SecretKey& key, const std::string& path) {
  {
    // Create with 0600 from the start so the secret is never readable by others.
    mode_t old = umask(077);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    umask(old);
    if (!out) throw KeyFileError("cannot write key file " + path);
    out << kSecretPrefix << to_base64(key.seed()) << "\n";
    if (!out.flush()) throw KeyFileError("cannot write key file " + path);
  }
  std::ofstream pub(path + ".pub", std::ios::binary | std::ios::trunc);
  if (!pub) throw KeyFileError("cannot write public key file " + path + ".pub");
  pub << to_base64(key.public_key()) << "\n";
  if (!pub.flush()) throw KeyFileError("cannot write public key file " + path + ".pub");
}

SecretKey read_secret_key(const std::string& path) {
  std::string content = read_key_file(path);
  std::string_view text = trim_newline(content);
  if (text.substr(0, kSecretPrefix.size()) != kSecretPrefix) {
    throw KeyFileError(path + " is not a rekap secret key file");
  }
  auto seed = from_base64(text.substr(kSecretPrefix.size()));
  if (!seed || seed->size() != 32) throw KeyFileError(path + ": the secret key is damaged");
  std::array<std::uint8_t, 32> s;
  std::copy(seed->begin(), seed->end(), s.begin());
  return SecretKey::from_seed(s);
}

PublicKey read_public_key(const std::string& path) {
  std::string text = read_key_file(path);
  auto key = parse_public_key(trim_newline(text));
  if (!key) throw KeyFileError(path + " does not hold a base64 Ed25519 public key");
  return *key;
}

}  // namespace rekap
