// Pieces every view shares: breadcrumbs, headings, the status line, error notes.
import { h } from './dom.js';
import { fmtInt, fmtPct, fmtTime, t } from './i18n.js';
import { regionHref, tpsHref } from './routes.js';
import { progressBar } from './chart.js';

export function crumbs(ballot, parents, last) {
  const items = parents.map((p) =>
    h('li', null, h('a', { href: regionHref(ballot, p.code) }, p.code === '' ? 'Indonesia' : p.name)),
  );
  if (last) items.push(h('li', { 'aria-current': 'page' }, last));
  return h('nav', { class: 'crumbs', 'aria-label': 'breadcrumb' }, h('ol', null, items));
}

export function regionLink(ballot, ref) {
  const href = ref.level === 'tps' ? tpsHref(ref.code, ballot) : regionHref(ballot, ref.code);
  return h('a', { href }, ref.name);
}

export function progressLine(progress, updatedMs) {
  const { reported, total } = progress;
  return h(
    'div',
    { class: 'progress-line' },
    progressBar(reported, total),
    h(
      'p',
      null,
      h('span', { class: 'label' }, t('progress'), ': '),
      h('span', { class: 'progress-text', dataset: { reported, total } },
        t('progress_text', { reported: fmtInt(reported), total: fmtInt(total), pct: fmtPct(reported, total) })),
      updatedMs !== undefined
        ? h('span', { class: 'updated' }, ' · ', t('updated'), ': ', fmtTime(updatedMs))
        : null,
    ),
  );
}

// DPT, voters and turnout, valid and invalid votes of (summed) totals.
export function stats(totals) {
  const item = (label, field, extra) =>
    h('div', { class: 'stat' }, h('dt', null, label),
      h('dd', { dataset: { field, value: totals[field] ?? '' } }, fmtInt(totals[field]), extra ?? null));
  return h(
    'dl',
    { class: 'stats' },
    item(t('registered'), 'pemilih_dpt_j'),
    item(t('voters'), 'pengguna_total_j',
      h('small', null, ` ${t('turnout')} ${fmtPct(totals.pengguna_total_j ?? 0, totals.pemilih_dpt_j ?? 0)}`)),
    item(t('valid_votes'), 'suara_sah'),
    item(t('invalid_votes'), 'suara_tidak_sah'),
  );
}

export function section(title, ...children) {
  return h('section', null, h('h2', null, title), ...children);
}

export function note(text, cls = 'note') {
  return h('p', { class: cls }, text);
}
