// Seat projections from published totals: which dapil a region holds whole, the DPR's national
// threshold, and seats per party summed over dapil.
import * as api from './api.js';
import { docTotals, partyVotes } from './fields.js';
import { dapilSeats, passing } from './seats.js';

export const DPR_THRESHOLD_PERCENT = 4;

// The parties passing the DPR threshold, from the national summary of every DPR dapil, with
// the national votes behind it. `national` may be given when already loaded.
export async function dprEligible(national) {
  const doc = national ?? (await api.summary('pdpr', ''));
  const totals = docTotals(doc);
  const votes = partyVotes(totals);
  const valid = totals.suara_sah ?? 0;
  return { eligible: passing(votes, valid, DPR_THRESHOLD_PERCENT), votes, valid };
}

// Seats per party (Map) summed over `contests` ([{seats, totals}]).
export function projectSeats(contests, eligible) {
  const out = new Map();
  for (const c of contests) {
    for (const [p, s] of dapilSeats(partyVotes(c.totals), c.seats, eligible)) {
      out.set(p, (out.get(p) ?? 0) + s);
    }
  }
  return out;
}
