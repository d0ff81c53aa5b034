// What the numbers of a C1 form mean, from the field names every contest uses
// (docs/api.md, GET /api/v1/contests): c<n> a candidate's votes (PPWP pairs, DPD); on party
// ballots p<n> the votes for party n only, p<n>c<m> its candidate m, p<n>t the party's total.

const PARTY_BALLOTS = new Set(['pdpr', 'pdprdp', 'pdprdk']);

export function isPartyBallot(ballot) {
  return PARTY_BALLOTS.has(ballot);
}

// Sums each field over several totals objects (several dapil within a region); null totals
// (a TPS not reported) are skipped.
export function sumTotals(list) {
  const out = {};
  for (const totals of list) {
    if (!totals) continue;
    for (const [k, v] of Object.entries(totals)) out[k] = (out[k] ?? 0) + v;
  }
  return out;
}

// The totals of a region's document: a summary has them summed (src/publish/portal/region_summary.hpp),
// a results document per contest. A child not reported has null.
export function docTotals(doc) {
  return doc.totals ?? sumTotals(doc.contests.map((c) => c.totals));
}
export function childTotals(child) {
  if (child.progress.reported === 0) return null;
  return child.totals ?? sumTotals(child.contests.map((c) => c.totals));
}
// The id of the one contest in a region's document, if it has one.
export function singleContest(doc) {
  if (doc.totals) return doc.contest ?? null;
  return doc.contests.length === 1 ? doc.contests[0].id : null;
}

// Candidate votes on a candidate ballot: [{number, votes}] in ballot order.
export function candidateVotes(totals) {
  const out = [];
  for (const [k, v] of Object.entries(totals ?? {})) {
    const m = /^c(\d+)$/.exec(k);
    if (m) out.push({ number: Number(m[1]), votes: v });
  }
  return out.sort((a, b) => a.number - b.number);
}

// Party totals on a party ballot: Map party number -> votes (p<n>t).
export function partyVotes(totals) {
  const out = new Map();
  for (const [k, v] of Object.entries(totals ?? {})) {
    const m = /^p(\d+)t$/.exec(k);
    if (m) out.set(Number(m[1]), v);
  }
  return out;
}

// A party's candidates' votes on a party ballot: [{number, votes}] in ballot order.
export function partyCandidateVotes(totals, party) {
  const out = [];
  const re = new RegExp(`^p${party}c(\\d+)$`);
  for (const [k, v] of Object.entries(totals ?? {})) {
    const m = re.exec(k);
    if (m) out.push({ number: Number(m[1]), votes: v });
  }
  return out.sort((a, b) => a.number - b.number);
}

// Party number of a votes field (p3, p3c2, p3t), or null.
export function partyOfField(name) {
  const m = /^p(\d+)(?:c\d+|t)?$/.exec(name);
  return m ? Number(m[1]) : null;
}

// A fixed colour per party number and per candidate number, so a party keeps its colour on
// every page: Kelly's colours of maximum contrast, then a few more.
const PALETTE = [
  '#0067a5', '#be0032', '#008856', '#f38400', '#875692', '#f3c300', '#882d17', '#a1caf1',
  '#e68fac', '#8db600', '#604e97', '#f99379', '#654522', '#c2b280', '#b3446c', '#848482',
  '#2b3d26', '#e25822', '#dcd300', '#222222', '#4c9a9a', '#f6a600', '#7f9fd1', '#a05a2c',
];
export function colour(n) {
  return PALETTE[(Number(n) - 1 + PALETTE.length) % PALETTE.length];
}
