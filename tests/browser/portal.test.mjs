// The portal in a real browser against a real rekap server with a simulated election (set up
// by run.sh): every number shown is checked against the API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { api, env, launch, open, regionPath, shot, staticMirror, sumTotals, tpsCodes, until, waitView } from './lib.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.deepEqual(browser?.errors ?? [], [], 'no script errors in the pages');
});

// What the page shows of a region against the API's document.
async function checkRegion(page, doc) {
  const progress = await page.$eval('.progress-text', (el) => ({ ...el.dataset }));
  assert.deepEqual(progress, { reported: String(doc.progress.reported), total: String(doc.progress.total) });
  const totals = sumTotals(doc.contests.map((c) => c.totals));
  const stats = await page.$$eval('.stats dd', (els) => els.map((el) => [el.dataset.field, el.dataset.value]));
  assert.equal(stats.length, 4);
  for (const [field, value] of stats) assert.equal(Number(value), totals[field], `${doc.region.name} ${field}`);
  // Every number of every child row.
  const rows = await page.$$eval('table.children tbody tr', (trs) =>
    trs.map((tr) => ({
      code: tr.dataset.code,
      cells: [...tr.querySelectorAll('td[data-field]')].map((td) => [td.dataset.field, Number(td.dataset.value)]),
    })),
  );
  assert.equal(rows.length, doc.children.length);
  for (const row of rows) {
    const child = doc.children.find((c) => c.code === row.code);
    assert.ok(child, `child ${row.code} is in the API`);
    const ct = sumTotals(child.contests.map((c) => c.totals));
    if (child.progress.reported > 0) assert.ok(row.cells.length > 0, `${child.name} shows its numbers`);
    for (const [field, value] of row.cells) assert.equal(value, ct[field], `${child.name} ${field}`);
  }
}

test('the national view loads in under 300 KB and shows the API’s numbers', async () => {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const requests = new Map();
  let bytes = 0;
  cdp.on('Network.responseReceived', (e) => requests.set(e.requestId, { url: e.response.url, status: e.response.status }));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    if (requests.has(e.requestId)) requests.get(e.requestId).bytes = e.encodedDataLength;
  });
  const started = Date.now();
  await open(page, env.url, '#/ppwp', 'region:ppwp:');
  const rendered_ms = Date.now() - started;
  await page.waitForLoadState('networkidle');
  const list = [...requests.values()].map((r) => ({ ...r, url: r.url.replace(env.url, '') }));
  await writeFile(
    join(env.artifacts, 'page-weight.json'),
    JSON.stringify({ view: '#/ppwp', transferred_bytes: bytes, rendered_ms, requests: list }, null, 1),
  );
  console.log(`national view: ${bytes} bytes transferred in ${list.length} requests, rendered in ${rendered_ms} ms`);
  assert.ok(bytes < 300 * 1024, `first load ${bytes} bytes`);
  await checkRegion(page, await api('/api/v1/results/ppwp'));
  // The chart's bars are the candidates' votes.
  const nation = await api('/api/v1/results/ppwp');
  const bars = await page.$$eval('.bars .bar', (els) => els.map((el) => [el.dataset.key, Number(el.dataset.value)]));
  assert.deepEqual(bars, Object.entries(nation.contests[0].totals).filter(([k]) => /^c\d+$/.test(k)));
  await shot(page, 'nation-ppwp');
  await cdp.detach();
  await page.close();
});

test('drill down from the nation to a TPS: every level shows the API’s numbers', async () => {
  const page = await browser.context.newPage();
  await open(page, env.url, '#/ppwp', 'region:ppwp:');
  const names = ['nation', 'province', 'kabkota', 'kecamatan', 'desa'];
  let code = '';
  for (const name of names) {
    await checkRegion(page, await api(`/api/v1/results/ppwp${code ? `/${code}` : ''}`));
    await shot(page, `drill-${name}`);
    const next = await page.$eval('table.children tbody tr', (tr) => tr.dataset.code);
    await page.click(`table.children tbody tr[data-code="${next}"] a`);
    code = next;
    await waitView(page, code.length === 13 ? `tps:${code}:ppwp` : `region:ppwp:${code}`);
  }
  assert.equal(code.length, 13, 'the last click opens a TPS');
  assert.match(page.url(), new RegExp(`#/ppwp/${regionPath(code)}$`), 'the URL names the view');
  const tps = await api(`/api/v1/tps/${code}`);
  const values = tps.ballots.ppwp.current.values;
  const shown = await page.$$eval('table.numbers tr[data-field]', (trs) =>
    trs.map((tr) => [tr.dataset.field, Number(tr.querySelector('td.num').dataset.value)]),
  );
  assert.deepEqual(Object.fromEntries(shown), values);
  assert.equal(await page.$eval('.status', (el) => el.dataset.status), 'reported');
  await page.click('button.verify');
  await page.waitForSelector('.verify-result[data-ok]');
  assert.equal(await page.$eval('.verify-result', (el) => el.dataset.ok), 'true', 'the inclusion proof checks out');
  assert.equal(await page.$eval('.log-index', (el) => el.textContent), String(tps.ballots.ppwp.current.index));
  await shot(page, 'drill-tps');
  await page.close();
});

