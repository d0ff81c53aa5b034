#pragma once
// The one step of the election's state that every replay of the log takes — the sequencer as
// statements arrive, the rebuild at start, the auditor from the public log: decide the statement
// against the ledger and, when it is accepted, apply it and say how it changes the totals. Pure:
// the numbers of a result being superseded come from `superseded_values`, read wherever the
// caller keeps them (the store, the batch in hand, a map of its own).
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/ledger.hpp"
#include "tally/tally.hpp"

namespace rekap {

struct StateStep {
  Decision decision;
  std::optional<TallyChange> change;  // for an accepted result or correction
};

// The numbers of the result at log `index`, in force until now for `tps` on `ballot`.
using SupersededValues =
    std::function<std::vector<std::uint32_t>(std::uint64_t index, int tps, Ballot ballot)>;

// `content`, when given, is check_result_content's answer computed beforehand (Ledger::decide).
StateStep step_state(Ledger& ledger, const SignedStatement& s,
                     const Ledger::ImageExists& image_exists,
                     const SupersededValues& superseded_values, const Decision* content = nullptr);

}  // namespace rekap
