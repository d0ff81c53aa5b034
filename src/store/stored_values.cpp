#include "store/stored_values.hpp"

#include "core/ledger.hpp"
#include "core/statement.hpp"

namespace rekap {

std::vector<std::uint32_t> stored_values(Store& store, const Definition& def, std::uint64_t index) {
  auto row = store.get(index);
  if (!row) throw StoreError("statement " + std::to_string(index) + " is missing from the store");
  Statement st = decode_statement(row->body);
  int tps = def.find_tps(st.tps);
  if (tps < 0) throw StoreError("stored statement " + std::to_string(index) + " names no TPS");
  const Contest& c = def.contests[std::size_t(def.tps[std::size_t(tps)].contest[int(st.ballot)])];
  std::string why;
  auto values = values_for_layout(c.layout, st.values, why);
  if (!values) throw StoreError("stored statement " + std::to_string(index) + ": " + why);
  return *values;
}

}  // namespace rekap
