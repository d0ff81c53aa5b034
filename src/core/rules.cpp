#include "core/rules.hpp"

namespace rekap {

std::int64_t TpsParams::value(Param p) const {
  switch (p) {
    case Param::dpt_l:
      return dpt_l;
    case Param::dpt_p:
      return dpt_p;
    case Param::dpt_j:
      return dpt_j();
    case Param::max_value:
      return max_value();
    case Param::none:
      break;
  }
  return 0;
}

std::vector<Violation> check_form(const FormLayout& layout, const TpsParams& tps,
                                  std::span<const std::uint32_t> values) {
  std::vector<Violation> out;
  for (const Constraint& c : layout.constraints) {
    std::int64_t lhs = 0;
    for (const Term& t : c.lhs) lhs += std::int64_t{t.coef} * values[t.field];
    std::int64_t rhs =
        c.rhs_field >= 0 ? std::int64_t{values[c.rhs_field]} : tps.value(c.rhs_param);
    bool ok = c.op == Constraint::Op::eq ? lhs == rhs : lhs <= rhs;
    if (ok) continue;
    Violation v;
    v.rule = c.rule;
    v.field = layout.fields[c.subject].name;
    v.op = c.op == Constraint::Op::eq ? "==" : "<=";
    // Report the subject's value against what the rest of the form implies for it.
    bool subject_is_rhs = c.subject == c.rhs_field;
    v.got = values[c.subject];
    v.expected = subject_is_rhs ? lhs : rhs;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace rekap
