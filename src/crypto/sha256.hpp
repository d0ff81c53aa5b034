#pragma once
// SHA-256 through OpenSSL, which uses the CPU's SHA extensions where it has them: the rebuild at
// start and every audit hash every stored statement, so this is on their critical path.
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace rekap {

using Hash32 = std::array<std::uint8_t, 32>;

Hash32 sha256(std::string_view data);
// The digest of the pieces one after another.
Hash32 sha256(std::initializer_list<std::string_view> pieces);

// For data in pieces (a log entry's prefix and parts, a file read in chunks) without copying.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& update(std::string_view data);
  // The digest; the hasher starts over afterwards.
  Hash32 finish();

 private:
  evp_md_ctx_st* ctx_;
};

}  // namespace rekap
