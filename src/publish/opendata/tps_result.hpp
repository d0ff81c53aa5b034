#pragma once
// A TPS's result in force on one ballot, as the open data shows it: the numbers and where they
// came from (the statement, its signer and its place in the log). The renderers take these;
// load_tps_results reads them from the store.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/definition.hpp"
#include "core/statement.hpp"
#include "store/store.hpp"

namespace rekap::publish {

struct CurrentResult {
  StatementType type = StatementType::result;
  std::uint32_t rev = 0;
  Hash32 id{};
  std::uint64_t index = 0;  // log index
  PublicKey signer{};
  std::string time;  // the signer's clock, as in the statement
  std::int64_t received_ms = 0;
  std::vector<Hash32> images;
  std::vector<std::uint32_t> values;  // aligned with the contest's layout
};

struct TpsResult {
  int tps = -1;
  int contest = -1;                      // the TPS's contest on the ballot
  std::optional<CurrentResult> current;  // nullopt: nothing reported yet
};

// The results in force of the given TPS on ballot b, in the order given, leaving out TPS that
// do not vote on b. Throws StoreError when a stored statement does not fit its contest.
std::vector<TpsResult> load_tps_results(Store& store, const Definition& def,
                                        const std::vector<int>& tps, Ballot b);

}  // namespace rekap::publish
