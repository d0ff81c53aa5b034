// The officer page's statement text against statements rekap's C++ side wrote and signed
// (fixtures/statements.json): the same fields give the same bytes, and the C++ signature
// (libsodium) verifies over the bytes built here with WebCrypto, so the server will accept
// what the page signs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { resultStatement, statementId, statementTime, toBase64, toHex, validTime } from '../src/officer/statement.js';

// Browsers and Node 20 have WebCrypto as a global; Debian 12's Node 18 has it in node:crypto.
globalThis.crypto ??= webcrypto;

const fixture = JSON.parse(readFileSync(new URL('./fixtures/statements.json', import.meta.url), 'utf8'));

// A log entry's statement and signature, and the fields it states (read line by line here,
// independently of the encoder under test).
function parseEntry(entry) {
  const cut = entry.lastIndexOf('sig ');
  const text = entry.slice(0, cut);
  const signature = entry.slice(cut + 4).trim();
  const fields = { images: [], values: [] };
  for (const line of text.split('\n').slice(1, -1)) {
    const [key, ...rest] = line.split(' ');
    if (key === 'image') fields.images.push(rest[0]);
    else if (key === 'v') fields.values.push([rest[0], Number(rest[1])]);
    else fields[key] = key === 'rev' ? Number(rest[0]) : rest.join(' ');
  }
  return { text, signature, fields };
}

const fromBase64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

for (const entry of fixture.entries) {
  const { text, signature, fields } = parseEntry(entry);
  const name = `${fields.ballot}${fields.images.length ? ' with photos' : ''}`;

  test(`a ${name} result is encoded byte for byte as the C++ side encodes it`, () => {
    // Photos in any order: the statement lists them sorted.
    const images = [...fields.images].reverse();
    assert.equal(resultStatement({ ...fields, images }), text);
  });

  test(`the C++ signature of the ${name} result verifies over the page's bytes`, async () => {
    const bytes = new TextEncoder().encode(resultStatement(fields));
    const key = await crypto.subtle.importKey('raw', fromBase64(fields.signer), { name: 'Ed25519' }, false, ['verify']);
    assert.equal(await crypto.subtle.verify({ name: 'Ed25519' }, key, fromBase64(signature), bytes), true);
  });
}

test('a statement signed with WebCrypto is in the wire form the server reads', async () => {
  const { fields } = parseEntry(fixture.entries[0]);
  const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  const signer = toBase64(await crypto.subtle.exportKey('raw', pair.publicKey));
  assert.match(signer, /^[A-Za-z0-9+/]{43}=$/);
  const text = resultStatement({ ...fields, signer });
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, new TextEncoder().encode(text)));
  assert.equal(sig.length, 64);
  assert.equal(await crypto.subtle.verify({ name: 'Ed25519' }, pair.publicKey, sig, new TextEncoder().encode(text)), true);
  assert.match(toBase64(sig), /^[A-Za-z0-9+/]{86}==$/);
});

test('the id is the SHA-256 of the text in hex', async () => {
  assert.equal(await statementId('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(toHex(new Uint8Array([0, 15, 255])), '000fff');
});

test('the statement clock is UTC to the second', () => {
  assert.equal(statementTime(new Date(Date.UTC(2024, 1, 14, 6, 5, 9, 987))), '2024-02-14T06:05:09Z');
  assert.equal(validTime('2024-02-14T06:05:09Z'), true);
  for (const bad of ['2024-13-14T06:05:09Z', '2024-02-14T24:00:00Z', '2024-02-14 06:05:09Z', '2024-02-14T06:05:09.000Z']) {
    assert.equal(validTime(bad), false, bad);
  }
});

test('what the server would refuse as malformed is refused before signing', () => {
  const { fields } = parseEntry(fixture.entries[0]);
  const bad = [
    [{ election: 'two words' }, /election/],
    [{ signer: 'MEqruGPLw2hbAwc7xloMg90JCnpa3rprzzYkdhAQydt=' }, /signer/], // not canonical base64
    [{ time: '2024-02-14T13:00:00.000Z' }, /time/],
    [{ tps: '110101200100' }, /tps/],
    [{ ballot: 'dpr' }, /ballot/],
    [{ rev: 0 }, /rev/],
    [{ images: ['AB'.repeat(32)] }, /image/],
    [{ images: ['ab'.repeat(32), 'ab'.repeat(32)] }, /twice/],
    [{ values: [] }, /values/],
    [{ values: [['c1', -1]] }, /c1/],
    [{ values: [['c1', 1e9]] }, /c1/],
    [{ values: [['c1', 1.5]] }, /c1/],
    [{ values: [['C1', 1]] }, /field name/],
  ];
  for (const [change, message] of bad) {
    assert.throws(() => resultStatement({ ...fields, ...change }), message, JSON.stringify(change));
  }
});
