// Helpers of the browser tests: Debian's chromium through playwright-core, the API read from
// Node, and a static mirror of the publish directory (what nginx or a CDN would serve).
import { chromium } from 'playwright-core';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';

export const env = {
  url: process.env.REKAP_URL,
  publish: process.env.REKAP_PUBLISH,
  def: process.env.REKAP_DEF,
  artifacts: process.env.REKAP_ARTIFACTS,
  // The officer's page test enrols keys and makes photos with the program itself.
  rekap: process.env.REKAP_BIN,
  adminKey: process.env.REKAP_ADMIN_KEY,
  work: process.env.REKAP_WORK,
};

// Generous: CI runs this on two loaded cores.
export const TIMEOUT = 60000;

export async function launch() {
  const profile = await mkdtemp(join(tmpdir(), 'rekap-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.REKAP_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // A phone: the portal's first audience.
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
  context.setDefaultTimeout(TIMEOUT);
  const errors = [];
  context.on('weberror', (e) => errors.push(e.error().message));
  return {
    context,
    errors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function api(path, base = env.url) {
  const res = await fetch(base + path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

// Opens a view and waits until it has rendered (main[data-view] without aria-busy).
export async function open(page, base, hash, view) {
  await page.goto(`${base}/${hash}`);
  await waitView(page, view);
}

export async function waitView(page, view) {
  const sel = view ? `main[data-view="${view}"]:not([aria-busy])` : 'main[data-view]:not([aria-busy])';
  await page.waitForSelector(sel);
}

export async function shot(page, name) {
  await page.screenshot({ path: join(env.artifacts, `${name}.png`), fullPage: true });
}

export function sumTotals(list) {
  const out = {};
  for (const totals of list) {
    if (!totals) continue;
    for (const [k, v] of Object.entries(totals)) out[k] = (out[k] ?? 0) + v;
  }
  return out;
}

export async function tpsCodes() {
  const csv = await readFile(join(env.def, 'tps.csv'), 'utf8');
  return csv.trim().split('\n').slice(1).map((line) => line.split(',')[0]);
}

export function regionPath(code) {
  return [2, 4, 6, 10, 13].filter((n) => n <= code.length).map((n) => code.slice(0, n)).join('/');
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

// Serves `root` as the nginx configuration in docs/portal.md does: a file, else <path>.json,
// "/" as index.html; photos by their first bytes. Resolves to {url, close}.
export function staticMirror(root) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const rel = normalize(path === '/' ? '/index.html' : path);
    if (rel.includes('..')) {
      res.writeHead(400).end();
      return;
    }
    for (const candidate of [rel, `${rel}.json`]) {
      const file = join(root, candidate);
      try {
        if (!(await stat(file)).isFile()) continue;
      } catch {
        continue;
      }
      const body = await readFile(file);
      let type = TYPES[extname(file)] ?? 'application/octet-stream';
      if (path.startsWith('/api/v1/images/')) type = body[0] === 0x89 ? 'image/png' : 'image/jpeg';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' }).end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) }),
    );
  });
}

// Waits until `check` returns a truthy value, polling (the server publishes in the background).
export async function until(what, check, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
