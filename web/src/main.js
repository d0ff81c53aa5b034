// The portal: a router over hash URLs (routes.js), the ballot tabs, search, the language
// switch, and a quiet refresh when the log has grown.
import * as api from './api.js';
import { h } from './dom.js';
import { lang, setLang, t, translatePage } from './i18n.js';
import { BALLOTS, parse, regionHref, tpsHref } from './routes.js';
import { search } from './search.js';
import { regionView } from './views/region.js';
import { dapilView } from './views/dapil.js';
import { tpsView } from './views/tps.js';

const main = document.getElementById('main');
const ballotNav = document.getElementById('ballots');
const REFRESH_MS = 30000;

const VIEWS = { region: regionView, dapil: dapilView, tps: tpsView };

function viewKey(r) {
  if (r.view === 'region') return `region:${r.ballot}:${r.code}`;
  if (r.view === 'dapil') return `dapil:${r.ballot}:${r.id}`;
  if (r.view === 'tps') return `tps:${r.code}:${r.ballot ?? ''}`;
  return 'notfound';
}

// The same place on another ballot.
function hrefOn(r, ballot) {
  if (r.view === 'tps') return tpsHref(r.code, ballot);
  if (r.view === 'region') return regionHref(ballot, r.code);
  return regionHref(ballot, '');
}

function renderBallots(r) {
  const active = r.ballot ?? null;
  ballotNav.replaceChildren(
    ...BALLOTS.map((b) =>
      h('a', { href: hrefOn(r, b), 'aria-current': b === active ? 'page' : null, dataset: { ballot: b } }, t(`ballot_${b}`)),
    ),
  );
}

let renders = 0;

async function render({ keepScroll = false } = {}) {
  const r = parse(location.hash);
  const mine = ++renders;
  renderBallots(r);
  main.setAttribute('aria-busy', 'true');
  try {
    if (!VIEWS[r.view]) throw new api.NotFound(r.what);
    const view = await VIEWS[r.view](r);
    if (mine !== renders) return;
    main.replaceChildren(...view.body.filter(Boolean));
    document.title = `${view.title} · ${t('brand')}`;
    if (view.ballot && view.ballot !== r.ballot) {
      // A TPS opened without a ballot shows its first one: mark that tab.
      r.ballot = view.ballot;
      renderBallots(r);
    }
  } catch (e) {
    if (mine !== renders) return;
    const text = e instanceof api.NotFound ? t('not_found', { what: decodeURIComponent(location.hash) }) : t('load_failed', { what: e.message });
    main.replaceChildren(h('p', { class: 'error' }, text), h('p', null, h('a', { href: '#/' }, '← Indonesia')));
  } finally {
    if (mine === renders) {
      main.removeAttribute('aria-busy');
      main.dataset.view = viewKey(r);
      main.dataset.lang = lang();
      if (!keepScroll) window.scrollTo(0, 0);
    }
  }
}

// --- search
const input = document.getElementById('q');
const hitList = document.getElementById('hits');
let searches = 0;

function hitHref(hit) {
  const r = parse(location.hash);
  const ballot = r.ballot ?? 'ppwp';
  return hit.kind === 'tps' ? tpsHref(hit.code, null) : regionHref(ballot, hit.code);
}

async function runSearch() {
  const mine = ++searches;
  const q = input.value;
  if (!q.trim()) {
    hitList.hidden = true;
    return;
  }
  let hits;
  try {
    hits = await search(q);
  } catch (e) {
    hits = { hint: t('load_failed', { what: e.message }) };
  }
  if (mine !== searches) return;
  const items = Array.isArray(hits)
    ? hits.length
      ? hits.map((hit) =>
          h('li', { role: 'option' },
            h('a', { href: hitHref(hit), dataset: { code: hit.code } }, h('b', null, hit.name), ' ',
              h('small', null, [t(`level_${hit.level}`), hit.where].filter(Boolean).join(' · ')))),
        )
      : [h('li', { class: 'muted' }, t('search_none'))]
    : [h('li', { class: 'muted' }, hits.hint)];
  hitList.replaceChildren(...items);
  hitList.hidden = false;
  hitList.dataset.query = q;
}

let debounce = 0;
input.addEventListener('input', () => {
  clearTimeout(debounce);
  debounce = setTimeout(runSearch, 120);
});
input.form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearTimeout(debounce);
  await runSearch();
  const first = hitList.querySelector('a');
  if (first) first.click();
});
input.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown') {
    hitList.querySelector('a')?.focus();
    e.preventDefault();
  } else if (e.key === 'Escape') {
    hitList.hidden = true;
  }
});
hitList.addEventListener('keydown', (e) => {
  const links = [...hitList.querySelectorAll('a')];
  const i = links.indexOf(document.activeElement);
  if (e.key === 'ArrowDown' && i >= 0) links[Math.min(links.length - 1, i + 1)].focus();
  else if (e.key === 'ArrowUp') (i > 0 ? links[i - 1] : input).focus();
  else if (e.key === 'Escape') {
    hitList.hidden = true;
    input.focus();
  } else return;
  e.preventDefault();
});
hitList.addEventListener('click', (e) => {
  if (e.target.closest('a')) {
    hitList.hidden = true;
    input.value = '';
  }
});
document.addEventListener('click', (e) => {
  if (!input.form.contains(e.target)) hitList.hidden = true;
});

// --- language
function showLang() {
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', b.dataset.lang === lang());
  translatePage();
}
for (const b of document.querySelectorAll('[data-lang]')) {
  b.addEventListener('click', () => {
    if (b.dataset.lang === lang()) return;
    setLang(b.dataset.lang);
    showLang();
    render({ keepScroll: true });
  });
}

// --- refresh while results come in: results views follow the log; a TPS page stays put.
let logSize = null;
setInterval(async () => {
  if (document.visibilityState !== 'visible') return;
  try {
    const s = await api.status();
    const r = parse(location.hash);
    if (logSize !== null && s.log_size !== logSize && r.view !== 'tps' && !document.querySelector('dialog[open]')) {
      render({ keepScroll: true });
    }
    logSize = s.log_size;
  } catch {
    // Offline for a moment: the next tick tries again.
  }
}, REFRESH_MS);

setLang(lang());
showLang();
window.addEventListener('hashchange', () => render());
render();
