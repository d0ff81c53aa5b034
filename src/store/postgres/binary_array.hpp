#pragma once
// One-dimensional arrays in PostgreSQL's binary form, to pass a whole batch of rows as query
// parameters (bigint[], bytea[], ...) in one round trip: the dimensions, the element type, then
// each element as its length and its bytes in the type's binary form. Binary, so that bodies,
// hashes and signatures go as they are, with no escaping. The server checks the element type
// against the parameter's, so each array must be built with the type the SQL casts it to.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace rekap::pg {

// Element types, by their OIDs in pg_type.
enum class Element : std::uint32_t { bytea = 17, int8 = 20, int2 = 21, text = 25 };

class BinaryArray {
 public:
  explicit BinaryArray(Element type) : type_(type) {}

  void int2(std::int16_t value);
  void int8(std::int64_t value);
  // bytea, or text in the connection's encoding.
  void bytes(std::string_view value);
  template <std::size_t N>
  void bytes(const std::array<std::uint8_t, N>& value) {
    bytes(std::string_view(reinterpret_cast<const char*>(value.data()), N));
  }
  void null();

  // The array, header and elements; an empty array has no dimensions.
  std::string finish() const;

 private:
  Element type_;
  std::uint32_t count_ = 0;
  bool has_null_ = false;
  std::string elements_;
};

}  // namespace rekap::pg
