#pragma once
// What every fuzz target shares: the input as a string_view, and a check that aborts (so
// libFuzzer records the input) when a property the parser promises does not hold.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace rekap::fuzz {

inline std::string_view input(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline void check(bool holds, const char* property) {
  if (!holds) {
    std::fprintf(stderr, "property broken: %s\n", property);
    std::abort();
  }
}

}  // namespace rekap::fuzz
