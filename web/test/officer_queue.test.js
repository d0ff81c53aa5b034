// The outbox: photos first, then the statement; kept until acknowledged; refusals kept for the
// officer; retries with backoff on a timer, at once when back online; a duplicate answer is
// an acknowledgement like any other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIRST_RETRY_MS, MAX_RETRY_MS, Outbox, backoffMs, classify } from '../src/officer/queue.js';

// A store that keeps copies, as IndexedDB does.
function memoryStore() {
  const rows = new Map();
  return {
    rows,
    all: async () => [...rows.values()].map((r) => structuredClone(r)),
    put: async (item) => void rows.set(item.id, structuredClone(item)),
    remove: async (id) => void rows.delete(id),
  };
}

// A server whose answers the test scripts: each call takes the next answer for its kind, or
// throws (no connection) when the answer is 'offline'.
function server(answers) {
  const calls = [];
  const next = (kind, arg) => {
    calls.push([kind, arg]);
    const a = answers[kind].shift() ?? answers[kind].fallback;
    if (a === 'offline') return Promise.reject(new TypeError('Failed to fetch'));
    return Promise.resolve(a);
  };
  return {
    calls,
    transport: {
      putImage: (sha256) => next('image', sha256),
      postStatement: (body) => next('statement', body.statement),
    },
  };
}

const ok = (index) => ({ status: 200, body: { status: 'accepted', index }, retryAfter: null });
const stored = { status: 201, body: { status: 'stored' }, retryAfter: null };

function item(id, images = []) {
  return { id, statement: `statement ${id}\n`, signature: 'c2ln', images, label: { tps: '1101012001001', ballot: 'ppwp', rev: 1 } };
}

function setup(answers, clock = { t: 1000 }) {
  const store = memoryStore();
  const s = server(answers);
  const box = new Outbox({ store, transport: s.transport, now: () => clock.t, random: () => 0.5 });
  return { store, s, box, clock };
}

test('backoff doubles from 5 s to 5 minutes, spread by a quarter either way', () => {
  assert.equal(backoffMs(1, () => 0.5), FIRST_RETRY_MS);
  assert.equal(backoffMs(2, () => 0.5), 2 * FIRST_RETRY_MS);
  assert.equal(backoffMs(4, () => 0.5), 8 * FIRST_RETRY_MS);
  assert.equal(backoffMs(30, () => 0.5), MAX_RETRY_MS);
  assert.equal(backoffMs(1, () => 0), 0.75 * FIRST_RETRY_MS);
  assert.equal(backoffMs(1, () => 1), 1.25 * FIRST_RETRY_MS);
});

test('answers: 2xx done, 4xx refused except 408 and 429, the rest retried', () => {
  assert.deepEqual([200, 201, 400, 401, 409, 413, 422, 408, 429, 500, 503, 0].map(classify), [
    'ok', 'ok', 'refused', 'refused', 'refused', 'refused', 'refused', 'retry', 'retry', 'retry', 'retry', 'retry',
  ]);
});

test('photos are uploaded before the statement, and an acknowledged item stays as accepted', async () => {
  const { s, box, store } = setup({ image: [stored, stored], statement: [ok(7)] });
  await box.add(item('a', [{ sha256: 'p1', blob: 'x' }, { sha256: 'p2', blob: 'y', uploaded: true }, { sha256: 'p3', blob: 'z' }]));
  await box.flush();
  assert.deepEqual(s.calls.map(([k, a]) => `${k}:${a}`), ['image:p1', 'image:p3', 'statement:statement a\n']);
  const [saved] = await store.all();
  assert.equal(saved.state, 'accepted');
  assert.equal(saved.answer.index, 7);
  assert.equal(box.nextDue(), null);
});

