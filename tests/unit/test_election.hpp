#pragma once
// A small hand-written election for unit tests: province 31, one kab/kota, one kecamatan,
// two desa with two TPS each, two parties, every ballot.
#include <cstdint>
#include <string>
#include <vector>

#include "core/definition.hpp"
#include "core/rules.hpp"
#include "core/statement.hpp"

namespace rekap::test {

DefinitionFiles election_files();
const Definition& election();

// A consistent form for a layout and TPS with `voters` voters (at most dpt_j + 2%).
std::vector<std::uint32_t> valid_form(const FormLayout& layout, const TpsParams& tps,
                                      std::uint32_t voters);
// The log's first entry for an election, signed by its admin.
SignedStatement genesis(const Definition& def, const SecretKey& admin);

void set(const FormLayout& layout, std::vector<std::uint32_t>& values, const std::string& field,
         std::int64_t delta);

}  // namespace rekap::test
