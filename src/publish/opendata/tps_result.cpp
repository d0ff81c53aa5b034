#include "publish/opendata/tps_result.hpp"

#include "core/ledger.hpp"

namespace rekap::publish {

std::vector<TpsResult> load_tps_results(Store& store, const Definition& def,
                                        const std::vector<int>& tps, Ballot b) {
  std::vector<TpsResult> out;
  for (int t : tps) {
    const Tps& station = def.tps[std::size_t(t)];
    int contest = station.contest[int(b)];
    if (contest < 0) continue;
    TpsResult& r = out.emplace_back();
    r.tps = t;
    r.contest = contest;
    for (const CurrentUpdate& cu : store.current_of(station.code)) {
      if (cu.ballot != int(b)) continue;
      auto row = store.get(cu.index);
      if (!row) {
        throw StoreError("statement " + std::to_string(cu.index) + " in force for TPS " +
                         station.code + " is missing from the store");
      }
      Statement st = decode_statement(row->body);
      std::string why;
      auto values = values_for_layout(def.contests[std::size_t(contest)].layout, st.values, why);
      if (!values) {
        throw StoreError("stored statement " + std::to_string(cu.index) + ": " + why);
      }
      r.current = CurrentResult{st.type, st.rev,           row->id,   row->index,        st.signer,
                                st.time, row->received_ms, st.images, std::move(*values)};
    }
  }
  return out;
}

}  // namespace rekap::publish
