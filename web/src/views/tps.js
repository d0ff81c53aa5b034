// One TPS on one ballot: the photos of its C1 form beside the numbers in force, the checks they
// passed, every version with who signed it, when and why, and the log entry with its inclusion
// proof, checkable here in the browser.
//
// Each number's row carries data-field, so a reader's crop of that field can be linked to it in
// the photo viewer. Below, the citizens' reports about the TPS and the "laporkan" form.
import * as api from '../api.js';
import { h } from '../dom.js';
import { fieldLabel, fmtInt, fmtTime, t } from '../i18n.js';
import { crumbs, note, section } from '../common.js';
import { colour, partyOfField } from '../fields.js';
import { verifyProof } from '../merkle.js';
import { openPhoto } from '../photo.js';
import { BALLOTS } from '../routes.js';
import { reportsPart } from './reports.js';

export async function tpsView({ code, ballot }) {
  const [doc, partyList, reports] = await Promise.all([
    api.tps(code),
    api.parties(),
    // The page stands without them (a mirror, a moment offline).
    api.reports(code).catch(() => null),
  ]);
  const chosen = ballot ?? BALLOTS.find((b) => doc.ballots[b]);
  const desa = doc.parents[doc.parents.length - 1];
  const title = `${doc.name} · ${desa?.name ?? ''}`;
  const body = [
    crumbs(chosen, doc.parents, doc.name),
    h('h1', null, doc.name, ' ', h('small', null, desa?.name ?? '')),
    h(
      'p',
      { class: 'tps-meta' },
      h('span', null, `${t('level_tps')} ${code}`),
      ' · ',
      h('span', { dataset: { field: 'dpt', value: doc.dpt.j } },
        `${t('dpt')}: ${fmtInt(doc.dpt.j)} (${fmtInt(doc.dpt.l)} ${t('men')}, ${fmtInt(doc.dpt.p)} ${t('women')})`),
    ),
  ];
  // The ballot tabs above lead to this TPS on each ballot; one it does not vote on (an overseas
  // TPS on the DPD) says so.
  if (!doc.ballots[chosen]) {
    body.push(note(t('no_contest')));
    return { title, body, ballot: chosen };
  }
  const info = doc.ballots[chosen];
  const contest = await api.contest(info.contest);
  body.push(ballotPart(code, chosen, info, contest, partyList));
  // A field's label on the ballot shown, or on another ballot whose contest is given; else its name.
  const labelOf = (b, name, other) => {
    const c = other ?? (b === chosen ? contest : null);
    const f = c?.fields.find((x) => x.name === name);
    return f ? label(f, c, partyList) : name;
  };
  body.push(reportsPart({ code, doc, ballot: chosen, current: info.current, reports, labelOf }));
  return { title, body, ballot: chosen };
}

function ballotPart(code, ballot, info, contest, parties) {
  const current = info.current;
  const status = h(
    'p',
    { class: `status ${info.status}`, dataset: { status: info.status } },
    h('b', null, info.status === 'reported' ? t('status_reported') : t('status_missing')),
    current ? [' · ', t('checked')] : null,
  );
  if (!current) return h('div', { class: 'tps-ballot' }, h('p', { class: 'ballot-long' }, contest.name), status);
  return h(
    'div',
    { class: 'tps-ballot', dataset: { contest: contest.id } },
    h('p', { class: 'ballot-long' }, contest.name),
    status,
    h('div', { class: 'tps-grid' }, photos(info.history, contest), numbers(current, contest, parties)),
    actions(code, current),
    logEntry(current),
    history(info.history, contest, parties),
  );
}

// The photos of the version in force, then those earlier versions came with: a correction
// usually re-reads the same paper, and its photos stay the evidence.
function photos(versions, contest) {
  const seen = new Set();
  const shown = [];
  for (const v of [...versions].reverse()) {
    v.images.forEach((sha) => {
      if (!seen.has(sha)) shown.push({ sha, rev: v.rev });
      seen.add(sha);
    });
  }
  const list = shown.map(({ sha, rev }, i) => {
    const caption = `${contest.name} · ${t('photo_n', { n: i + 1 })} · ${t('version', { rev })}`;
    return h(
      'li',
      null,
      h(
        'button',
        { type: 'button', class: 'thumb', title: t('open_photo'), dataset: { image: sha }, onclick: () => openPhoto(api.imageUrl(sha), caption) },
        h('img', { src: api.imageUrl(sha), alt: caption, loading: 'lazy', decoding: 'async' }),
        h('span', null, t('photo_n', { n: i + 1 }), h('small', null, ` · ${t('version', { rev })}`)),
      ),
    );
  });
  return section(t('photos'), list.length ? h('ul', { class: 'thumbs' }, list) : note(t('no_photos')));
}

function label(field, contest, parties) {
  const c = /^c(\d+)$/.exec(field.name);
  if (c) return `${c[1]}. ${contest.candidates.find((x) => x.number === Number(c[1]))?.name ?? field.label}`;
  const p = /^p(\d+)(?:c(\d+)|(t))?$/.exec(field.name);
  if (p) {
    const party = parties.find((x) => x.number === Number(p[1]));
    if (p[2]) {
      const cand = contest.candidates.find((x) => x.party === Number(p[1]) && x.number === Number(p[2]));
      return `${p[2]}. ${cand?.name ?? field.label}`;
    }
    return `${p[3] ? t('party_total') : t('party_only')} ${party?.abbrev ?? p[1]}`;
  }
  return fieldLabel(field.name, field.label);
}

