// Inclusion proofs: against trees built here by RFC 9162's definitions, and against a proof
// rekap's server gave (C++ and JavaScript agree).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { webcrypto } from 'node:crypto';
import { fromHex, rootFromInclusion, verifyProof } from '../src/merkle.js';

// Browsers and Node 20 have WebCrypto as a global; Debian 12's Node 18 has it in node:crypto.
globalThis.crypto ??= webcrypto;

const sha = (...parts) => new Uint8Array(createHash('sha256').update(Buffer.concat(parts.map((p) => Buffer.from(p)))).digest());
const leafHash = (data) => sha([0], data);
const nodeHash = (l, r) => sha([1], l, r);

// RFC 9162 2.1.1: MTH, with k the largest power of two smaller than n.
function split(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
function mth(leaves) {
  if (leaves.length === 1) return leaves[0];
  const k = split(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
// RFC 9162 2.1.3.1: PATH(m, D[n]).
function path(m, leaves) {
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

test('every leaf of trees of 1 to 20 leaves gives the tree’s root', async () => {
  for (let n = 1; n <= 20; n++) {
    const leaves = Array.from({ length: n }, (_, i) => leafHash(`entry ${i}`));
    const root = mth(leaves);
    for (let m = 0; m < n; m++) {
      const got = await rootFromInclusion(leaves[m], m, n, path(m, leaves));
      assert.deepEqual(got, root, `leaf ${m} of ${n}`);
    }
  }
});

test('a wrong leaf, index, size or path does not give the root', async () => {
  const leaves = Array.from({ length: 11 }, (_, i) => leafHash(`entry ${i}`));
  const root = mth(leaves);
  const p = path(6, leaves);
  assert.notDeepEqual(await rootFromInclusion(leaves[5], 6, 11, p), root);
  assert.notDeepEqual(await rootFromInclusion(leaves[6], 7, 11, p), root);
  // A size whose tree has another shape for this leaf (sizes 9 to 16 have the same shape).
  assert.equal(await rootFromInclusion(leaves[6], 6, 8, p), null);
  assert.equal(await rootFromInclusion(leaves[6], 6, 11, p.slice(1)), null);
  assert.equal(await rootFromInclusion(leaves[6], 11, 11, p), null);
});

// GET /api/v1/tps/1101012001001 of a simulated election (rekap sim geo --scale tiny --seed 1).
const served = {
  index: 32,
  leaf_hash: '7b565d3de34415066a04a846cf8f5dcbcfbaa72e91f8bc51c063dd48059ba1f2',
  tree_size: 177,
  hashes: [
    '350f15a1261a98d53271bebe53bbcb9fb92f783ec3d8b6fc3e45399d7cfbf28d',
    '7f9c212e7baf0f556b56e8fe74ec6f14900de26385ec6a3850d7ea82773feb7c',
    'e3ea930ceece738c70cca98d1e3659c827ea291cb4863e0f9686826820c171cf',
    '7a289758d32396ad00c3f88c27a4b2cd3b4b1d56a3f71cf35efad91e5133e6d5',
    'eaf4bb4fd7b1ff2cad72abd952b1218f64efad561adcb582ccf187425d0d1f21',
    'bd1d9b34c094f3e492f0b7b99e8f690f7e2be2d94cd39b5b4cb5e1c4cbe02bbe',
    '0724d6763cfd1eb5fc101c98441196bd66c0ccb555bbd3b7b402b069e8dfc7c9',
    '82717518eea0a4d2ca0c2c2b002ff16084f432acc6a2250886362b3edf7f35b6',
  ],
  checkpoint:
    'rekap.local/sim-tiny-1\n177\nT5QH073N5KX/A63yETJVezRZoiscKPTxp0afYWWWlSM=\n\n\u2014 rekap.local/sim-tiny-1 1KXgWE8bvNPnBPZYNyjmQXgxxkNf6fSYmA9J3iPbcdXCsWA8SGtxtE0bH1Bj+Fz1v+WIFdtCnuSwyBg/3IpfcpI1zA4=\n',
};

test('a proof served by rekap verifies, and fails when one byte changes', async () => {
  assert.equal(await verifyProof(served), true);
  const tampered = { ...served, hashes: [...served.hashes] };
  tampered.hashes[3] = tampered.hashes[3].replace(/^7a/, '7b');
  assert.equal(await verifyProof(tampered), false);
  assert.equal(await verifyProof({ ...served, index: 33 }), false);
  assert.equal(await verifyProof({ ...served, tree_size: 176 }), false);
  assert.equal(fromHex('00ff10').join(','), '0,255,16');
});
