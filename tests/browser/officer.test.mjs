// The officer's page (/petugas) in a real browser against the real server that run.sh set up
// (after portal.test.mjs, whose numbers this changes): a device key made in the browser and
// enrolled with `rekap enroll`, a synthetic photo of the C1 form read by POST /api/v1/ocr,
// doubtful numbers corrected, the rules checked live, the statement signed in the browser and
// seen in the API's totals; then a form entered and signed without a connection, queued on the
// device across a reload, and sent once the connection is back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { api, env, launch, shot, tpsCodes, until } from './lib.mjs';

const exec = promisify(execFile);
const rekap = (...args) => exec(env.rekap, args);

let browser;
let page;

before(async () => {
  browser = await launch();
  page = await browser.context.newPage();
});

after(async () => {
  await browser?.close();
  assert.deepEqual(browser?.errors ?? [], [], 'no script errors in the pages');
});

// A TPS whose DPR and PPWP results in force are its device's (not a kecamatan's correction,
// which a device may not replace), so a new device's results supersede them.
async function pickTps() {
  for (const code of await tpsCodes()) {
    const doc = await api(`/api/v1/tps/${code}`);
    const mine = (b) => doc.ballots[b]?.current?.type === 'result';
    if (mine('pdpr') && mine('ppwp')) return doc;
  }
  throw new Error('no TPS with device results on pdpr and ppwp');
}

// Synthetic phone photos of the TPS's form, filled with other numbers than the night's (the
// night played seed 1): each page's path and SHA-256, and the numbers written on it. With
// `doubtful`, the first seed whose photo the reader (`rekap ocr read`, the server's code) sends
// to review, so the officer has numbers to correct; the last one tried when none is.
async function photo(code, ballot, { doubtful = false } = {}) {
  const prefix = join(env.work, `officer-${ballot}`);
  for (let seed = 2; ; ++seed) {
    await rekap('ocr', 'synth', '--def', env.def, '--tps', code, '--ballot', ballot, '--out', prefix, '--seed', String(seed));
    if (!doubtful || seed === 16) break;
    // Exit status 3: some numbers need review.
    const status = await rekap('ocr', 'read', '--def', env.def, '--json', ...(await pages(prefix))).then(() => 0, (e) => e.code);
    if (status === 3) break;
  }
  const paths = await pages(prefix);
  const hashes = await Promise.all(paths.map(async (p) => createHash('sha256').update(await readFile(p)).digest('hex')));
  return { paths, hashes, truth: JSON.parse(await readFile(`${prefix}-truth.json`, 'utf8')) };
}

// The pages `rekap ocr synth` wrote for a prefix, in page order.
async function pages(prefix) {
  const dir = dirname(prefix);
  const names = (await readdir(dir)).filter((n) => n.startsWith(`${basename(prefix)}-`) && n.endsWith('.jpg'));
  return names.sort((a, b) => parseInt(a.slice(basename(prefix).length + 1), 10) - parseInt(b.slice(basename(prefix).length + 1), 10)).map((n) => join(dir, n));
}

const totalsOf = async (ballot, code) => (await api(`/api/v1/results/${ballot}${code ? `/${code}` : ''}`)).contests;

// The totals of `before` with one TPS's numbers swapped from `old` to `fresh`.
function swapped(before, contestId, old, fresh) {
  return before.map((c) => {
    if (c.id !== contestId) return c;
    const totals = { ...c.totals };
    for (const k of Object.keys(totals)) totals[k] += fresh[k] - old[k];
    return { ...c, totals };
  });
}

const inputs = () => page.$$eval('#numbers input', (els) => Object.fromEntries(els.map((e) => [e.name, e.value])));
const asText = (values) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));

let tps;
let publicKey;

