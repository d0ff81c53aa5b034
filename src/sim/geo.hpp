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
  int kota = -1;      // how many of the kab/kota are kota; -1: a fifth, rounded down
  bool dprdk = true;  // false where the kab/kota have no DPRD (DKI Jakarta's are administrative)
  // Its share of the shape's kecamatan, desa, TPS and DPRD kab/kota totals (its registered
  // voters in the national scale); 0 in every province or in none. See Shape.
  std::int64_t weight = 0;
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

// Where the provinces have weights, each total (kecamatan, desa, TPS, DPRD kab/kota seats and
// dapils) is first apportioned to the provinces in proportion to their weights, and each province
// draws from a random stream of its own. A province then comes out the same whatever else the
// shape generates, which is what makes `within` a true slice of the whole.
struct Shape {
  std::vector<ProvinceShape> provinces;
  Spread kecamatan;  // per kab/kota
  Spread desa;       // per kecamatan
  Spread tps;        // per desa
  OverseasShape overseas;
  Range voters{150, 300};  // registered voters (DPT) per TPS; at most kMaxVotersPerTps
  // DPRD kab/kota seats per kab/kota; its dapils get about 8 seats each (3 to 12 by law).
  Range dprdk_seats{20, 55};
  // With weights: exactly this many DPRD kab/kota seats and dapils in all, instead of drawing
  // from dprdk_seats. Seats follow the law's steps of 20 to 55 by each kab/kota's size.
  int dprdk_total_seats = 0;
  int dprdk_total_dapils = 0;
  int ppwp_pairs = 3;
  int dpd_candidates = 4;   // per province
  int list_candidates = 0;  // per party per legislative dapil; 0: as many as the dapil's seats
  // A province or kab/kota code: the definition holds only that region (inside its province),
  // its TPS and the contests that cover it, cut to it; no voting abroad. "" for everything.
  std::string within;
};

struct GeoOptions {
  std::string scale = "tiny";
  std::uint64_t seed = 1;
};

// The named scales. Besides these, `province:<code>` and `kabupaten:<code>` (a kab/kota code)
// are the national scale cut to one province or one kab/kota.
inline constexpr std::array<std::string_view, 5> kScales = {"tiny", "small", "medium", "large",
                                                            "national"};

// The shape of a scale. Throws std::invalid_argument for an unknown one, naming the known ones.
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
