// The device's own storage (IndexedDB): its key pair, the outbox, and the documents the page
// needs to fill in a form without a connection.
const NAME = 'rekap-petugas';
const STORES = { keys: null, outbox: 'id', docs: null };

let opened = null;

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function db() {
  opened ??= new Promise((resolve, reject) => {
    const r = indexedDB.open(NAME, 1);
    r.onupgradeneeded = () => {
      for (const [name, keyPath] of Object.entries(STORES)) {
        if (!r.result.objectStoreNames.contains(name)) r.result.createObjectStore(name, keyPath ? { keyPath } : undefined);
      }
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  return opened;
}

async function run(store, mode, op) {
  const tx = (await db()).transaction(store, mode);
  const result = await request(op(tx.objectStore(store)));
  // A write counts once its transaction has committed.
  if (mode === 'readwrite') {
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }
  return result;
}

export const get = (store, key) => run(store, 'readonly', (s) => s.get(key));
export const all = (store) => run(store, 'readonly', (s) => s.getAll());
export const put = (store, value, key) => run(store, 'readwrite', (s) => s.put(value, key));
export const remove = (store, key) => run(store, 'readwrite', (s) => s.delete(key));