test('the officer makes a device key in the browser and the admin enrols it', async () => {
  await page.goto(`${env.url}/petugas`);
  await page.waitForSelector('main[data-ready]');
  assert.equal(await page.getAttribute('html', 'lang'), 'id');
  await shot(page, 'officer-start');
  await page.click('#key-create');
  publicKey = (await page.textContent('#pubkey')).trim();
  assert.match(publicKey, /^[A-Za-z0-9+/]{43}=$/);

  tps = await pickTps();
  const { stdout } = await rekap('enroll', '--url', env.url, '--admin-key', env.adminKey, '--key', publicKey, '--role', 'kpps', '--scope', tps.code, '--json');
  assert.equal(JSON.parse(stdout).status, 'accepted');

  // The key survives a reload: it is the device's.
  await page.reload();
  await page.waitForSelector('main[data-ready]');
  assert.equal((await page.textContent('#pubkey')).trim(), publicKey);
  await shot(page, 'officer-key');
});

test('a photographed form of several pages is read, corrected, checked by the rules, signed and counted', async (t) => {
  const { paths, hashes, truth } = await photo(tps.code, 'pdpr', { doubtful: true });
  assert.ok(paths.length > 1, 'the DPR form has several pages');
  const desa = tps.code.slice(0, 10);
  const contest = tps.ballots.pdpr.contest;
  const old = tps.ballots.pdpr.current;
  const before = { desa: await totalsOf('pdpr', desa), nation: await totalsOf('pdpr', '') };

  await page.fill('#tps-code', tps.code);
  await page.click('#tps-load');
  await page.waitForSelector(`#tps-info[data-code="${tps.code}"]`);
  await page.selectOption('#ballot', 'pdpr');
  await page.waitForSelector(`#numbers[data-contest="${contest}"]`);
  // The pages in any order, as an officer may photograph them.
  await page.setInputFiles('#photos', [...paths].reverse());
  await page.waitForFunction((n) => document.querySelectorAll('#photo-list li').length === n, paths.length);
  await page.click('#read');
  await page.waitForSelector('#read-status[data-state="accepted"], #read-status[data-state="review"]');
  await shot(page, 'officer-read');

  // The reader's numbers beside the crops of the photos; a number it does not doubt is right.
  const read = await inputs();
  assert.deepEqual(Object.keys(read).sort(), Object.keys(truth).sort());
  assert.equal(await page.$$eval('#numbers canvas.crop:not([hidden])', (c) => c.length), Object.keys(truth).length);
  const doubtful = await page.$$eval('#numbers .field.doubt', (els) => els.map((e) => e.dataset.field));
  t.diagnostic(`the reader doubted ${doubtful.length} number(s): ${doubtful.join(', ')}`);
  for (const [name, value] of Object.entries(truth)) {
    if (!doubtful.includes(name)) assert.equal(read[name], String(value), `${name} read without doubt`);
  }
  // The officer corrects each doubtful number from the paper; until then the form cannot be signed.
  if (doubtful.length) {
    assert.equal(await page.isDisabled('#submit'), true);
    await page.locator(`.field[data-field="${doubtful[0]}"]`).screenshot({ path: join(env.artifacts, 'officer-doubtful-field.png') });
  }
  for (const name of doubtful) {
    await page.fill(`#f-${name}`, String(truth[name]));
    assert.equal(await page.$eval(`.field[data-field="${name}"]`, (e) => e.classList.contains('doubt')), false);
  }

  // A slip of the finger breaks the form's arithmetic at once, as the server would say.
  await page.fill('#f-p1c1', String(truth.p1c1 + 10));
  await page.waitForSelector('#checks[data-ok="false"] li[data-rule="party_total"][data-field="p1t"]');
  assert.equal(await page.$eval('.field[data-field="p1c1"]', (e) => e.classList.contains('bad')), true);
  assert.equal(await page.isDisabled('#submit'), true);
  // As the phone shows it: the field outlined, the broken rule in the bar below.
  await page.locator('#f-p1c1').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(env.artifacts, 'officer-rule-broken.png') });
  await page.fill('#f-p1c1', String(truth.p1c1));
  await page.waitForSelector('#checks[data-ok="true"]');
  assert.deepEqual(await inputs(), asText(truth));
  assert.equal(await page.isDisabled('#submit'), false);

  await page.click('#submit');
  const item = `#queue li[data-tps="${tps.code}"][data-ballot="pdpr"]`;
  await page.waitForSelector(`${item}[data-state="accepted"]`);
  await shot(page, 'officer-sent');

  // In the API: the device's statement in force, with the photos, and the totals moved by
  // exactly the difference between the old numbers and the new.
  const doc = await api(`/api/v1/tps/${tps.code}`);
  const current = doc.ballots.pdpr.current;
  assert.equal(current.signer, publicKey);
  assert.equal(current.rev, old.rev + 1);
  assert.deepEqual(current.images, [...hashes].sort());
  assert.deepEqual(current.values, truth);
  assert.equal(doc.ballots.pdpr.history.find((v) => v.id === old.id).status, 'superseded');
  assert.deepEqual(await totalsOf('pdpr', desa), swapped(before.desa, contest, old.values, truth));
  assert.deepEqual(await totalsOf('pdpr', ''), swapped(before.nation, contest, old.values, truth));
});

