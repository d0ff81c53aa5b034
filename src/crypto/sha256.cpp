#include "crypto/sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace rekap {

namespace {

// Fetched once: an implicit fetch on every digest costs more than hashing a statement.
const EVP_MD* sha256_md() {
  static EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (!m) throw std::runtime_error("OpenSSL has no SHA-256");
    return m;
  }();
  return md;
}

void check(int ok, const char* what) {
  if (ok != 1) throw std::runtime_error(std::string("OpenSSL SHA-256 failed in ") + what);
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_) throw std::bad_alloc();
  if (EVP_DigestInit_ex(ctx_, sha256_md(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx_);
    throw std::runtime_error("OpenSSL SHA-256 failed in init");
  }
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(ctx_);
}

Sha256& Sha256::update(std::string_view data) {
  check(EVP_DigestUpdate(ctx_, data.data(), data.size()), "update");
  return *this;
}

Hash32 Sha256::finish() {
  Hash32 out;
  unsigned int len = 0;
  check(EVP_DigestFinal_ex(ctx_, out.data(), &len), "final");
  check(EVP_DigestInit_ex(ctx_, sha256_md(), nullptr), "init");
  return out;
}

namespace {
// One context per thread: allocating one per call would cost as much as a short digest.
Sha256& thread_hasher() {
  thread_local Sha256 hasher;
  return hasher;
}
}  // namespace

Hash32 sha256(std::string_view data) {
  return thread_hasher().update(data).finish();
}

Hash32 sha256(std::initializer_list<std::string_view> pieces) {
  Sha256& h = thread_hasher();
  for (std::string_view p : pieces) h.update(p);
  return h.finish();
}

}  // namespace rekap
