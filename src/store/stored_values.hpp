#pragma once
// The form numbers of a stored result or correction, by log index, aligned with its contest's
// layout: what the tally subtracts when the statement is superseded.
#include <cstdint>
#include <vector>

#include "core/definition.hpp"
#include "store/store.hpp"

namespace rekap {

// Throws StoreError when the statement is missing or does not fit its contest's form.
std::vector<std::uint32_t> stored_values(Store& store, const Definition& def, std::uint64_t index);

}  // namespace rekap
