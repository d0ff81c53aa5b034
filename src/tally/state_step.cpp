#include "tally/state_step.hpp"

namespace rekap {

StateStep step_state(Ledger& ledger, const SignedStatement& s,
                     const Ledger::ImageExists& image_exists,
                     const SupersededValues& superseded_values, const Decision* content) {
  StateStep out;
  out.decision = ledger.decide(s, image_exists, content);
  const Decision& d = out.decision;
  if (!d.accepted()) return out;
  ledger.apply(s, d);
  if (d.tps < 0) return out;
  TallyChange change;
  change.tps = d.tps;
  change.ballot = s.statement.ballot;
  // Superseding is rare (corrections, re-read forms): the old numbers are read back then.
  if (d.superseded) change.previous = superseded_values(*d.superseded, d.tps, change.ballot);
  change.current = d.values;
  out.change = std::move(change);
  return out;
}

}  // namespace rekap