test('without a connection a form is signed and queued, kept across a reload, and sent when back online', async () => {
  const { paths, hashes, truth } = await photo(tps.code, 'ppwp');
  const old = tps.ballots.ppwp.current;
  const desa = tps.code.slice(0, 10);
  const before = await totalsOf('ppwp', desa);
  // The page works offline once it has been opened: its service worker is in charge.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

  await browser.context.setOffline(true);
  await page.waitForSelector('#net[data-online="false"]');
  // The contest comes from the device's copy; the reader needs the server, so the officer
  // types the numbers from the paper.
  await page.selectOption('#ballot', 'ppwp');
  await page.waitForSelector(`#numbers[data-contest="${tps.ballots.ppwp.contest}"]`);
  await page.setInputFiles('#photos', paths);
  await page.waitForSelector(`#photo-list li[data-sha256="${hashes[0]}"]`);
  await page.click('#read');
  await page.waitForSelector('#read-status[data-state="offline"]');
  for (const [name, value] of Object.entries(truth)) await page.fill(`#f-${name}`, String(value));
  await page.waitForSelector('#checks[data-ok="true"]');
  await page.click('#submit');
  const item = `#queue li[data-tps="${tps.code}"][data-ballot="ppwp"]`;
  await page.waitForSelector(`${item}[data-state="waiting"]`);
  await shot(page, 'officer-offline-queued');
  assert.equal((await api(`/api/v1/tps/${tps.code}`)).ballots.ppwp.current.id, old.id, 'nothing reached the server');

  // Reopened without a connection: the page from its service worker, the form still queued.
  await page.reload();
  await page.waitForSelector('main[data-ready]');
  await page.waitForSelector(`${item}[data-state="waiting"]`);

  await browser.context.setOffline(false);
  await page.waitForSelector(`${item}[data-state="accepted"]`);
  await page.waitForSelector('#net[data-online="true"]');
  await shot(page, 'officer-online-sent');
  const current = await until('the queued ppwp result in force', async () => {
    const c = (await api(`/api/v1/tps/${tps.code}`)).ballots.ppwp.current;
    return c.id !== old.id && c;
  });
  assert.equal(current.signer, publicKey);
  assert.equal(current.rev, old.rev + 1);
  assert.deepEqual(current.images, [...hashes].sort());
  assert.deepEqual(current.values, truth);
  assert.deepEqual(await totalsOf('ppwp', desa), swapped(before, tps.ballots.ppwp.contest, old.values, truth));
});

test('the page speaks English on request', async () => {
  await page.click('button[data-lang="en"]');
  await page.waitForSelector('html[lang="en"]');
  assert.match(await page.textContent('#key h2'), /Device key/);
  assert.match(await page.textContent('#queue-summary'), /2 accepted/);
  await shot(page, 'officer-en');
  await page.click('button[data-lang="id"]');
});
