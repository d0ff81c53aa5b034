// Seat allocation: Sainte-Laguë, the DPR's 4% national threshold, candidates within a party.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dapilSeats, electedCandidates, passing, sainteLague } from '../src/seats.js';

const obj = (m) => Object.fromEntries(m);

test('Sainte-Laguë: the textbook example (8 seats: 100k, 80k, 30k, 20k votes)', () => {
  // Quotients: A 100000 33333 20000 14286; B 80000 26667 16000; C 30000 10000; D 20000 6667.
  // The 8 largest: A 100000, B 80000, A 33333, C 30000, B 26667, A 20000, D 20000, B 16000.
  const seats = sainteLague(new Map([['A', 100000], ['B', 80000], ['C', 30000], ['D', 20000]]), 8);
  assert.deepEqual(obj(seats), { A: 3, B: 3, C: 1, D: 1 });
});

test('Sainte-Laguë favours no large party as D’Hondt does', () => {
  // D'Hondt (1, 2, 3, ...) would give A all 3 seats (60, 30, 20 beat 25 and 15).
  const seats = sainteLague(new Map([['A', 60], ['B', 25], ['C', 15]]), 3);
  assert.deepEqual(obj(seats), { A: 2, B: 1, C: 0 });
});

test('equal quotients go to the party with more votes', () => {
  // Second seat: P 300/3 = 100 against Q 100/1 = 100.
  assert.deepEqual(obj(sainteLague(new Map([['Q', 100], ['P', 300]]), 2)), { Q: 0, P: 2 });
  // Equal votes too: the party listed first.
  assert.deepEqual(obj(sainteLague(new Map([['R', 50], ['S', 50]]), 1)), { R: 1, S: 0 });
});

test('parties without votes win nothing, and seats are never more than asked', () => {
  assert.deepEqual(obj(sainteLague(new Map([['A', 0], ['B', 0]]), 3)), {});
  const seats = sainteLague(new Map([['A', 7], ['B', 3]]), 5);
  assert.equal([...seats.values()].reduce((a, b) => a + b, 0), 5);
});

test('the 4% threshold: at least 4% of the national valid votes passes', () => {
  const votes = new Map([[1, 4], [2, 3], [3, 93]]);
  assert.deepEqual([...passing(votes, 100, 4)].sort(), [1, 3]);
  // 3.99%: 399 of 10000 fails, 400 passes.
  assert.deepEqual([...passing(new Map([[1, 399], [2, 400]]), 10000, 4)], [2]);
});

// A worked example of two DPR dapil. Nationally X 1300, Y 820, Z 470 and W 90 of 2680 valid
// votes: W has 3.36%, below 4%, and wins no DPR seat even where it would under Sainte-Laguë
// alone (as in a DPRD, which has no threshold).
test('a worked DPR example with the national threshold, and the DPRD without it', () => {
  const dapil1 = new Map([['X', 300], ['Y', 120], ['Z', 70], ['W', 90]]);
  const dapil2 = new Map([['X', 1000], ['Y', 700], ['Z', 400], ['W', 0]]);
  const national = new Map([['X', 1300], ['Y', 820], ['Z', 470], ['W', 90]]);
  const eligible = passing(national, 2680, 4);
  assert.deepEqual([...eligible].sort(), ['X', 'Y', 'Z']);
  // Dapil 1, 4 seats: X 300, Y 120, X 100, Z 70 (W's 90 does not count).
  assert.deepEqual(obj(dapilSeats(dapil1, 4, eligible)), { X: 2, Y: 1, Z: 1 });
  // The same votes for a DPRD: X 300, Y 120, X 100, W 90.
  assert.deepEqual(obj(dapilSeats(dapil1, 4)), { X: 2, Y: 1, Z: 0, W: 1 });
  // Dapil 2, 6 seats: X 1000, Y 700, Z 400, X 333, Y 233, X 200.
  assert.deepEqual(obj(dapilSeats(dapil2, 6, eligible)), { X: 3, Y: 2, Z: 1 });
});

test('a party’s seats go to its candidates with the most votes', () => {
  const cands = [{ key: 1, votes: 40 }, { key: 2, votes: 90 }, { key: 3, votes: 40 }, { key: 4, votes: 10 }];
  assert.deepEqual(electedCandidates(cands, 2), [2, 1]);
  assert.deepEqual(electedCandidates(cands, 0), []);
});