function numbers(version, contest, parties) {
  const sections = ['administrasi', 'votes', 'totals'].map((s) => {
    const rows = contest.fields
      .filter((f) => f.section === s)
      .map((f) => {
        const party = partyOfField(f.name);
        const cls = [party !== null && /t$/.test(f.name) ? 'party-total' : null, /^p\d+c/.test(f.name) ? 'cand' : null]
          .filter(Boolean)
          .join(' ');
        return h(
          'tr',
          { class: cls || null, dataset: { field: f.name } },
          h('td', null, party !== null && /^p\d+$/.test(f.name) ? h('i', { class: 'swatch', style: { background: colour(party) } }) : null, label(f, contest, parties)),
          h('td', { class: 'num', dataset: { value: version.values[f.name] } }, fmtInt(version.values[f.name])),
        );
      });
    return h('tbody', { dataset: { section: s } }, h('tr', { class: 'section' }, h('th', { colspan: 2 }, t(`section_${s}`))), rows);
  });
  return section(t('numbers'), h('table', { class: 'numbers' }, sections));
}

function actions(code, version) {
  const result = h('p', { class: 'verify-result', role: 'status' });
  const check = h('button', {
    type: 'button',
    class: 'verify',
    disabled: !version.proof,
    onclick: async () => {
      result.textContent = '…';
      const ok = await verifyProof(version.proof);
      result.className = `verify-result ${ok ? 'ok' : 'bad'}`;
      result.dataset.ok = ok;
      result.textContent = ok ? t('verify_ok', { index: version.proof.index, size: version.proof.tree_size }) : t('verify_fail');
    },
  }, t('verify'));
  // The numbers differ from the photo? The report form is further down the page.
  const report = h('button', {
    type: 'button',
    class: 'report-jump',
    onclick: () => {
      const box = document.getElementById('laporan');
      box?.querySelector('button.report-open:not([hidden])')?.click();
      box?.scrollIntoView({ behavior: 'smooth' });
    },
  }, t('report_button'));
  return h(
    'div',
    { class: 'actions' },
    check,
    report,
    h('a', { href: `api/v1/tps/${code}` }, t('raw_json')),
    h('a', { href: 'log/checkpoint' }, t('checkpoint')),
    result,
    note(t('verify_howto'), 'note small'),
  );
}

function logEntry(version) {
  const p = version.proof;
  const row = (k, v, cls) => h('tr', null, h('th', null, k), h('td', { class: cls ?? null }, v));
  return section(
    t('log_entry'),
    h('table', { class: 'kv' }, h('tbody', null,
      row(t('log_index'), String(version.index), 'log-index'),
      row(t('statement_id'), version.id, 'hash'),
      p ? row(t('leaf_hash'), p.leaf_hash, 'hash') : null,
      p ? row(t('tree_size'), String(p.tree_size)) : null,
    )),
    p
      ? [
          h('details', null, h('summary', null, t('checkpoint')), h('pre', { class: 'checkpoint' }, p.checkpoint)),
          h('details', null, h('summary', null, t('proof_hashes', { n: p.hashes.length })), h('ol', { class: 'hashes' }, p.hashes.map((x) => h('li', { class: 'hash' }, x)))),
        ]
      : note(t('not_in_checkpoint')),
  );
}

function history(versions, contest, parties) {
  const fields = new Map(contest.fields.map((f) => [f.name, f]));
  const items = versions
    .map((v, i) => {
      const previous = versions[i - 1];
      const changed = previous ? Object.keys(v.values).filter((k) => v.values[k] !== previous.values[k]) : [];
      const row = (k, val, cls) => (val == null ? null : h('tr', null, h('th', null, k), h('td', { class: cls ?? null }, val)));
      return h(
        'li',
        { class: `version ${v.status}`, dataset: { index: v.index, status: v.status } },
        h('h3', null, t('version', { rev: v.rev }), ' · ', t(`type_${v.type}`), ' · ', h('span', { class: 'state' }, t(`state_${v.status}`))),
        h('table', { class: 'kv' }, h('tbody', null,
          row(t('signed_by'), h('span', null, v.type === 'result' ? t('signer_kpps') : t('signer_ppk'), ' ', h('code', { title: v.signer }, v.signer.slice(0, 12), '…'))),
          row(t('signed_at'), fmtTime(Date.parse(v.time))),
          row(t('received_at'), fmtTime(v.received_ms)),
          row(t('reason'), v.reason, 'reason'),
          row(t('replaces'), v.supersedes ? `${v.supersedes.slice(0, 16)}…` : null, 'hash'),
          row(t('log_index'), String(v.index)),
          row(t('photos'), v.images.length ? String(v.images.length) : null),
          previous
            ? row(t('changed'), changed.length
              ? changed.map((k) => `${fields.has(k) ? label(fields.get(k), contest, parties) : k}: ${fmtInt(previous.values[k])} → ${fmtInt(v.values[k])}`).join('; ')
              : t('unchanged'))
            : null,
        )),
      );
    })
    .reverse();
  return section(t('history'), h('ol', { class: 'history' }, items));
}
