// Seat allocation as Indonesia's election law (UU 7/2017) sets it, for projections from the
// votes counted so far. Pure functions of plain numbers: unit-tested in test/seats.test.js.

// Sainte-Laguë: each party's votes are divided by 1, 3, 5, …; the `seats` largest quotients
// win a seat each. `votes` maps a party (any key) to its votes. Returns a Map party -> seats.
//
// Quotients are compared exactly, by cross-multiplying (votes times odd divisors stay far
// below 2^53). Equal quotients go to the party with more votes, then to the key listed first:
// the law leaves such ties to the commission, which this projection cannot foresee.
export function sainteLague(votes, seats) {
  const parties = [...votes].filter(([, v]) => v > 0);
  const won = new Map(parties.map(([p]) => [p, 0]));
  for (let s = 0; s < seats && parties.length > 0; s++) {
    let best = null;
    for (const [p, v] of parties) {
      if (best === null) {
        best = [p, v];
        continue;
      }
      // v / (2 won(p) + 1) against best's quotient.
      const lhs = v * (2 * won.get(best[0]) + 1);
      const rhs = best[1] * (2 * won.get(p) + 1);
      if (lhs > rhs || (lhs === rhs && v > best[1])) best = [p, v];
    }
    won.set(best[0], won.get(best[0]) + 1);
  }
  return won;
}

// The parties that pass a threshold of `percent` of the valid votes: a party with exactly the
// threshold passes ("paling sedikit 4%").
export function passing(nationalVotes, nationalValid, percent) {
  const out = new Set();
  for (const [p, v] of nationalVotes) {
    if (v > 0 && v * 100 >= percent * nationalValid) out.add(p);
  }
  return out;
}

// Seats of each party in one dapil. `eligible` (a Set) limits the parties that may win seats
// (DPR: those passing the national threshold); null lets every party compete (DPRD).
export function dapilSeats(partyVotes, seats, eligible = null) {
  const competing = eligible ? new Map([...partyVotes].filter(([p]) => eligible.has(p))) : partyVotes;
  return sainteLague(competing, seats);
}

// Within a party, its seats go to its candidates with the most votes (open list). Equal votes
// go to the candidate listed first. `candidates` is [{key, votes}]; returns the keys elected.
export function electedCandidates(candidates, seats) {
  return candidates
    .map((c, i) => ({ ...c, i }))
    .sort((a, b) => b.votes - a.votes || a.i - b.i)
    .slice(0, seats)
    .map((c) => c.key);
}
