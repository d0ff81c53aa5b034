#pragma once
// An election for the open data renderers: the unit test election with DKI Jakarta II split
// into two dapils (one per desa, the second with party 2 only), every TPS reported on every
// ballot but one TPS on PPWP, and the totals that follow.
#include <vector>

#include "core/definition.hpp"
#include "publish/opendata/tps_result.hpp"
#include "tally/tally.hpp"

namespace rekap::test {

struct OpenDataElection {
  OpenDataElection();
  // The results of these TPS on ballot b, as load_tps_results gives them.
  std::vector<publish::TpsResult> results(const std::vector<int>& tps, Ballot b) const;
  // The results of every TPS in a region.
  std::vector<publish::TpsResult> results_in(const std::string& region, Ballot b) const;

  Definition def;
  Tally tally;
  int missing_tps = -1;  // reports nothing on PPWP
  // Per TPS x ballot; values empty where it has not reported.
  std::vector<publish::CurrentResult> current;
};

}  // namespace rekap::test
