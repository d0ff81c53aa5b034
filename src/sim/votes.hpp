#pragma once
// The simulator's ground truth: the numbers a TPS writes on its C1 form for one ballot.
#include <cstdint>
#include <vector>

#include "core/ballot.hpp"
#include "core/definition.hpp"

namespace rekap::sim {

// The C1 numbers of TPS `tps` (an index into def.tps) for ballot `b`, aligned with
// def.contests[def.tps[tps].contest[int(b)]].layout.fields. They satisfy every rule of
// check_form. Deterministic: a function of the seed, the TPS code, the ballot and the contest,
// computed without any shared state. Regional preferences follow the kab/kota and kecamatan
// codes, so neighbouring TPS look alike. Throws std::invalid_argument when the TPS has no
// contest for the ballot.
std::vector<std::uint32_t> tps_values(const Definition& def, int tps, Ballot b, std::uint64_t seed);

struct FormPlan;

// The same numbers as tps_values, for callers that compute many TPS: each contest's form
// fields are looked up by name once here instead of on every call (about 5x faster on
// national-sized forms). Keeps a reference to `def`, which must outlive it. Thread-safe.
class VoteModel {
 public:
  VoteModel(const Definition& def, std::uint64_t seed);
  ~VoteModel();
  VoteModel(const VoteModel&) = delete;
  VoteModel& operator=(const VoteModel&) = delete;

  std::vector<std::uint32_t> values(int tps, Ballot b) const;

 private:
  const Definition& def_;
  std::uint64_t seed_;
  std::vector<FormPlan> plans_;  // per contest
};

// Writes the ground truth of every TPS: <dir>/<ballot>/<contest>.csv, a header `tps` and the
// contest's field names, then one row per TPS of the contest with its numbers (I/O).
void write_ground_truth(const Definition& def, std::uint64_t seed, const std::string& dir);

}  // namespace rekap::sim