// The first TPS and ballot the API shows `want` for.
async function findTps(want) {
  for (const code of await tpsCodes()) {
    const doc = await api(`/api/v1/tps/${code}`);
    for (const [ballot, info] of Object.entries(doc.ballots)) {
      if (want(info)) return { code, ballot, info };
    }
  }
  throw new Error('no such TPS in the simulated election');
}

test('a C1 photo opens from the TPS page and zooms', async () => {
  const { code, ballot, info } = await findTps((b) => b.current && b.current.images.length > 0);
  const page = await browser.context.newPage();
  await open(page, env.url, `#/${ballot}/${regionPath(code)}`, `tps:${code}:${ballot}`);
  const thumbs = await page.$$eval('.thumb', (els) => els.map((el) => el.dataset.image));
  for (const sha of info.current.images) assert.ok(thumbs.includes(sha), `photo ${sha} is shown`);
  await page.click(`.thumb[data-image="${info.current.images[0]}"]`);
  await page.waitForSelector('dialog[open] .stage img');
  await page.waitForFunction(() => document.querySelector('dialog[open] .stage img').naturalWidth > 0);
  await page.click('dialog[open] .zoom-in');
  await page.click('dialog[open] .zoom-in');
  assert.ok(Number(await page.$eval('dialog[open]', (d) => d.dataset.scale)) > 2);
  await page.screenshot({ path: join(env.artifacts, 'tps-photo-zoomed.png') });
  await page.click('dialog[open] .close');
  await page.waitForSelector('dialog', { state: 'detached' });
  await shot(page, 'tps-with-photos');
  await page.close();
});

test('a corrected result shows every version, who signed it and why', async () => {
  const { code, ballot, info } = await findTps((b) => b.history.length > 1);
  const page = await browser.context.newPage();
  await open(page, env.url, `#/${ballot}/${regionPath(code)}`, `tps:${code}:${ballot}`);
  const versions = await page.$$eval('li.version', (els) => els.map((el) => ({ index: el.dataset.index, status: el.dataset.status })));
  assert.deepEqual(
    versions,
    [...info.history].reverse().map((v) => ({ index: String(v.index), status: v.status })),
    'newest first',
  );
  const correction = info.history.find((v) => v.type === 'correction');
  const reasons = await page.$$eval('td.reason', (els) => els.map((el) => el.textContent));
  assert.ok(reasons.includes(correction.reason));
  await shot(page, 'tps-history');
  await page.close();
});

