// The outbox: signed statements (with their photos) wait on the device until the server has
// acknowledged them. Retries on a timer with exponential backoff, and at once when the device
// comes back online. The server answers a statement it already stored with its first answer
// (docs/api.md, idempotency), so sending one twice is harmless.
//
// Storage and network are passed in, so the logic runs under node --test:
//   store:     {all(), put(item), remove(id)}, promises; items are plain objects (photos as Blobs)
//   transport: {putImage(sha256, blob), postStatement({statement, signature})}, each resolving
//              to {status, body, retryAfter} (retryAfter: seconds or null) and rejecting when
//              the request did not get through.

export const FIRST_RETRY_MS = 5000;
export const MAX_RETRY_MS = 5 * 60 * 1000;

// How long to wait after `attempts` failed tries: doubling from 5 s to 5 minutes, spread by
// ±25% so that devices cut off together do not all come back in the same second.
export function backoffMs(attempts, random = Math.random) {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.75 + 0.5 * random()));
}

// What an answer means for the item: done, refused for good, or try again later. Refusals are
// the 4xx a retry cannot change; 408 and 429 are the server asking for patience.
export function classify(status) {
  if (status >= 200 && status < 300) return 'ok';
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return 'refused';
  return 'retry';
}

export class Outbox {
  constructor({ store, transport, now = () => Date.now(), random = Math.random, onChange = () => {} }) {
    this.store = store;
    this.transport = transport;
    this.now = now;
    this.random = random;
    this.onChange = onChange;
    this.items = [];
    this.flushing = null;
  }

  async load() {
    this.items = (await this.store.all()).sort((a, b) => a.created - b.created);
    this.onChange(this.items);
  }

  // Queues a signed statement: {id, statement, signature, images: [{sha256, blob, uploaded}],
  // label}. The id is the statement's SHA-256, so queuing the same statement twice keeps one.
  async add({ id, statement, signature, images, label }) {
    if (this.items.some((i) => i.id === id)) return;
    const item = {
      id,
      statement,
      signature,
      label,
      images: images.map(({ sha256, blob, uploaded = false }) => ({ sha256, blob, uploaded })),
      state: 'waiting',
      attempts: 0,
      created: this.now(),
      nextAt: this.now(),
      error: null,
      answer: null,
    };
    await this.save(item);
  }

  // Items still to send.
  pending() {
    return this.items.filter((i) => i.state === 'waiting');
  }

  // When the next waiting item is due, or null when none waits.
  nextDue() {
    const due = this.pending().map((i) => i.nextAt);
    return due.length ? Math.min(...due) : null;
  }

  // Everything waiting becomes due now (the device is back online, or the officer asked).
  async retryNow() {
    for (const item of this.pending()) await this.save({ ...item, nextAt: this.now() });
  }

  // A refused item sent again as it is (e.g. once its key has been enrolled).
  async resend(id) {
    const item = this.items.find((i) => i.id === id);
    if (item) await this.save({ ...item, state: 'waiting', nextAt: this.now(), error: null });
  }

  async remove(id) {
    await this.store.remove(id);
    this.items = this.items.filter((i) => i.id !== id);
    this.onChange(this.items);
  }

  // Sends every due item, oldest first; one flush at a time (a second call joins the first).
  flush() {
    this.flushing ??= this.sendDue().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  async sendDue() {
    for (const item of this.pending()) {
      if (item.nextAt > this.now()) continue;
      await this.send(item);
    }
  }

  async send(item) {
    let current = item;
    try {
      for (const [k, image] of current.images.entries()) {
        if (image.uploaded) continue;
        const res = await this.transport.putImage(image.sha256, image.blob);
        if (classify(res.status) !== 'ok') return await this.failed(current, res, `photo: HTTP ${res.status}`);
        const images = current.images.map((im, j) => (j === k ? { ...im, uploaded: true } : im));
        current = await this.save({ ...current, images });
      }
      const res = await this.transport.postStatement({ statement: current.statement, signature: current.signature });
      if (classify(res.status) !== 'ok') return await this.failed(current, res, `HTTP ${res.status}`);
      await this.save({ ...current, state: 'accepted', answer: res.body, error: null, acknowledged: this.now() });
    } catch (e) {
      await this.failed(current, { status: 0, body: null, retryAfter: null }, e.message || String(e));
    }
  }

  async failed(item, res, fallback) {
    const error = { status: res.status, code: res.body?.error ?? null, message: res.body?.message ?? fallback };
    if (classify(res.status) === 'refused') {
      return this.save({ ...item, state: 'refused', error });
    }
    const attempts = item.attempts + 1;
    const wait = Math.max(backoffMs(attempts, this.random), (res.retryAfter ?? 0) * 1000);
    return this.save({ ...item, attempts, nextAt: this.now() + wait, error });
  }

  async save(item) {
    await this.store.put(item);
    const i = this.items.findIndex((x) => x.id === item.id);
    if (i >= 0) this.items[i] = item;
    else this.items.push(item);
    this.onChange(this.items);
    return item;
  }
}
