#pragma once
// Running totals of every contest at every region level, kept by deltas: adding a TPS's
// current result, or swapping a superseded one for its successor, touches only the TPS's
// ancestors (desa, kecamatan, kab/kota, province, nation).
//
// The tally guards itself: replace() and apply() hold its lock exclusively; a reader on another
// thread holds read_lock() while it reads totals (the references region() and find() give stay
// valid, but their numbers change under a writer).
#include <cstdint>
#include <mutex>
#include <shared_mutex>
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

// A TPS's result coming into force on a ballot: `previous` is the one it supersedes, or empty
// for the TPS's first result on this ballot.
struct TallyChange {
  int tps = -1;
  Ballot ballot = Ballot::ppwp;
  std::vector<std::uint32_t> previous;
  std::vector<std::uint32_t> current;
};

class Tally {
 public:
  explicit Tally(const Definition& def);

  void replace(int tps, Ballot b, std::span<const std::uint32_t> previous,
               std::span<const std::uint32_t> current);
  // Every change at once: readers see all of them or none.
  void apply(std::span<const TallyChange> changes);

  // Held by a reader on another thread while it reads the totals.
  std::shared_lock<std::shared_mutex> read_lock() const { return std::shared_lock(mutex_); }

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
  void replace_locked(int tps, Ballot b, std::span<const std::uint32_t> previous,
                      std::span<const std::uint32_t> current);

  mutable std::shared_mutex mutex_;

  const Definition& def_;
  std::vector<std::vector<Totals>> nodes_;  // per region x ballot
  std::vector<std::uint32_t> versions_;     // per region x ballot
};

}  // namespace rekap