test('laporkan: a report sent from the TPS page is stored, counted and shown; refusals are explained', async () => {
  const { code, ballot, info } = await findTps((b) => b.current && b.current.images.length > 0);
  const before = await api(`/api/v1/reports/${code}`);
  const page = await browser.context.newPage();
  await open(page, env.url, `#/${ballot}/${regionPath(code)}`, `tps:${code}:${ballot}`);
  const total = () => page.$eval('section.reports', (el) => Number(el.dataset.total));
  assert.equal(await total(), before.total);
  await page.click('button.report-jump'); // in the actions bar: opens the form below
  await page.waitForSelector('form.report-form select[name="field"] option[value="suara_sah"]', { state: 'attached' });
  const status = async (state) => {
    await page.waitForSelector(`.report-status[data-state="${state}"]`);
    return page.$eval('.report-status', (el) => el.textContent);
  };
  const send = async (text) => {
    await page.fill('form.report-form textarea[name="text"]', text);
    await page.click('form.report-form button[type="submit"]');
    await page.waitForSelector('.report-status:not([data-state="sending"])');
  };

  // Too short: said at once, nothing sent.
  await send('beda');
  assert.match(await status('error'), /sekurang-kurangnya 10 karakter/);

  const text = 'Suara sah di foto 117, di situs 617.\nMohon diperiksa (uji peramban).';
  await page.selectOption('form.report-form select[name="field"]', 'suara_sah');
  await send(text);
  assert.match(await status('ok'), /Terima kasih/);
  const id = await page.$eval('.report-status', (el) => Number(el.dataset.id));
  await page.waitForFunction((n) => document.querySelector('section.reports').dataset.total === String(n), before.total + 1);
  assert.equal(await page.$eval(`li.report[data-id="${id}"] .report-text`, (el) => el.textContent), text);
  assert.match(await page.$eval(`li.report[data-id="${id}"] .report-fields`, (el) => el.textContent), /suara sah/i);

  // The API agrees, and names the statement the page showed; no address anywhere.
  const after = await api(`/api/v1/reports/${code}`);
  assert.equal(after.total, before.total + 1);
  assert.equal(after.ballots[ballot].fields.suara_sah, (before.ballots[ballot].fields.suara_sah ?? 0) + 1);
  const { received_ms, ...stored } = after.reports[0];
  assert.ok(received_ms > 0);
  assert.deepEqual(stored, { id, tps: code, ballot, fields: ['suara_sah'], text, statement: info.current.id });
  assert.ok(!JSON.stringify(after).includes('127.0.0.1'));
  await shot(page, 'tps-report-sent');

  // The same text again is a duplicate; then the address's limit (3 a minute) answers 429.
  await send(text);
  assert.match(await status('error'), /sudah mengirim laporan yang sama/);
  await page.selectOption('form.report-form select[name="field"]', '');
  await send('Laporan kedua: halaman dua tidak terbaca.');
  await status('ok');
  await send('Laporan ketiga: jumlah pemilih tidak cocok.');
  await status('ok');
  await send('Laporan keempat: masih ada yang berbeda.');
  assert.match(await status('error'), /Terlalu banyak laporan\. Coba lagi dalam \d+ detik/);
  assert.equal(await total(), before.total + 3);
  assert.equal((await api(`/api/v1/reports/${code}`)).total, before.total + 3);
  await shot(page, 'tps-report-limited');
  await page.close();
});

test('search finds a desa by name and a TPS by code', async () => {
  const [first] = await tpsCodes();
  const desa = await api(`/api/v1/regions/${first.slice(0, 10)}`);
  const page = await browser.context.newPage();
  await open(page, env.url, '#/ppwp', 'region:ppwp:');
  await page.fill('#q', desa.name.toLowerCase());
  await page.waitForSelector(`#hits a[data-code="${desa.code}"]`);
  await shot(page, 'search');
  await page.click(`#hits a[data-code="${desa.code}"]`);
  await waitView(page, `region:ppwp:${desa.code}`);
  assert.equal(await page.$eval('h1', (el) => el.firstChild.textContent.trim()), desa.name);
  // A prefix of each word is enough.
  await page.fill('#q', desa.name.split(' ').map((w) => w.slice(0, 2)).join(' '));
  await page.waitForSelector(`#hits a[data-code="${desa.code}"]`);
  await page.fill('#q', first);
  await page.press('#q', 'Enter');
  await waitView(page, `tps:${first}:ppwp`);
  await page.close();
});

test('the language switch changes the page to English and is remembered', async () => {
  const page = await browser.context.newPage();
  await open(page, env.url, '#/ppwp', 'region:ppwp:');
  assert.equal(await page.getAttribute('html', 'lang'), 'id');
  const heading = await page.textContent('section h2');
  await page.click('button[data-lang="en"]');
  await page.waitForSelector('main[data-lang="en"]:not([aria-busy])');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.textContent('.brand'), 'Election Results');
  assert.notEqual(await page.textContent('section h2'), heading);
  await page.reload();
  await page.waitForSelector('main[data-lang="en"]:not([aria-busy])');
  await shot(page, 'nation-english');
  await page.click('button[data-lang="id"]');
  await page.waitForSelector('main[data-lang="id"]:not([aria-busy])');
  assert.equal(await page.textContent('.brand'), 'Rekap Pemilu');
  await page.close();
});

