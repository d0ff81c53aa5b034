#pragma once
// The simulator's election definition: a synthetic geography (regions, TPS and their voters),
// parties, contests and candidates, generated from a Shape of counts. Scales differ only in
// their Shape, so the national scale is a table of real counts plugged into the same generator.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/definition.hpp"

namespace rekap::sim {

// How many regions of one level sit under each region of the level above: `each` apiece or,
// when `total` > 0, `total` spread unevenly (by the seed) so that every parent gets one or more.
struct Spread {
  int each = 1;
  int total = 0;
};

// An inclusive range a value is drawn from.
struct Range {
  int lo = 0;
  int hi = 0;
};

// A province and what the commission allots it. A province's kab/kota are grouped into its
// dapils (split into kecamatan where it has more dapils than kab/kota, as in DKI Jakarta);
// seats are spread evenly over the dapils.
struct ProvinceShape {
  std::string code;  // 2 digits
  std::string name;
  int kabkota = 1;
  int dpr_dapils = 1;
  int dpr_seats = 3;
  int dprdp_dapils = 1;
  int dprdp_seats = 35;
};

// Voting abroad, under province 99: "countries" at kab/kota level, "cities" at kecamatan
// level. Overseas TPS vote PPWP and DPR only.
struct OverseasShape {
  int countries = 0;  // 0: no overseas voting
  Spread cities;      // per country
  Spread desa;        // per city
  Spread tps;         // per desa
  // Overseas voters belong to dapil `dpr_dapil` (0-based) of this province, as they belong to
  // DKI Jakarta II in reality; "" gives them a DPR dapil of their own with `dpr_seats`.
  std::string dpr_province;
  int dpr_dapil = 0;
  int dpr_seats = 3;
};

struct Shape {
  std::vector<ProvinceShape> provinces;
  Spread kecamatan;  // per kab/kota, over all provinces
  Spread desa;       // per kecamatan
  Spread tps;        // per desa
  OverseasShape overseas;
  Range voters{150, 300};  // registered voters (DPT) per TPS; at most kMaxVotersPerTps
  // DPRD kab/kota seats per kab/kota; its dapils get about 8 seats each (3 to 12 by law).
  Range dprdk_seats{20, 55};
  int ppwp_pairs = 3;
  int dpd_candidates = 4;   // per province
  int list_candidates = 0;  // per party per legislative dapil; 0: as many as the dapil's seats
};

struct GeoOptions {
  std::string scale = "tiny";
  std::uint64_t seed = 1;
};

inline constexpr std::array<std::string_view, 4> kScales = {"tiny", "small", "medium", "large"};

// The shape of a named scale. Throws std::invalid_argument for an unknown one.
Shape shape_of(std::string_view scale);

// Generates a definition (no I/O); the same shape and seed give the same files. Throws
// std::invalid_argument when the shape cannot be laid out (codes overflow, too few regions for
// the dapils, seats out of their legal range).
DefinitionFiles generate_geo(const Shape& shape, std::uint64_t seed,
                             const std::string& election_id);
// The definition of a named scale, with election id `sim-<scale>-<seed>`.
DefinitionFiles generate_geo(const GeoOptions& options);

// Creates `dir` and writes each file into it. Throws std::runtime_error on failure.
void write_definition_dir(const DefinitionFiles& files, const std::string& dir);

}  // namespace rekap::sim
