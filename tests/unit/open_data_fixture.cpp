#include "open_data_fixture.hpp"

#include <algorithm>

#include "test_election.hpp"

namespace rekap::test {

namespace {

Definition split_dapils() {
  DefinitionFiles files = election_files();
  std::string& contests = files["contests.csv"];
  contests.replace(contests.find("pdpr-31-2,pdpr,DKI Jakarta II,7,3171\n"),
                   std::string("pdpr-31-2,pdpr,DKI Jakarta II,7,3171\n").size(),
                   "pdpr-31-2,pdpr,DKI Jakarta II,7,3171011001\n"
                   "pdpr-31-3,pdpr,DKI Jakarta III,3,3171011002\n");
  files["candidates.csv"] += "pdpr-31-3,2,1,Caleg Z\npdpr-31-3,2,2,\"Caleg, Y\"\n";
  return build_definition(files);
}

}  // namespace

OpenDataElection::OpenDataElection() : def(split_dapils()), tally(def) {
  missing_tps = def.find_tps("3171011001002");
  current.resize(def.tps.size() * kBallotCount);
  std::uint64_t index = 1;
  for (std::size_t t = 0; t < def.tps.size(); ++t) {
    for (Ballot b : kAllBallots) {
      int c = def.tps[t].contest[int(b)];
      if (c < 0 || (int(t) == missing_tps && b == Ballot::ppwp)) continue;
      const Tps& tps = def.tps[t];
      auto& cur = current[t * kBallotCount + int(b)];
      TpsParams params{tps.dpt_l, tps.dpt_p};
      std::uint32_t voters = std::min(tps.dpt() * 3 / 4 + std::uint32_t(b), params.max_value());
      cur.values = valid_form(def.contests[std::size_t(c)].layout, params, voters);
      cur.index = index++;
      cur.rev = 1;
      cur.id.fill(std::uint8_t(cur.index));
      cur.signer.fill(7);
      cur.time = "2024-02-14T13:00:00Z";
      cur.received_ms = 1707915600000 + std::int64_t(cur.index) * 1000;  // 2024-02-14 13:00 UTC
      tally.replace(int(t), b, {}, cur.values);
    }
  }
}

std::vector<publish::TpsResult> OpenDataElection::results(const std::vector<int>& tps,
                                                          Ballot b) const {
  std::vector<publish::TpsResult> out;
  for (int t : tps) {
    int c = def.tps[std::size_t(t)].contest[int(b)];
    if (c < 0) continue;
    publish::TpsResult r{t, c, std::nullopt};
    const auto& cur = current[std::size_t(t) * kBallotCount + int(b)];
    if (!cur.values.empty()) r.current = cur;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<publish::TpsResult> OpenDataElection::results_in(const std::string& region,
                                                             Ballot b) const {
  std::vector<int> tps;
  for (std::size_t t = 0; t < def.tps.size(); ++t) {
    if (code_within(def.tps[t].code, region)) tps.push_back(int(t));
  }
  return results(tps, b);
}

}  // namespace rekap::test
