#pragma once
// The portal's summary of a region on a ballot: what a results page shows above the dapil,
// without every candidate of every dapil. A nation's results document on the DPRD Kab/Kota
// ballot lists 2,325 dapil with all their candidates (10 MB); its summary is some 30 KB.
// Pure: it renders what it is given.
//
//   {"ballot", "region": {code, name, level}, "parents": [...], "progress": {reported, total},
//    "totals": {...},          the region's contests summed, fields that mean the same in all
//    "contest": id,            where a single contest touches the region
//    "contests": [{id, name, seats, scope, progress, totals}],   those wholly inside the region
//    "children": [{code, name, level, progress, totals}]}
//
// Summed totals keep the form's administrasi and totals fields and each party's total p<n>t
// (party numbers are national); where the region has a single contest, all of its fields (so a
// dapil page can add up the regions it covers). A sub-region's totals keep its candidates' votes
// c<n> where it has a single contest, never a party's candidates. A contest's row keeps
// suara_sah and its party totals or candidates' votes: enough for shares and for the seat
// projection of a whole dapil. Where more than kSummaryContests lie inside the region (a
// nation's DPRD dapil), none are listed.
#include <boost/json/value.hpp>

#include "core/definition.hpp"
#include "tally/tally.hpp"

namespace rekap::publish {

inline constexpr std::size_t kSummaryContests = 400;

// Region levels that have summaries: below them, results documents are small.
inline bool has_summary(Level l) {
  return l <= Level::kabkota;
}

boost::json::value region_summary_json(const Definition& def, const Tally& tally, Ballot b,
                                       int region);

}  // namespace rekap::publish
