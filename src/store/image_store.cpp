#include "store/image_store.hpp"

#include "crypto/encoding.hpp"

namespace rekap {

ImageHashMismatch::ImageHashMismatch(const Hash32& expected, const Hash32& actual)
    : std::runtime_error("image hash mismatch: expected " + to_hex(expected) + ", got " +
                         to_hex(actual)) {}

}  // namespace rekap
