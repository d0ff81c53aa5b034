#pragma once
// Byte-string encodings used in statements, URLs and files (libsodium's codecs).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rekap {

std::string to_hex(std::span<const std::uint8_t> bytes);
// Lower-case hex of exactly out.size() bytes; false on any other input.
bool from_hex(std::string_view hex, std::span<std::uint8_t> out);

// Standard base64 with padding (RFC 4648 section 4).
std::string to_base64(std::span<const std::uint8_t> bytes);
std::optional<std::vector<std::uint8_t>> from_base64(std::string_view text);

inline std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace rekap
