#include "sim/wilayah.hpp"

#include <array>
#include <charconv>
#include <cstdlib>
#include <filesystem>

#include "core/csv.hpp"
#include "core/region_code.hpp"
#include "util/files.hpp"

namespace rekap::sim {

namespace {

constexpr int kMaxTpsPerDesa = 999;  // TPS numbers have 3 digits
const std::string kFileName = "wilayah-2024.csv";

}  // namespace

WilayahError::WilayahError(const std::string& source, int line, const std::string& message)
    : std::runtime_error(source + ":" + std::to_string(line) + ": " + message), line_(line) {}

Wilayah parse_wilayah(std::string_view text, const std::string& source) {
  std::vector<CsvRow> rows;
  try {
    rows = parse_csv(text);
  } catch (const CsvError& e) {
    throw WilayahError(source, e.line(), e.what());
  }
  if (rows.empty() || rows.front().cells != std::vector<std::string>{"kode", "nama", "tps"}) {
    throw WilayahError(source, 1, "header must be `kode,nama,tps`");
  }
  Wilayah w{source, {}};
  w.regions.reserve(rows.size() - 1);
  std::vector<int> lines;
  std::vector<bool> has_children;
  // The last region of each level: the parent of a region, when listed, is the last one of the
  // level above, as codes ascend.
  std::array<int, 5> last{-1, -1, -1, -1, -1};
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const CsvRow& row = rows[i];
    auto fail = [&](const std::string& message) { throw WilayahError(source, row.line, message); };
    if (row.cells.size() != 3) {
      fail("expected 3 columns (kode,nama,tps), found " + std::to_string(row.cells.size()));
    }
    const std::string& code = row.cells[0];
    auto level = level_of_code(code);
    if (!level || *level == Level::nation || *level == Level::tps) {
      fail("code `" + code + "` must be 2, 4, 6 or 10 digits");
    }
    if (code.starts_with("99")) {
      fail("code " + code + " is under 99, voting abroad, which the simulator lays out itself");
    }
    if (!w.regions.empty() && code <= w.regions.back().code) {
      fail("code " + code + " follows " + w.regions.back().code +
           ": codes must ascend, each region after the one it lies in");
    }
    if (*level != Level::province) {
      int parent = last[int(*level) - 1];
      if (parent < 0 || w.regions[parent].code != parent_code(code)) {
        fail("region " + code + " lies in " + std::string(parent_code(code)) +
             ", which is not listed before it");
      }
      has_children[parent] = true;
    }
    if (row.cells[1].empty()) fail("region " + code + " has no name");
    const std::string& tps_cell = row.cells[2];
    int tps = 0;
    if (*level != Level::desa) {
      if (!tps_cell.empty()) fail("region " + code + " is no desa; only a desa has TPS");
    } else {
      auto [end, ec] = std::from_chars(tps_cell.data(), tps_cell.data() + tps_cell.size(), tps);
      if (tps_cell.empty() || ec != std::errc() || end != tps_cell.data() + tps_cell.size() ||
          tps < 1 || tps > kMaxTpsPerDesa) {
        fail("desa " + code + ": tps `" + tps_cell + "` must be a whole number from 1 to " +
             std::to_string(kMaxTpsPerDesa));
      }
    }
    last[int(*level)] = int(w.regions.size());
    w.regions.push_back({code, row.cells[1], tps});
    lines.push_back(row.line);
    has_children.push_back(false);
  }
  if (w.regions.empty()) throw WilayahError(source, 1, "no regions");
  for (std::size_t i = 0; i < w.regions.size(); ++i) {
    // A dapil is made of regions with TPS; a region with nothing under it would have none.
    if (w.regions[i].tps == 0 && !has_children[i]) {
      throw WilayahError(source, lines[i],
                         "region " + w.regions[i].code + " has no region under it");
    }
  }
  return w;
}

std::shared_ptr<const Wilayah> read_wilayah(const std::string& path) {
  auto text = read_file(path);
  if (!text) throw std::runtime_error("cannot read the regions file (kode,nama,tps) " + path);
  return std::make_shared<const Wilayah>(parse_wilayah(*text, path));
}

std::string default_wilayah_path() {
  if (const char* env = std::getenv("REKAP_WILAYAH")) return env;
  std::string here = "reference/" + kFileName;
  if (std::filesystem::exists(here)) return here;
  return REKAP_SOURCE_DIR "/reference/" + kFileName;
}

}  // namespace rekap::sim
