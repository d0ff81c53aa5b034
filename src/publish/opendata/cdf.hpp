#pragma once
// Results in NIST SP 1500-100 version 2, the Election Results Common Data Format, as JSON
// (usnistgov/ElectionResultsReporting, NIST_V2_election_results_reporting.json): an
// ElectionReport with the regions as ReportingUnits, the parties, the candidates, one
// CandidateContest per contest whose ContestSelections carry VoteCounts per reporting unit,
// and the ballots cast and rejected as the Election's BallotCounts per reporting unit. Pure:
// rendered from the totals or the TPS results given. docs/open-data.md maps each field; every
// document must validate against the standard's JSON schema (tests/standards/validate_cdf.py).
#include <string>
#include <vector>

#include "core/definition.hpp"
#include "publish/opendata/tps_result.hpp"
#include "tally/tally.hpp"

namespace rekap::publish {

// Every contest of ballot b with counts for the nation, the provinces, kab/kota and kecamatan
// ("summary-contest"): per-TPS counts of a nation would be hundreds of megabytes per ballot.
// The caller holds the tally's lock. `generated` is the report's GeneratedDate, to the second
// ("2024-02-14T13:00:00Z", iso_utc_seconds): the schema allows no fraction of a second.
std::string cdf_summary(const Definition& def, const Tally& tally, Ballot b,
                        const std::string& generated);

// One kecamatan or desa down to its TPS ("precinct-level"), from the results of every TPS in
// it on ballot b; the regions above it are listed, without counts, to place it.
std::string cdf_precinct(const Definition& def, Ballot b, int region,
                         const std::vector<TpsResult>& results, const std::string& generated);

}  // namespace rekap::publish