test('legislative ballots: party votes per dapil and seat projections add up', async () => {
  const election = await api('/api/v1/election');
  const page = await browser.context.newPage();
  const pdpr = election.ballots.find((b) => b.id === 'pdpr');
  let seats = 0;
  for (const id of pdpr.contests) {
    const contest = await api(`/api/v1/contests/${id}`);
    seats += contest.seats;
    await open(page, env.url, `#/pdpr/dapil/${id}`, `dapil:pdpr:${id}`);
    const nation = await api('/api/v1/results/pdpr');
    const totals = nation.contests.find((c) => c.id === id).totals;
    const bars = await page.$$eval('.bars .bar', (els) => els.map((el) => [el.dataset.key, Number(el.dataset.value)]));
    for (const [key, value] of bars) assert.equal(value, totals[key], `${id} ${key}`);
    const dots = await page.$$eval('.hemicycle circle', (els) => els.length);
    assert.equal(dots, contest.seats, `${id}: every seat is allocated`);
    const candidates = await page.$$eval('details.party td.num[data-field]', (els) => els.map((el) => [el.dataset.field, Number(el.dataset.value)]));
    for (const [field, value] of candidates) assert.equal(value, totals[field], `${id} ${field}`);
    // The dapil's own CSV (its candidates' votes) is offered beside the ballot's.
    const csv = await page.$eval('section.open-data a[data-file="contest-csv"]', (a) => a.href);
    assert.ok(csv.endsWith(`/data/pdpr/${id}.csv`), csv);
    assert.equal((await fetch(csv)).status, 200, csv);
    await shot(page, `dapil-${id}`);
  }
  // The nation holds every DPR dapil whole: its projection has every seat.
  await open(page, env.url, '#/pdpr', 'region:pdpr:');
  const table = await page.$$eval('.seat-table td.num', (els) => els.map((el) => Number(el.dataset.value)));
  assert.equal(table.reduce((a, b) => a + b, 0), seats);
  await shot(page, 'nation-pdpr');
  for (const ballot of ['pdpd', 'pdprdp', 'pdprdk']) {
    await open(page, env.url, `#/${ballot}`, `region:${ballot}:`);
    await checkRegion(page, await api(`/api/v1/results/${ballot}`));
    await shot(page, `nation-${ballot}`);
  }
  // A kecamatan on the DPRD Kab/Kota ballot: its dapil, named from the province's index.
  const [first] = await tpsCodes();
  const kec = first.slice(0, 6);
  await open(page, env.url, `#/pdprdk/${regionPath(kec)}`, `region:pdprdk:${kec}`);
  const doc = await api(`/api/v1/results/pdprdk/${kec}`);
  await checkRegion(page, doc);
  const valid = await page.$$eval('table.children td[data-field="suara_sah"]', (tds) => tds.length);
  assert.equal(valid, doc.children.length, 'every desa row has its valid votes');
  const dapil = await page.$$eval('.dapil-table tbody a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(dapil, doc.contests.map((c) => `#/pdprdk/dapil/${c.id}`));
  for (const c of doc.contests) {
    const name = (await api(`/api/v1/contests/${c.id}`)).name;
    assert.ok((await page.textContent('.dapil-table')).includes(name), name);
  }
  await page.close();
});

// RFC 4180: commas between fields, line ends between records; a field in double quotes may
// hold commas, line ends and doubled quotes. Records as objects keyed by the header's names.
function parseCsv(text) {
  // A last record without its line end ends like the others.
  const src = /[\r\n]$/.test(text) ? text : `${text}\n`;
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (src[i + 1] === '"') field += src[++i];
      else quoted = false;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += c;
    }
  }
  const [header, ...rows] = records;
  for (const r of rows) assert.equal(r.length, header.length, `a record of ${header.length} fields: ${r.join(',')}`);
  return { header, rows: rows.map((r) => Object.fromEntries(header.map((name, i) => [name, r[i]]))) };
}

// The row to check: one with the most to compare (a correction, with photos), as reported.
function richestRow(rows) {
  const score = (r) => (r.status === 'reported') * 4 + (r.type === 'correction') * 2 + (r.images !== '');
  return rows.reduce((a, b) => (score(b) > score(a) ? b : a));
}

