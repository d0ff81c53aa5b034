#include "store/postgres/binary_array.hpp"

namespace rekap::pg {
namespace {

void big_endian(std::string& out, std::uint64_t value, int size) {
  for (int shift = 8 * (size - 1); shift >= 0; shift -= 8) {
    out += static_cast<char>((value >> shift) & 0xff);
  }
}

}  // namespace

// Every element is its length (32 bits) and then its bytes.

void BinaryArray::int2(std::int16_t value) {
  big_endian(elements_, 2, 4);
  big_endian(elements_, static_cast<std::uint16_t>(value), 2);
  ++count_;
}

void BinaryArray::int8(std::int64_t value) {
  big_endian(elements_, 8, 4);
  big_endian(elements_, static_cast<std::uint64_t>(value), 8);
  ++count_;
}

void BinaryArray::bytes(std::string_view value) {
  big_endian(elements_, value.size(), 4);
  elements_ += value;
  ++count_;
}

void BinaryArray::null() {
  // Length -1.
  big_endian(elements_, 0xffffffff, 4);
  has_null_ = true;
  ++count_;
}

std::string BinaryArray::finish() const {
  std::string out;
  out.reserve(20 + elements_.size());
  // Dimensions, the has-nulls flag, the element type; per dimension its length and lower
  // bound (1, as SQL's arrays start).
  big_endian(out, count_ == 0 ? 0 : 1, 4);
  big_endian(out, has_null_ ? 1 : 0, 4);
  big_endian(out, static_cast<std::uint32_t>(type_), 4);
  if (count_ > 0) {
    big_endian(out, count_, 4);
    big_endian(out, 1, 4);
  }
  out += elements_;
  return out;
}

}  // namespace rekap::pg
