#pragma once
// Form-level decoding: among the likely readings of every field, the most probable assignment
// that satisfies every constraint of the form (core/form_layout + the TPS's registered voters).
// A form is accepted automatically only when that assignment is both close to what was read and
// clearly more probable than any other consistent assignment; otherwise exactly the fields that
// could be different are marked for a person.
#include <cstdint>
#include <string>
#include <vector>

#include "core/form_layout.hpp"
#include "core/rules.hpp"
#include "ocr/evidence.hpp"

namespace rekap::ocr {

struct DecodeOptions {
  // How much less probable (in nats) every other consistent assignment must be: 9.2 = 1 : 10,000.
  double margin = 9.2;
  // The most the chosen assignment may cost over the plain per-field readings; beyond it the
  // arithmetic on the paper itself may be wrong, which only a person can judge. 6.9 = 1 : 1,000.
  double max_correction = 6.9;
  // Search effort; a form that needs more is sent to review rather than guessed.
  std::size_t node_limit = 400000;
  std::size_t max_alternatives = 16;
};

struct FormDecision {
  bool consistent = false;  // some assignment within the search window satisfies every rule
  bool accepted = false;
  std::string reason;                  // why not accepted; empty when accepted
  std::vector<std::uint32_t> values;   // the best consistent assignment, else the plain readings
  std::vector<int> read;               // plain per-field readings (each field's cheapest value)
  std::vector<bool> review;            // fields a person must look at
  std::vector<double> confidence;      // per field, probability the value is right given the form
  double correction_cost = 0;          // chosen assignment's cost over the plain readings (nats)
  double runner_up_gap = kImpossible;  // next consistent assignment's extra cost (nats)
  std::vector<Violation> violations;   // rules the plain readings break
  std::size_t nodes = 0;               // search nodes visited
};

// `costs` is aligned with layout.fields. Costs above the TPS's bound are made impossible.
FormDecision decode_form(const FormLayout& layout, const TpsParams& tps,
                         std::vector<FieldCosts> costs, const DecodeOptions& options = {});

}  // namespace rekap::ocr
