#include "tally/tally.hpp"

namespace rekap {

Tally::Tally(const Definition& def)
    : def_(def),
      nodes_(def.regions.size() * kBallotCount),
      versions_(def.regions.size() * kBallotCount, 1) {
  for (const Tps& t : def.tps) {
    for (Ballot b : kAllBallots) {
      int c = t.contest[int(b)];
      if (c < 0) continue;
      for (int r = t.region; r >= 0; r = def.regions[r].parent) node(r, b, c).expected += 1;
    }
  }
}

Totals& Tally::node(int region, Ballot b, int contest) {
  auto& list = nodes_[std::size_t(region) * kBallotCount + int(b)];
  for (Totals& t : list) {
    if (t.contest == contest) return t;
  }
  Totals& t = list.emplace_back();
  t.contest = contest;
  t.sums.assign(def_.contests[contest].layout.fields.size(), 0);
  return t;
}

const Totals* Tally::find(int region_index, Ballot b, int contest) const {
  for (const Totals& t : region(region_index, b)) {
    if (t.contest == contest) return &t;
  }
  return nullptr;
}

void Tally::replace(int tps, Ballot b, std::span<const std::uint32_t> previous,
                    std::span<const std::uint32_t> current) {
  std::unique_lock lock(mutex_);
  replace_locked(tps, b, previous, current);
}

void Tally::apply(std::span<const TallyChange> changes) {
  std::unique_lock lock(mutex_);
  for (const TallyChange& c : changes) replace_locked(c.tps, c.ballot, c.previous, c.current);
}

void Tally::replace_locked(int tps, Ballot b, std::span<const std::uint32_t> previous,
                           std::span<const std::uint32_t> current) {
  const Tps& t = def_.tps[tps];
  int c = t.contest[int(b)];
  for (int r = t.region; r >= 0; r = def_.regions[r].parent) {
    Totals& n = node(r, b, c);
    if (previous.empty()) {
      n.reported += 1;
    } else {
      for (std::size_t i = 0; i < previous.size(); ++i) n.sums[i] -= previous[i];
    }
    for (std::size_t i = 0; i < current.size(); ++i) n.sums[i] += current[i];
    versions_[std::size_t(r) * kBallotCount + int(b)] += 1;
  }
}

}  // namespace rekap
