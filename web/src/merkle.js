// Checks an RFC 9162 inclusion proof (the one rekap's TPS documents carry) against the root
// hash a checkpoint states, with WebCrypto's SHA-256. Unit-tested in test/merkle.test.js.

export function fromHex(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

function fromBase64(b64) {
  const bin = atob(b64);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function nodeHash(left, right) {
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = 1;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
}

// The root that leaf `index` of a tree of `size` leaves and the audit path give
// (RFC 9162, 2.1.3.2); null when the path does not fit the tree.
export async function rootFromInclusion(leaf, index, size, path) {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

// The tree size and root hash a checkpoint note states (C2SP tlog-checkpoint: origin, size,
// base64 root on the first three lines).
function parseCheckpoint(note) {
  const lines = note.split('\n');
  return { origin: lines[0], size: Number(lines[1]), root: fromBase64(lines[2]) };
}

// Whether a TPS document's proof ({index, leaf_hash, tree_size, hashes, checkpoint}) puts its
// leaf under the checkpoint's root. The checkpoint's signature is checked by `rekap verify`.
export async function verifyProof(proof) {
  const cp = parseCheckpoint(proof.checkpoint);
  if (cp.size !== proof.tree_size) return false;
  const root = await rootFromInclusion(
    fromHex(proof.leaf_hash),
    proof.index,
    proof.tree_size,
    proof.hashes.map(fromHex),
  );
  return root !== null && root.length === cp.root.length && root.every((b, i) => b === cp.root[i]);
}
