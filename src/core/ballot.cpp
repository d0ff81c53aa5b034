#include "core/ballot.hpp"

namespace rekap {

namespace {
constexpr std::array<std::string_view, kBallotCount> kIds = {"ppwp", "pdpr", "pdpd", "pdprdp",
                                                             "pdprdk"};
}

std::string_view ballot_id(Ballot b) {
  return kIds[static_cast<int>(b)];
}

std::optional<Ballot> parse_ballot(std::string_view id) {
  for (int i = 0; i < kBallotCount; ++i) {
    if (kIds[i] == id) return static_cast<Ballot>(i);
  }
  return std::nullopt;
}

bool is_party_ballot(Ballot b) {
  return b == Ballot::pdpr || b == Ballot::pdprdp || b == Ballot::pdprdk;
}

}  // namespace rekap