test('offline: the item waits with backoff, survives a reload, and goes when back online', async () => {
  const clock = { t: 1000 };
  const answers = { image: [], statement: ['offline', 'offline'] };
  const { s, box, store } = setup(answers, clock);
  await box.add(item('a'));
  await box.flush();
  assert.equal(box.items[0].state, 'waiting');
  assert.equal(box.items[0].attempts, 1);
  assert.equal(box.nextDue(), 1000 + FIRST_RETRY_MS);
  assert.match(box.items[0].error.message, /Failed to fetch/);

  // Not due yet: a flush sends nothing.
  await box.flush();
  assert.equal(s.calls.length, 1);
  clock.t += FIRST_RETRY_MS;
  await box.flush();
  assert.equal(box.items[0].attempts, 2);
  assert.equal(box.nextDue(), clock.t + 2 * FIRST_RETRY_MS);

  // The page is reloaded: a new outbox over the same store still has it.
  const again = new Outbox({ store, transport: s.transport, now: () => clock.t, random: () => 0.5 });
  await again.load();
  assert.equal(again.pending().length, 1);
  answers.statement.push(ok(3));
  await again.retryNow();
  await again.flush();
  assert.equal(again.items[0].state, 'accepted');
  assert.equal(s.calls.length, 3);
});

test('a statement already stored is answered as the first time, and counts as acknowledged', async () => {
  const { box } = setup({ image: [], statement: [ok(12)] });
  await box.add(item('a'));
  await box.add(item('a'));
  assert.equal(box.items.length, 1);
  await box.flush();
  assert.equal(box.items[0].state, 'accepted');
  assert.equal(box.items[0].answer.index, 12);
});

test('a refusal is kept with its reason and not retried until the officer asks', async () => {
  const refused = { status: 401, body: { error: 'unknown_signer', message: 'the signer key is not enrolled' }, retryAfter: null };
  const { s, box } = setup({ image: [], statement: [refused, ok(5)] });
  await box.add(item('a'));
  await box.flush();
  assert.equal(box.items[0].state, 'refused');
  assert.deepEqual(box.items[0].error, { status: 401, code: 'unknown_signer', message: 'the signer key is not enrolled' });
  await box.retryNow();
  await box.flush();
  assert.equal(s.calls.length, 1);
  await box.resend('a');
  await box.flush();
  assert.equal(box.items[0].state, 'accepted');
});

test('a busy server\'s Retry-After is respected when longer than the backoff', async () => {
  const busy = { status: 503, body: { error: 'store_failed' }, retryAfter: 60 };
  const { box, clock } = setup({ image: [], statement: [busy] });
  await box.add(item('a'));
  await box.flush();
  assert.equal(box.items[0].state, 'waiting');
  assert.equal(box.nextDue(), clock.t + 60000);
});

test('a photo the server refuses refuses the item; a photo upload cut off is retried', async () => {
  const mismatch = { status: 422, body: { error: 'hash_mismatch', message: 'image hash mismatch' }, retryAfter: null };
  const { s, box } = setup({ image: ['offline', mismatch], statement: [] });
  await box.add(item('a', [{ sha256: 'p1', blob: 'x' }]));
  await box.flush();
  assert.equal(box.items[0].state, 'waiting');
  await box.retryNow();
  await box.flush();
  assert.equal(box.items[0].state, 'refused');
  assert.equal(box.items[0].error.code, 'hash_mismatch');
  assert.equal(s.calls.filter(([k]) => k === 'statement').length, 0);
});

test('an uploaded photo is not sent again when the statement has to be retried', async () => {
  const { s, box } = setup({ image: [stored], statement: ['offline', ok(9)] });
  await box.add(item('a', [{ sha256: 'p1', blob: 'x' }]));
  await box.flush();
  await box.retryNow();
  await box.flush();
  assert.deepEqual(s.calls.map(([k]) => k), ['image', 'statement', 'statement']);
  assert.equal(box.items[0].state, 'accepted');
});

test('flushes do not overlap: a second call joins the first', async () => {
  let release;
  const gate = new Promise((r) => (release = r));
  let posts = 0;
  const store = memoryStore();
  const box = new Outbox({
    store,
    transport: { putImage: async () => stored, postStatement: async () => (posts++, await gate, ok(1)) },
  });
  await box.add(item('a'));
  const first = box.flush();
  const second = box.flush();
  assert.equal(first, second);
  release();
  await first;
  assert.equal(posts, 1);
});
