#pragma once
// The five ballots of an Indonesian general election, by Sirekap's ids.
#include <array>
#include <optional>
#include <string_view>

namespace rekap {

enum class Ballot { ppwp = 0, pdpr = 1, pdpd = 2, pdprdp = 3, pdprdk = 4 };

inline constexpr int kBallotCount = 5;
inline constexpr std::array<Ballot, kBallotCount> kAllBallots = {
    Ballot::ppwp, Ballot::pdpr, Ballot::pdpd, Ballot::pdprdp, Ballot::pdprdk};

std::string_view ballot_id(Ballot b);
std::optional<Ballot> parse_ballot(std::string_view id);
// Legislative ballots for party lists (DPR, DPRD): votes per party and per candidate.
bool is_party_ballot(Ballot b);

}  // namespace rekap
