// The officer's page (/petugas, docs/officer.md): the device key, the TPS and ballot, photos
// read by the server's reader, the numbers checked by the contest's rules, the signature, and
// the outbox that sends until the server has acknowledged.
import { h } from '../dom.js';
import * as db from './db.js';
import { createKey, loadKey, sign } from './device_key.js';
import * as net from './net.js';
import { Numbers } from './numbers.js';
import { Outbox } from './queue.js';
import { tpsParams } from './rules.js';
import { resultStatement, statementId, statementTime } from './statement.js';
import { lang, locale, setLang, t } from './i18n.js';

const BALLOTS = ['ppwp', 'pdpr', 'pdpd', 'pdprdp', 'pdprdk'];
const TPS_KEY = 'rekap.petugas.tps';
const main = document.getElementById('main');
const netBadge = document.getElementById('net');

const state = {
  key: null,
  keyError: null,
  election: null,
  tps: null,
  tpsCached: false,
  tpsMessage: null,
  ballot: null,
  contest: null,
  numbers: null,
  photos: [], // {sha256, file, url, uploaded}
  bitmaps: new Map(), // photo SHA-256 -> ImageBitmap, for the crops
  read: { state: 'idle', text: '' },
  submitMessage: null,
};

const outbox = new Outbox({
  store: { all: () => db.all('outbox'), put: (item) => db.put('outbox', item), remove: (id) => db.remove('outbox', id) },
  transport: { putImage: net.putImage, postStatement: net.postStatement },
  onChange: () => renderQueue(),
});

// --- sending: now, on a timer with backoff, and when the connection comes back
let timer = null;
async function pump() {
  clearTimeout(timer);
  await outbox.flush();
  const due = outbox.nextDue();
  if (due !== null) timer = setTimeout(pump, Math.max(1000, due - Date.now()));
}

// --- device key
async function makeKey() {
  try {
    state.key = await createKey();
    state.keyError = null;
  } catch (e) {
    state.keyError = `${t('key_unsupported')} (${e.message})`;
  }
  render();
}

function keySection() {
  const body = state.key
    ? [
        h('p', null, t('key_public')),
        h('code', { id: 'pubkey', class: 'pubkey' }, state.key.publicBase64),
        h(
          'button',
          {
            type: 'button',
            onclick: async (e) => {
              await navigator.clipboard?.writeText(state.key.publicBase64).catch(() => {});
              e.target.textContent = t('key_copied');
            },
          },
          t('key_copy'),
        ),
      ]
    : [h('p', null, t('key_none')), h('button', { id: 'key-create', type: 'button', onclick: makeKey }, t('key_create'))];
  return h('section', { id: 'key' }, h('h2', null, t('key_title')), body, state.keyError && h('p', { class: 'error' }, state.keyError));
}

// --- TPS and ballot
async function loadTps(code) {
  if (!/^\d{13}$/.test(code)) {
    state.tpsMessage = t('tps_bad_code');
    return render();
  }
  state.tpsMessage = t('tps_loading');
  render();
  try {
    const [election, tps] = await Promise.all([net.election(), net.tps(code)]);
    state.election = election.doc;
    state.tps = tps.doc;
    state.tpsCached = tps.cached;
    state.tpsMessage = null;
    localStorage.setItem(TPS_KEY, code);
    // Every contest of the TPS at once, so that any of its forms can be entered offline later.
    const contests = Object.values(state.tps.ballots).map((b) => net.contest(b.contest).catch(() => null));
    await Promise.all(contests);
    const ballot = state.tps.ballots[state.ballot] ? state.ballot : BALLOTS.find((b) => state.tps.ballots[b]);
    await chooseBallot(ballot);
  } catch (e) {
    state.tps = null;
    state.contest = null;
    state.tpsMessage = e.status === 404 ? t('tps_unknown', { code }) : t('tps_failed', { what: e.message });
    render();
  }
}

