#include "store/postgres/binary_copy.hpp"

namespace rekap::pg {
namespace {

// The signature, then 32-bit flags and header-extension length, both 0.
constexpr std::string_view kHeader("PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19);

}  // namespace

BinaryCopy::BinaryCopy() : data_(kHeader) {}

void BinaryCopy::big_endian(std::uint64_t value, int size) {
  for (int shift = 8 * (size - 1); shift >= 0; shift -= 8) {
    data_ += static_cast<char>((value >> shift) & 0xff);
  }
}

// Every field is its length (32 bits) and then its bytes.

void BinaryCopy::row(int fields) {
  big_endian(static_cast<std::uint64_t>(fields), 2);
}

void BinaryCopy::int2(std::int16_t value) {
  big_endian(2, 4);
  big_endian(static_cast<std::uint16_t>(value), 2);
}

void BinaryCopy::int8(std::int64_t value) {
  big_endian(8, 4);
  big_endian(static_cast<std::uint64_t>(value), 8);
}

void BinaryCopy::bytes(std::string_view value) {
  big_endian(value.size(), 4);
  data_ += value;
}

void BinaryCopy::null() {
  // Length -1.
  big_endian(0xffffffff, 4);
}

const std::string& BinaryCopy::finish() {
  // A row of -1 fields.
  big_endian(0xffff, 2);
  return data_;
}

}  // namespace rekap::pg
