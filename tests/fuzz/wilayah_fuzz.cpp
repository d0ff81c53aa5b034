// KPU's region lists (kode,nama,tps), from which the national scale is laid out: every problem
// is a WilayahError naming its line, never a crash; what parses is in code order with each
// region under one listed before it.
#include "fuzz.hpp"
#include "sim/wilayah.hpp"

using namespace rekap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    sim::Wilayah w = sim::parse_wilayah(fuzz::input(data, size), "fuzz");
    for (std::size_t i = 1; i < w.regions.size(); ++i) {
      fuzz::check(w.regions[i - 1].code < w.regions[i].code, "regions in ascending code order");
    }
  } catch (const sim::WilayahError&) {
  }
  return 0;
}