async function chooseBallot(ballot) {
  state.ballot = ballot;
  state.contest = null;
  clearForm();
  try {
    state.contest = (await net.contest(state.tps.ballots[ballot].contest)).doc;
    state.numbers = new Numbers(state.contest, tpsParams(state.tps.dpt), updateSubmit);
    state.tpsMessage = null;
  } catch (e) {
    // Offline, and this contest was never loaded on the device.
    state.tpsMessage = t('tps_failed', { what: e.message });
  }
  render();
}

function clearForm() {
  for (const p of state.photos) URL.revokeObjectURL(p.url);
  state.photos = [];
  state.bitmaps = new Map();
  state.read = { state: 'idle', text: '' };
  state.numbers = state.contest ? new Numbers(state.contest, tpsParams(state.tps.dpt), updateSubmit) : null;
}

function ballotStatus(b) {
  const info = state.tps.ballots[b];
  if (!info.current) return t('ballot_status_missing');
  return t('ballot_status_reported', { rev: info.current.rev });
}

function tpsSection() {
  const input = h('input', {
    id: 'tps-code',
    inputmode: 'numeric',
    autocomplete: 'off',
    maxlength: 13,
    value: state.tps?.code ?? localStorage.getItem(TPS_KEY) ?? '',
  });
  const form = h(
    'form',
    {
      class: 'inline',
      onsubmit: (e) => {
        e.preventDefault();
        loadTps(input.value.trim());
      },
    },
    h('label', { for: 'tps-code' }, t('tps_code')),
    input,
    h('button', { id: 'tps-load', type: 'submit' }, t('tps_load')),
  );
  const parts = [form];
  if (state.tpsMessage) parts.push(h('p', { id: 'tps-message', class: 'note' }, state.tpsMessage));
  if (state.tps) {
    const places = state.tps.parents.slice(1).map((p) => p.name);
    parts.push(
      h(
        'p',
        { id: 'tps-info', dataset: { code: state.tps.code } },
        h('strong', null, `${state.tps.name} · ${state.tps.code}`),
        ` ${state.tpsCached ? t('tps_cached') : ''}`,
        h('br'),
        places.join(', '),
        h('br'),
        t('tps_dpt', state.tps.dpt),
      ),
    );
    const select = h(
      'select',
      { id: 'ballot', onchange: (e) => chooseBallot(e.target.value) },
      BALLOTS.filter((b) => state.tps.ballots[b]).map((b) =>
        h('option', { value: b, selected: b === state.ballot }, `${t(`ballot_${b}`)} — ${ballotStatus(b)}`),
      ),
    );
    parts.push(h('label', { for: 'ballot' }, t('ballot')), select);
    if (state.tps.ballots[state.ballot]?.current?.type === 'correction') {
      parts.push(h('p', { class: 'error' }, t('corrected')));
    }
  }
  return h('section', { id: 'tps' }, h('h2', null, t('tps_title')), parts);
}

// --- photos and the reader
async function addPhotos(files) {
  for (const file of files) {
    const sha256 = await net.sha256Hex(file);
    if (state.photos.some((p) => p.sha256 === sha256)) continue;
    state.photos.push({ sha256, file, url: URL.createObjectURL(file), uploaded: false });
  }
  render();
}

function setRead(s, text) {
  state.read = { state: s, text };
  const el = document.getElementById('read-status');
  if (el) {
    el.dataset.state = s;
    el.textContent = text;
  }
}

async function readPhotos() {
  const button = document.getElementById('read');
  button.disabled = true;
  try {
    setRead('uploading', t('read_uploading'));
    for (const p of state.photos) {
      if (p.uploaded) continue;
      const res = await net.putImage(p.sha256, p.file);
      if (res.status >= 300) throw new net.HttpError(res.status, res.body);
      p.uploaded = true;
    }
    setRead('reading', t('read_reading'));
    const res = await net.readForm(
      state.photos.map((p) => p.sha256),
      state.tps.code,
      state.ballot,
    );
    if (res.status === 200) {
      for (const p of state.photos) {
        if (!state.bitmaps.has(p.sha256)) state.bitmaps.set(p.sha256, await createImageBitmap(p.file));
      }
      state.numbers.applyReading(res.body, state.bitmaps);
      if (res.body.status === 'accepted') setRead('accepted', t('read_accepted'));
      else setRead('review', t('read_review', { n: res.body.review.length }));
    } else if (res.status === 422) {
      setRead('refused', t('read_refused', { kind: t(`kind_${res.body?.error}`), message: res.body?.message ?? '' }));
    } else if (res.body?.error === 'busy') {
      setRead('busy', t('read_busy'));
    } else {
      throw new net.HttpError(res.status, res.body);
    }
  } catch (e) {
    // fetch rejects with a TypeError when no answer came: no connection.
    if (e instanceof TypeError) setRead('offline', t('read_offline'));
    else setRead('error', t('read_failed', { what: e.message }));
  } finally {
    button.disabled = false;
    updateSubmit();
  }
}

