#pragma once
// Region codes: province 2 digits, kab/kota 4, kecamatan 6, desa 10, TPS 13; each a prefix of
// the next. The nation is the empty code.
#include <optional>
#include <string>
#include <string_view>

namespace rekap {

enum class Level { nation = 0, province = 1, kabkota = 2, kecamatan = 3, desa = 4, tps = 5 };

std::string_view level_name(Level l);
// The level a code belongs to, or nullopt when it is not all digits of a valid length.
std::optional<Level> level_of_code(std::string_view code);
// The code of the enclosing region ("" for a province).
std::string_view parent_code(std::string_view code);
// True when `code` lies inside (or is) `region`.
inline bool code_within(std::string_view code, std::string_view region) {
  return code.substr(0, region.size()) == region;
}

}  // namespace rekap
