#pragma once
// The JSON documents of the public API (field names documented in docs/api.md). Pure: they
// render what they are given.
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <vector>

#include "core/definition.hpp"
#include "core/ledger.hpp"
#include "store/store.hpp"
#include "tally/tally.hpp"

namespace rekap::publish {

// The values in force for a TPS and ballot, if it has reported.
using TpsValues = std::function<std::optional<std::vector<std::uint32_t>>(int tps, Ballot b)>;

boost::json::value election_json(const Definition& def);
boost::json::value region_json(const Definition& def, int region);
boost::json::value contest_json(const Definition& def, int contest);
// Totals and progress of a region (or, for a TPS code, of that TPS) and of each child.
boost::json::value region_results_json(const Definition& def, const Tally& tally, Ballot b,
                                       int region, const TpsValues& tps_values);
boost::json::value tps_results_json(const Definition& def, Ballot b, int tps,
                                    const TpsValues& tps_values);
// A TPS: its registered voters, and per ballot the result in force and every version.
boost::json::value tps_json(const Definition& def, int tps,
                            const std::vector<StoredStatement>& statements,
                            const std::vector<CurrentUpdate>& current);
boost::json::value decision_json(const Decision& d, const Hash32& id);

}  // namespace rekap::publish