function photoSection() {
  const input = h('input', {
    id: 'photos',
    type: 'file',
    accept: 'image/*',
    capture: 'environment',
    multiple: true,
    onchange: async (e) => {
      await addPhotos([...e.target.files]);
      e.target.value = '';
    },
  });
  const list = state.photos.map((p, i) =>
    h(
      'li',
      { dataset: { sha256: p.sha256 } },
      h('img', { src: p.url, alt: t('photo_page', { n: i + 1 }) }),
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            URL.revokeObjectURL(p.url);
            state.photos = state.photos.filter((x) => x !== p);
            render();
          },
        },
        t('photo_remove'),
      ),
    ),
  );
  return h(
    'section',
    { id: 'photo' },
    h('h2', null, t('photo_title')),
    h('p', { class: 'note' }, t('photo_hint')),
    h('label', { class: 'pick' }, t('photo_pick'), input),
    h('ul', { id: 'photo-list', class: 'photos' }, list),
    h('button', { id: 'read', type: 'button', disabled: !state.photos.length, onclick: readPhotos }, t('read')),
    h('p', { id: 'read-status', class: 'status', dataset: { state: state.read.state }, 'aria-live': 'polite' }, state.read.text),
  );
}

// --- signing and sending
function blockers() {
  const out = [];
  if (!state.key) out.push(t('checks_key'));
  if (!state.photos.length) out.push(t('checks_photo'));
  if (state.tps?.ballots[state.ballot]?.current?.type === 'correction') out.push(t('corrected'));
  return out;
}

function updateSubmit() {
  const button = document.getElementById('submit');
  if (!button || !state.numbers) return;
  const s = state.numbers.status();
  const others = blockers();
  button.disabled = s.violations.length > 0 || s.empty > 0 || s.doubtful > 0 || others.length > 0;
  document.getElementById('blockers').replaceChildren(...others.map((b) => h('li', null, b)));
}

function nextRev(tps, ballot) {
  const revs = (tps.ballots[ballot]?.history ?? []).map((v) => v.rev);
  for (const item of outbox.items) {
    if (item.label.tps === tps.code && item.label.ballot === ballot && item.state !== 'refused') revs.push(item.label.rev);
  }
  return Math.max(0, ...revs) + 1;
}

async function submit() {
  const button = document.getElementById('submit');
  button.disabled = true;
  try {
    // The revision follows what the server holds; without a connection, the copy kept of it.
    try {
      state.tps = (await net.tps(state.tps.code)).doc;
    } catch {
      // offline: state.tps is the last copy
    }
    const rev = nextRev(state.tps, state.ballot);
    const text = resultStatement({
      election: state.election.id,
      signer: state.key.publicBase64,
      time: statementTime(new Date()),
      tps: state.tps.code,
      ballot: state.ballot,
      rev,
      images: state.photos.map((p) => p.sha256),
      values: state.numbers.entries(),
    });
    const signature = await sign(state.key, text);
    await outbox.add({
      id: await statementId(text),
      statement: text,
      signature,
      images: state.photos.map((p) => ({ sha256: p.sha256, blob: p.file, uploaded: p.uploaded })),
      label: { tps: state.tps.code, ballot: state.ballot, rev },
    });
    state.submitMessage = t('submitted', { rev });
    clearForm();
    pump();
  } catch (e) {
    state.submitMessage = t('submit_failed', { what: e.message });
  }
  render();
}

