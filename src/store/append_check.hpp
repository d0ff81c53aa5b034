#pragma once
// What every store checks of a batch before it writes anything (store.hpp's append contract):
// the statements' indexes follow on densely from the log's size, and each result in force names
// a TPS, a ballot and a statement stored by the end of the batch. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace rekap {

// Why the batch cannot be appended to a log of `size` entries, or nullopt when it can.
std::optional<std::string> append_problem(std::uint64_t size,
                                          const std::vector<StoredStatement>& statements,
                                          const std::vector<CurrentUpdate>& current);

}  // namespace rekap
