#pragma once
// The simulator's election definition: a geography (regions, TPS and their voters), parties,
// contests and candidates, generated from a Shape. Small scales are synthetic counts; the
// national scale lays out KPU's real 2024 regions (sim/wilayah.hpp) with the same generator.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/definition.hpp"
#include "sim/wilayah.hpp"

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
  int kabkota = 1;  // synthetic shapes only: real regions (Shape::wilayah) have their own
  int dpr_dapils = 1;
  int dpr_seats = 3;
  int dprdp_dapils = 1;
  int dprdp_seats = 35;
  int kota = -1;      // how many of kabkota are kota; -1: a fifth, rounded down
  bool dprdk = true;  // false where the kab/kota have no DPRD (DKI Jakarta's are administrative)
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

// A synthetic shape generates its regions level by level from one random stream. A shape with
// real regions (`wilayah`) takes its provinces' regions and TPS from them, and each province
// draws its voters and candidates from a random stream of its own: a province then comes out the
// same whatever else the shape generates, which is what makes `within` a true slice of the whole.
struct Shape {
  std::vector<ProvinceShape> provinces;
  // The real regions the provinces are laid out in; null for a synthetic shape. Every province
  // of the shape must be in it, and it must have no other.
  std::shared_ptr<const Wilayah> wilayah;
  Spread kecamatan;  // per kab/kota (synthetic shapes)
  Spread desa;       // per kecamatan (synthetic shapes)
  Spread tps;        // per desa (synthetic shapes)
  OverseasShape overseas;
  Range voters{150, 300};  // registered voters (DPT) per TPS; at most kMaxVotersPerTps
  // DPRD kab/kota seats per kab/kota; its dapils get about 8 seats each (3 to 12 by law).
  Range dprdk_seats{20, 55};
  // With real regions: exactly this many DPRD kab/kota seats and dapils in all, instead of
  // drawing from dprdk_seats. Seats follow the law's steps of 20 to 55 by each kab/kota's size
  // (its TPS); dapils are in proportion to the seats.
  int dprdk_total_seats = 0;
  int dprdk_total_dapils = 0;
  int dpd_candidates = 4;   // per province
  int list_candidates = 0;  // per party per legislative dapil; 0: as many as the dapil's seats
  // A province or kab/kota code: the definition holds only that region (inside its province),
  // its TPS and the contests that cover it, cut to it; no voting abroad. "" for everything.
  std::string within;
};

struct GeoOptions {
  GeoOptions(std::string scale_ = "tiny", std::uint64_t seed_ = 1, std::string wilayah_ = "")
      : scale(std::move(scale_)), seed(seed_), wilayah(std::move(wilayah_)) {}

  std::string scale;
  std::uint64_t seed;
  // KPU's regions for the national scale and its slices; "" for default_wilayah_path().
  std::string wilayah;
};

// The named scales. Besides these, `province:<code>` and `kabupaten:<code>` (a kab/kota code)
// are the national scale cut to one province or one kab/kota.
inline constexpr std::array<std::string_view, 5> kScales = {"tiny", "small", "medium", "large",
                                                            "national"};

// True for the scales laid out in KPU's real regions: national and its slices.
bool uses_wilayah(std::string_view scale);

// The shape of a scale; `wilayah` holds the real regions of those that use them. Throws
// std::invalid_argument for an unknown scale (naming the known ones), a slice of a region the
// wilayah lacks, or a wilayah whose provinces are not the 38 of 2024.
Shape shape_of(std::string_view scale, std::shared_ptr<const Wilayah> wilayah = nullptr);

// Generates a definition (no I/O); the same shape and seed give the same files. Throws
// std::invalid_argument when the shape cannot be laid out (codes overflow, too few regions for
// the dapils, seats out of their legal range).
DefinitionFiles generate_geo(const Shape& shape, std::uint64_t seed,
                             const std::string& election_id);
// The definition of a named scale, with election id `sim-<scale>-<seed>`; reads the wilayah
// file for the scales that use it.
DefinitionFiles generate_geo(const GeoOptions& options);

// Creates `dir` and writes each file into it. Throws std::runtime_error on failure.
void write_definition_dir(const DefinitionFiles& files, const std::string& dir);

}  // namespace rekap::sim