function submitSection() {
  return h(
    'section',
    { id: 'sign' },
    h('button', { id: 'submit', type: 'button', class: 'primary', disabled: true, onclick: submit }, t('submit')),
    h('ul', { id: 'blockers', class: 'note' }),
  );
}

// --- the outbox
function itemText(item) {
  const error = item.error ? `${item.error.code ?? item.error.status} ${item.error.message}` : '';
  if (item.state === 'accepted') return t('queue_accepted', { index: item.answer?.index ?? '?' });
  if (item.state === 'refused') return t('queue_refused', { error });
  if (!item.attempts) return t('queue_waiting');
  const when = new Date(item.nextAt).toLocaleTimeString(locale());
  return t('queue_waiting_retry', { n: item.attempts, error, when });
}

function queueSection() {
  const items = [...outbox.items].reverse();
  const count = (s) => outbox.items.filter((i) => i.state === s).length;
  const list = items.map((item) =>
    h(
      'li',
      { dataset: { id: item.id, state: item.state, tps: item.label.tps, ballot: item.label.ballot } },
      h('strong', null, `TPS ${item.label.tps} · ${t(`ballot_${item.label.ballot}`)} · ${t('rev')} ${item.label.rev}`),
      h('br'),
      h('span', { class: 'state' }, itemText(item)),
      item.state === 'refused' && [
        h('button', { type: 'button', onclick: () => outbox.resend(item.id).then(pump) }, t('queue_resend')),
        h('button', { type: 'button', onclick: () => outbox.remove(item.id) }, t('queue_remove')),
      ],
    ),
  );
  return h(
    'section',
    { id: 'queue' },
    h('h2', null, t('queue_title')),
    h(
      'p',
      { id: 'queue-summary', dataset: { waiting: count('waiting'), accepted: count('accepted'), refused: count('refused') } },
      items.length ? t('queue_summary', { waiting: count('waiting'), accepted: count('accepted'), refused: count('refused') }) : t('queue_empty'),
    ),
    count('waiting') > 0 && h('button', { id: 'send-now', type: 'button', onclick: () => outbox.retryNow().then(pump) }, t('queue_send_now')),
    h('ul', { class: 'queue' }, list),
  );
}

function renderQueue() {
  const old = document.getElementById('queue');
  if (old) old.replaceWith(queueSection());
}

// --- the page
function render() {
  const parts = [h('p', { class: 'intro' }, t('intro')), keySection(), tpsSection()];
  if (state.contest && state.numbers) {
    parts.push(
      photoSection(),
      h('section', { id: 'form' }, h('h2', null, t('form_title')), state.numbers.el),
      submitSection(),
    );
    if (state.submitMessage) parts.push(h('p', { id: 'submit-message', class: 'note' }, state.submitMessage));
  } else if (state.submitMessage) {
    parts.push(h('p', { id: 'submit-message', class: 'note' }, state.submitMessage));
  }
  parts.push(queueSection());
  main.replaceChildren(...parts);
  updateSubmit();
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  document.title = t('title');
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang()));
}

function showNet() {
  const online = navigator.onLine;
  netBadge.textContent = t(online ? 'online' : 'offline');
  netBadge.dataset.online = String(online);
}

async function init() {
  setLang(lang());
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', () => {
      setLang(b.dataset.lang);
      state.numbers?.translate();
      render();
      showNet();
    });
  }
  // WebCrypto exists only in a secure context (HTTPS, or this machine).
  if (!globalThis.crypto?.subtle) state.keyError = t('key_insecure');
  try {
    state.key = await loadKey();
  } catch (e) {
    state.keyError ??= e.message;
  }
  await outbox.load();
  render();
  showNet();
  window.addEventListener('offline', showNet);
  window.addEventListener('online', async () => {
    showNet();
    await outbox.retryNow();
    pump();
  });
  const code = localStorage.getItem(TPS_KEY);
  if (code) await loadTps(code);
  pump();
  // The page itself, for opening it again without a connection (sw.js).
  navigator.serviceWorker?.register('petugas-sw.js', { scope: './petugas' }).catch(() => {});
  main.dataset.ready = 'true';
}

init();
