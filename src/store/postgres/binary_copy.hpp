#pragma once
// Rows in PostgreSQL's binary COPY format, for COPY ... FROM STDIN (FORMAT binary): a header,
// then per row its number of fields and each field as a length and its bytes in the column
// type's binary form, then a trailer. Binary, so that bodies, hashes and signatures go as they
// are, with no escaping. Each value must match its column's type exactly (int2 for smallint,
// int8 for bigint).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace rekap::pg {

class BinaryCopy {
 public:
  BinaryCopy();

  void row(int fields);
  void int2(std::int16_t value);
  void int8(std::int64_t value);
  // bytea, or text in the connection's encoding.
  void bytes(std::string_view value);
  template <std::size_t N>
  void bytes(const std::array<std::uint8_t, N>& value) {
    bytes(std::string_view(reinterpret_cast<const char*>(value.data()), N));
  }
  void null();

  // The data with its trailer; call once, after the last row.
  const std::string& finish();

 private:
  void big_endian(std::uint64_t value, int size);

  std::string data_;
};

}  // namespace rekap::pg
