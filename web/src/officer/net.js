// The server, as the officer's page uses it. The documents needed to fill in a form (the
// election, the TPS, its contests) are kept on the device after every successful fetch, so a
// form can be entered and signed where there is no signal.
import * as store from './db.js';
import { toHex } from './statement.js';

export class HttpError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function bodyOf(res) {
  try {
    return await res.json();
  } catch {
    return null;
  }
}

// {status, body, retryAfter (seconds or null)}; rejects only when no answer came.
async function answer(res) {
  const after = Number(res.headers.get('retry-after'));
  return { status: res.status, body: await bodyOf(res), retryAfter: Number.isFinite(after) && after > 0 ? after : null };
}

// {doc, cached}: the server's document, or without a connection the copy kept from before.
export async function doc(path) {
  let res;
  try {
    res = await fetch(path, { cache: 'no-cache' });
  } catch (e) {
    const kept = await store.get('docs', path);
    if (kept === undefined) throw e;
    return { doc: kept, cached: true };
  }
  if (!res.ok) throw new HttpError(res.status, await bodyOf(res));
  const fresh = await res.json();
  await store.put('docs', fresh, path);
  return { doc: fresh, cached: false };
}

export const election = () => doc('api/v1/election');
export const tps = (code) => doc(`api/v1/tps/${code}`);
export const contest = (id) => doc(`api/v1/contests/${id}`);

export async function sha256Hex(blob) {
  return toHex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
}

export async function putImage(sha256, blob) {
  return answer(await fetch(`api/v1/images/${sha256}`, { method: 'PUT', body: blob }));
}

export async function postStatement(body) {
  return answer(
    await fetch('api/v1/statements', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

// The reader on uploaded photos (POST /api/v1/ocr, docs/api.md).
export async function readForm(images, tpsCode, ballot) {
  return answer(
    await fetch('api/v1/ocr', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ images, tps: tpsCode, ballot }),
    }),
  );
}
