#include "core/region_code.hpp"

#include <algorithm>
#include <array>

namespace rekap {

namespace {
constexpr std::array<std::size_t, 6> kLengths = {0, 2, 4, 6, 10, 13};
constexpr std::array<std::string_view, 6> kNames = {"nasional",  "provinsi",  "kabkota",
                                                    "kecamatan", "kelurahan", "tps"};
}  // namespace

std::string_view level_name(Level l) {
  return kNames[static_cast<int>(l)];
}

std::optional<Level> level_of_code(std::string_view code) {
  if (!std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < kLengths.size(); ++i) {
    if (kLengths[i] == code.size()) return static_cast<Level>(i);
  }
  return std::nullopt;
}

std::string_view parent_code(std::string_view code) {
  auto level = level_of_code(code);
  if (!level || *level == Level::nation) return {};
  return code.substr(0, kLengths[static_cast<int>(*level) - 1]);
}

}  // namespace rekap
