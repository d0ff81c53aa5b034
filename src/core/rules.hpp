#pragma once
// Checks a form's numbers against its arithmetic and the TPS's registered voters.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/form_layout.hpp"

namespace rekap {

// What the constraints may need to know about the TPS.
struct TpsParams {
  std::uint32_t dpt_l = 0;
  std::uint32_t dpt_p = 0;
  std::uint32_t dpt_j() const { return dpt_l + dpt_p; }
  // Registered voters plus the 2% spare ballots, rounded up.
  std::uint32_t max_value() const { return dpt_j() + (dpt_j() * 2 + 99) / 100; }
  std::int64_t value(Param p) const;
};

struct Violation {
  std::string rule;
  std::string field;
  std::string op;  // "==" or "<="
  std::int64_t expected = 0;
  std::int64_t got = 0;
  bool operator==(const Violation&) const = default;
};

// Every constraint the values break; empty when the form is consistent. `values` is aligned
// with layout.fields.
std::vector<Violation> check_form(const FormLayout& layout, const TpsParams& tps,
                                  std::span<const std::uint32_t> values);

}  // namespace rekap
