#include "store/append_check.hpp"

namespace rekap {

std::optional<std::string> append_problem(std::uint64_t size,
                                          const std::vector<StoredStatement>& statements,
                                          const std::vector<CurrentUpdate>& current) {
  for (std::size_t i = 0; i < statements.size(); ++i) {
    if (statements[i].index != size + i) {
      return "statement " + std::to_string(i) + " of the batch has index " +
             std::to_string(statements[i].index) + ", expected " + std::to_string(size + i);
    }
  }
  const std::uint64_t end = size + statements.size();
  for (const CurrentUpdate& c : current) {
    if (c.tps.empty() || c.ballot < 0 || c.index >= end) {
      return "current update (tps '" + c.tps + "', ballot " + std::to_string(c.ballot) +
             ", index " + std::to_string(c.index) + ") does not name a TPS, a ballot and a " +
             "stored statement";
    }
  }
  return std::nullopt;
}

}  // namespace rekap
