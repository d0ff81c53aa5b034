#pragma once
// Running totals of every contest at every region level, kept by deltas: adding a TPS's
// current result, or swapping a superseded one for its successor, touches only the TPS's
// ancestors (desa, kecamatan, kab/kota, province, nation).
#include <cstdint>
#include <span>
#include <vector>

#include "core/definition.hpp"

namespace rekap {

struct Totals {
  int contest = -1;
  std::vector<std::int64_t> sums;  // aligned with the contest's layout
  std::uint32_t reported = 0;      // TPS with a result in force
  std::uint32_t expected = 0;      // TPS voting in this contest within the region
  bool operator==(const Totals&) const = default;
};

class Tally {
 public:
  explicit Tally(const Definition& def);

  // A TPS's result comes into force: `previous` is the one it supersedes, or empty for the
  // TPS's first result on this ballot.
  void replace(int tps, Ballot b, std::span<const std::uint32_t> previous,
               std::span<const std::uint32_t> current);

  // Totals of each contest of ballot b that touches the region (several for a province that
  // spans dapils, one below the dapil level).
  const std::vector<Totals>& region(int region, Ballot b) const {
    return nodes_[std::size_t(region) * kBallotCount + int(b)];
  }
  const Totals* find(int region, Ballot b, int contest) const;
  // Increases whenever the region's totals on ballot b change (a TPS inside it reported).
  std::uint32_t version(int region, Ballot b) const {
    return versions_[std::size_t(region) * kBallotCount + int(b)];
  }

 private:
  Totals& node(int region, Ballot b, int contest);

  const Definition& def_;
  std::vector<std::vector<Totals>> nodes_;  // per region x ballot
  std::vector<std::uint32_t> versions_;     // per region x ballot
};

}  // namespace rekap