test('open data: the ballot CSV downloaded from the national view has the API’s numbers', async () => {
  // The CSV files follow the results every --exports-ms (60 s, a pass may then rest as long):
  // wait until the row to be checked shows the result in force.
  const code = await until(
    'the CSV to show the result in force',
    async () => {
      const res = await fetch(`${env.url}/data/ppwp.csv`);
      const row = richestRow(parseCsv(await res.text()).rows);
      const doc = await api(`/api/v1/tps/${row.tps_code}`);
      return row.statement_id === doc.ballots.ppwp.current?.id && row.tps_code;
    },
    3 * 60000,
  );
  const page = await browser.context.newPage();
  await open(page, env.url, '#/ppwp', 'region:ppwp:');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('section.open-data a[data-file="ballot-csv"]'),
  ]);
  assert.equal(download.suggestedFilename(), 'ppwp.csv');
  const { header, rows } = parseCsv(await readFile(await download.path(), 'utf8'));
  assert.equal(rows.length, (await tpsCodes()).length, 'a row per TPS');

  const row = rows.find((r) => r.tps_code === code);
  const doc = await api(`/api/v1/tps/${code}`);
  const { contest, current } = doc.ballots.ppwp;
  const levels = ['provinsi', 'kabkota', 'kecamatan', 'kelurahan'];
  assert.deepEqual(
    levels.flatMap((l) => [row[`${l}_code`], row[l]]),
    levels.flatMap((l) => {
      const p = doc.parents.find((r) => r.level === l);
      return [p.code, p.name];
    }),
    'the region codes and names',
  );
  assert.deepEqual([row.tps, row.contest, row.status], [doc.name, contest, 'reported']);
  // The value columns lie between status and the provenance: PPWP's file has every field.
  const valueColumns = header.slice(header.indexOf('status') + 1, header.indexOf('type'));
  assert.deepEqual(
    Object.fromEntries(valueColumns.map((c) => [c, row[c]])),
    Object.fromEntries(Object.entries(current.values).map(([k, v]) => [k, String(v)])),
  );
  const provenance = ['type', 'rev', 'statement_id', 'log_index', 'signer', 'time', 'received'];
  assert.deepEqual(Object.fromEntries(provenance.map((c) => [c, row[c]])), {
    type: current.type,
    rev: String(current.rev),
    statement_id: current.id,
    log_index: String(current.index),
    signer: current.signer,
    time: current.time,
    received: new Date(current.received_ms).toISOString(),
  });
  assert.deepEqual(row.images.split(' ').filter(Boolean).sort(), [...current.images].sort(), 'the photos');

  // The CDF export is JSON.
  const cdf = await fetch(await page.$eval('section.open-data a[data-file="cdf"]', (a) => a.href));
  assert.equal(cdf.status, 200);
  assert.match(cdf.headers.get('content-type'), /json/);
  assert.equal((await cdf.json())['@type'], 'ElectionResults.ElectionReport');
  // The archives the index lists (none until a day ends or the server stops), then every link
  // of the block answers.
  const { archives } = await api('/data/index.json');
  await page.click('details.archives summary');
  await page.waitForSelector('details.archives[data-state="loaded"]');
  assert.deepEqual(
    await page.$$eval('details.archives li[data-date]', (lis) => lis.map((li) => li.dataset.date)),
    [...archives].sort().reverse(),
  );
  for (const href of await page.$$eval('section.open-data a', (as) => as.map((a) => a.href))) {
    assert.equal((await fetch(href)).status, 200, href);
  }
  // Opening the archives scrolled the page: the sticky header would sit in the middle of the shot.
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'nation-open-data');
  await page.close();
});

test('a static mirror of the publish directory serves the same portal', async () => {
  // Everything the server has stored is published (TPS documents follow the checkpoints).
  const health = await api('/api/v1/health');
  await until('the publish directory to cover the log', async () => {
    const status = await api('/api/v1/portal/status');
    return status.log_size === health.statements;
  });
  const mirror = await staticMirror(env.publish);
  try {
    const page = await browser.context.newPage();
    await open(page, mirror.url, '#/ppwp', 'region:ppwp:');
    await checkRegion(page, await api('/api/v1/results/ppwp', mirror.url));
    assert.deepEqual(await api('/api/v1/results/ppwp', mirror.url), await api('/api/v1/results/ppwp'));
    // The open-data links lead to the mirror's own files.
    for (const href of await page.$$eval('section.open-data a', (as) => as.map((a) => a.href))) {
      assert.ok(href.startsWith(mirror.url), href);
      assert.equal((await fetch(href)).status, 200, href);
    }
    const { code, ballot, info } = await findTps((b) => b.current && b.current.images.length > 0);
    await open(page, mirror.url, `#/${ballot}/${regionPath(code)}`, `tps:${code}:${ballot}`);
    const shown = await page.$$eval('table.numbers tr[data-field]', (trs) =>
      trs.map((tr) => [tr.dataset.field, Number(tr.querySelector('td.num').dataset.value)]),
    );
    assert.deepEqual(Object.fromEntries(shown), info.current.values);
    await page.waitForFunction(() => [...document.querySelectorAll('.thumb img')].every((img) => img.complete && img.naturalWidth > 0));
    await page.click('button.verify');
    await page.waitForSelector('.verify-result[data-ok="true"]');
    await page.fill('#q', (await api(`/api/v1/regions/${code.slice(0, 10)}`)).name.toLowerCase());
    await page.waitForSelector(`#hits a[data-code="${code.slice(0, 10)}"]`);
    await shot(page, 'mirror-tps');
    await page.close();
  } finally {
    await mirror.close();
  }
});
