// The officer's page offline: the page and its script and style are kept at install, and the
// page is served from that copy when the network fails, so an officer who opened it once can
// open it again without a signal. The API is not touched: the page keeps its own documents and
// outbox in IndexedDB. FILES and VERSION are filled in by web/build.mjs.
/* global FILES, VERSION */
const CACHE = `rekap-petugas-${VERSION}`;
const urls = FILES.map((f) => new URL(f, self.location).href);

self.addEventListener('install', (e) => {
  e.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(urls))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('rekap-petugas-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  url.search = '';
  if (req.mode === 'navigate' && url.href === urls[0]) {
    // The page: the network's when there is one (it names the current script), else the copy.
    e.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            e.waitUntil(caches.open(CACHE).then((c) => c.put(urls[0], copy)));
          }
          return res;
        })
        .catch(() => caches.match(urls[0])),
    );
  } else if (urls.includes(url.href)) {
    e.respondWith(caches.match(url.href).then((hit) => hit ?? fetch(req)));
  }
});
