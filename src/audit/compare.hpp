#pragma once
// Compares the results a server publishes (GET /api/v1/results/...) with totals computed
// independently, at every region level and for every TPS; names each difference.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "client/http_client.hpp"
#include "core/definition.hpp"
#include "tally/tally.hpp"

namespace rekap::audit {

using TpsValues = std::function<std::optional<std::vector<std::uint32_t>>(int tps, Ballot b)>;

struct Comparison {
  std::uint64_t views = 0;  // region x ballot documents compared
  std::vector<std::string> mismatches;
};

Comparison compare_published(const Definition& def, const Tally& expected,
                             const TpsValues& tps_values, HttpClient& client);

}  // namespace rekap::audit
