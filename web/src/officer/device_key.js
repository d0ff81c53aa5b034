// The device's Ed25519 key (WebCrypto): made once, kept in IndexedDB with its private half
// not extractable, so the page can sign with it but no script can read it out.
import * as store from './db.js';
import { toBase64 } from './statement.js';

const ID = 'device';

// {privateKey, publicKey, publicBase64, created}, or null before one is made.
export async function loadKey() {
  return (await store.get('keys', ID)) ?? null;
}

export async function createKey() {
  const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  const raw = await crypto.subtle.exportKey('raw', pair.publicKey);
  const key = { privateKey: pair.privateKey, publicKey: pair.publicKey, publicBase64: toBase64(raw), created: Date.now() };
  await store.put('keys', key, ID);
  return key;
}

// The Ed25519 signature of the text's UTF-8 bytes, in base64 (as POST /api/v1/statements wants).
export async function sign(key, text) {
  const sig = await crypto.subtle.sign({ name: 'Ed25519' }, key.privateKey, new TextEncoder().encode(text));
  return toBase64(sig);
}
