// The log's tile paths and entry bundles (C2SP tlog-tiles): one canonical spelling, and bundles
// that encode back to their bytes.
#include <stdexcept>

#include "fuzz.hpp"
#include "log/tiles.hpp"

using namespace rekap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::input(data, size);
  if (auto tile = tlog::parse_tile_path(text)) {
    fuzz::check(tlog::tile_path(*tile) == text, "a tile path has one spelling");
  }
  try {
    auto entries = tlog::parse_bundle(text);
    fuzz::check(tlog::bundle_data(entries) == text, "a bundle encodes back to its bytes");
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
