#pragma once
// KPU's list of the regions of an election (reference/wilayah-2024.csv): every province,
// kab/kota, kecamatan and desa with its code and name, and each desa's number of TPS. The
// national scale of the simulator lays its geography out from it.
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rekap::sim {

struct WilayahRegion {
  std::string code;  // 2, 4, 6 or 10 digits
  std::string name;
  int tps = 0;  // a desa's TPS, numbered 001 up; 0 above desa
};

// The regions in ascending code order, so that each follows its parent and the regions of a
// province, kab/kota or kecamatan lie together.
struct Wilayah {
  std::string source;  // the file it was read from, for messages
  std::vector<WilayahRegion> regions;
};

// A malformed file: `what()` names the file and line and says what is wrong.
class WilayahError : public std::runtime_error {
 public:
  WilayahError(const std::string& source, int line, const std::string& message);
  int line() const { return line_; }

 private:
  int line_;
};

// Parses the text of a `kode,nama,tps` file; `source` names it in errors. Checks every row:
// a code of 2, 4, 6 or 10 digits under a region listed before it (never 99, which is voting
// abroad and simulated), codes ascending, a name, TPS only and always on a desa (1 to 999, as a
// TPS code has 3 digits for them), every region above desa with regions under it. Throws
// WilayahError at the first problem.
Wilayah parse_wilayah(std::string_view text, const std::string& source);

// Reads and parses a file. Throws std::runtime_error when it cannot be read, WilayahError when
// it is malformed.
std::shared_ptr<const Wilayah> read_wilayah(const std::string& path);

// Where the 2024 regions are looked for when no file is given: $REKAP_WILAYAH, then
// reference/wilayah-2024.csv under the current directory, then the source tree's reference/
// the program was built from (as the digit model is found).
std::string default_wilayah_path();

}  // namespace rekap::sim
